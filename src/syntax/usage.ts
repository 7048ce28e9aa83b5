/** One line of usage per parser rule, from the statement registry: used in hints and the grammar docs. */
import { usageLines } from './statement-usage.js';
import { statements } from './statements.js';

export const usage: Readonly<Record<string, string>> = {
  ...Object.fromEntries(statements.map(s => [s.rule, usageLines(s).join('  or  ')])),
  nsRef: 'NAME | host | pid N | "PATH"',
  block: '{ statements }',
};
