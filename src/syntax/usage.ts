/** One line of usage per parser rule, from the statement registry: used in hints and the grammar docs. */
import { lazyProperty } from './lazy-property.js';
import { usageLines } from './statement-usage.js';
import { statements } from './statements.js';

/**
 * Each statement's line is made when first read, then kept: only a hint reads one, and making
 * them all took ~0.3 ms of every start (`nsh check` of a good script reads none). The keys are
 * there from the start, in the same order.
 */
export const usage: Readonly<Record<string, string>> = {};
for (const s of statements) lazyProperty(usage, s.rule, () => usageLines(s).join('  or  '));
Object.assign(usage, { nsRef: 'NAME | host | pid N | "PATH"', block: '{ statements }' });
