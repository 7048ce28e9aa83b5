/** The interpreter over the backends that change nothing: the dry run (check) and explain. */
import type { Env } from '../core/io.js';
import { DryRunBackend } from '../backend/dry-run/dry-run.js';
import type { LabModel } from '../backend/dry-run/model.js';
import type { LabSnapshot } from '../core/snapshot.js';
import type { Statement } from '../syntax/ast.js';
import { sortDiagnostics, type Diagnostic } from '../syntax/diagnostics.js';
import type { Scope } from './environment.js';
import { Interpreter, type RunObserver } from './interpreter.js';
import type { LoweredOps } from './lowered.js';

export interface CheckOptions {
  readonly env: Env;
  /** Namespaces the lab has already (known by name only). */
  readonly lab?: Iterable<string>;
  /** Variables and defs made before (the REPL's session). */
  readonly scope?: Scope;
  /** The lab's name (its nftables table is `nsh_NAME`), as the command line names the lab. */
  readonly labName?: string;
  /** The links an earlier run of the lab made in a namespace it did not make (the REPL's lab). */
  readonly labLinks?: (ns: string) => string[];
  /** Told of each statement and operation of the run (the language server). */
  readonly observer?: RunObserver;
  /** Keeps what the dry run lowered, for a run of the same statements in a new lab (runtime/lowered.ts). */
  readonly lowered?: LoweredOps;
}

/**
 * The lab's name and its links in a namespace for the interpreter: those of earlier runs, and
 * those the statements so far made there (the model follows them); and the run's observer.
 */
function lab(opts: CheckOptions, model: LabModel): { labName?: string; labLinks: (ns: string) => string[]; observer?: RunObserver } {
  return {
    ...(opts.labName === undefined ? {} : { labName: opts.labName }),
    ...(opts.observer === undefined ? {} : { observer: opts.observer }),
    labLinks: ns => [...new Set([...(opts.labLinks?.(ns) ?? []), ...model.linkNames(ns)])],
  };
}

/** Every problem the dry run finds: each statement expanded and checked, each operation followed in the lab's model. */
export async function checkStatements(statements: readonly Statement[], opts: CheckOptions): Promise<Diagnostic[]> {
  return (await follow(statements, opts)).diagnostics;
}

/** The dry run: its problems, and the lab it would build. */
export async function dryRun(statements: readonly Statement[], opts: CheckOptions): Promise<{ diagnostics: Diagnostic[]; snapshot: LabSnapshot }> {
  const r = await follow(statements, opts);
  return { diagnostics: r.diagnostics, snapshot: await r.picture() };
}

/** The dry run's problems, and the picture of the lab it would build, taken only when asked (a large lab's costs a tenth of its check). */
async function follow(statements: readonly Statement[], opts: CheckOptions): Promise<{ diagnostics: Diagnostic[]; picture: () => Promise<LabSnapshot> }> {
  const backend = new DryRunBackend(opts.lab);
  const interp = new Interpreter({ backend, mode: 'check', env: opts.env, ...(opts.lab ? { lab: opts.lab } : {}), ...lab(opts, backend.model) });
  await interp.run(statements, opts.scope, opts.lowered);
  return { diagnostics: sortDiagnostics(interp.diagnostics), picture: () => backend.snapshot([...interp.lab]) };
}

/**
 * The iproute2 / shell commands of checked statements, one block per statement. `pastErrors`: the
 * statements may have errors, and those that do are left out (the language server's hover).
 * `write` is given each piece of text as it is made (then the result is empty).
 */
export async function explainStatements(
  statements: readonly Statement[],
  opts: CheckOptions & { readonly title?: string; readonly pastErrors?: boolean; readonly write?: (text: string) => void },
): Promise<string> {
  const chunks: string[] = [];
  // (the explain backend is a chunk of its own: a check does not load it)
  const { ExplainBackend } = await import('../backend/explain/explain.js');
  const backend = new ExplainBackend({ write: opts.write ?? (t => chunks.push(t)) });
  if (opts.title !== undefined) backend.header(opts.title);
  // run mode: the statements are checked already, and def bodies are explained where they are called
  const mode = opts.pastErrors ? 'check' : 'run';
  const interp = new Interpreter({ backend, mode, env: opts.env, ...(opts.lab ? { lab: opts.lab } : {}), ...lab(opts, backend.model) });
  await interp.run(statements, opts.scope);
  return chunks.join('\n');
}
