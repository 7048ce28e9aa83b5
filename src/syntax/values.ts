/**
 * What a word must look like in each role (namespace name, interface name, endpoint, address …).
 * Each check returns the typed value or a Problem; a Problem may point at part of the word
 * (`from`/`to`, offsets into the text) so the caret lands under the culprit. The checks live by
 * kind of value in value-names.ts, value-addresses.ts and value-numbers.ts; this file gathers them
 * and checks an option's value by its kind.
 */
import { checkInt, checkPercent, checkRate, checkPort, checkTime } from './value-numbers.js';
import { checkMachineName } from './value-names.js';
import { problem, show, type Problem } from './value-problem.js';

export * from './value-problem.js';
export * from './value-names.js';
export * from './value-addresses.js';
export * from './value-numbers.js';

/** What an option says of its value (statements.ts's OptionSpec). */
export interface OptionValueSpec {
  readonly word: string;
  readonly value?: string;
  readonly range?: readonly [number, number];
  readonly choices?: readonly string[];
}

/**
 * The value of an option word, checked by its kind: TIME (seconds), PCT, RATE (bit/s), N, PORT,
 * MODE, MACHINE; any other kind is returned as it is written.
 */
export function checkOptionValue(o: OptionValueSpec, text: string): string | number | Problem {
  const [min, max] = o.range ?? [0, Number.MAX_SAFE_INTEGER];
  switch (o.value) {
    case 'TIME':
      return checkTime(text, o.word, { min, max });
    case 'PCT':
      return checkPercent(text, o.word);
    case 'RATE':
      return checkRate(text, o.word);
    case 'N':
      return checkInt(text, o.word, min, max);
    case 'PORT':
      return checkPort(text);
    case 'MACHINE':
      return checkMachineName(text, { allowLocal: true });
    case 'MODE':
      return o.choices?.includes(text) ? text : problem(`${o.word} ${show(text)} is not one of ${(o.choices ?? []).join(', ')}`);
    default:
      return text;
  }
}
