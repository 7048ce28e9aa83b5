/**
 * The iproute2 / shell commands of each statement of a document, as `nsh --explain` prints them,
 * made once per analysis when a hover first asks. A statement that runs several times (in a loop,
 * a def's body at each call) has the commands of every run; a call has those of its body.
 */
import type { Env } from '../core/io.js';
import { explainStatements } from '../runtime/check.js';
import type { Statement } from '../syntax/ast.js';
import type { Analysis } from './analysis.js';
import { inSource } from './syntax-walk.js';

/** The most runs of one statement that are kept. */
const MAX_RUNS = 10;

const made = new WeakMap<Analysis, Promise<Map<Statement, string[]>>>();

/** Each statement's commands, as one block of text each time it ran. */
export function commandsByStatement(a: Analysis, env: Env): Promise<Map<Statement, string[]>> {
  let p = made.get(a);
  if (!p) made.set(a, (p = explain(a, env)));
  return p;
}

async function explain(a: Analysis, env: Env): Promise<Map<Statement, string[]>> {
  const out = new Map<Statement, string[]>();
  // the statements running, each with the commands of this run of it so far
  const running: { readonly statement: Statement; readonly commands: string[] }[] = [];
  const write = (text: string) => {
    // the header comment of each statement is the statement itself: the hover shows it already
    if (text.startsWith('\n#')) return;
    for (const r of running) r.commands.push(text);
  };
  const observer = {
    enter: (statement: Statement) => void running.push({ statement, commands: [] }),
    leave: () => {
      const r = running.pop()!;
      if (r.commands.length === 0 || !inSource(r.statement.span, a.source)) return;
      const runs = out.get(r.statement) ?? [];
      if (runs.length < MAX_RUNS) runs.push(r.commands.join('\n'));
      out.set(r.statement, runs);
    },
  };
  await explainStatements(a.program.statements, { env, pastErrors: true, write, observer });
  return out;
}
