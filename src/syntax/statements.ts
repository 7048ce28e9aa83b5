/**
 * The statement registry: one entry per statement of nsh — its name, a line of help, its forms
 * (the positional words, each with what completes it), its option words (each with the kind of
 * value it takes), and examples. Plain data with no parser behind it: the keyword list
 * (keywords.ts), the usage hints (usage.ts), the REPL's `.help` and completion, and the editor
 * grammar (scripts/gen-grammar.mjs) are derived from it, and a language server can read it for
 * completion and hover.
 */
import { edgeStatements } from './statements-edge.js';
import { linkStatements } from './statements-links.js';
import { programStatements } from './statements-programs.js';
import type { StatementSpec } from './statement-spec.js';

// The order is the order of help, completion and the editor grammar's keyword list.
export const statements: readonly StatementSpec[] = [...linkStatements, ...programStatements, ...edgeStatements];

/** `! STATEMENT`, which is not a statement of its own but has its help. */
export const negation = {
  name: '!',
  help: 'the statement must fail: `! STATEMENT` succeeds when STATEMENT fails',
  usage: '! STATEMENT',
  examples: ['! in a ping 10.9.9.9 -c 1'],
} as const;

// ---- lookup --------------------------------------------------------------------------------------------

const byName = new Map(statements.map(s => [s.name, s]));

export function statementSpec(name: string): StatementSpec | undefined {
  return byName.get(name);
}
