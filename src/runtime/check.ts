/** The interpreter over the backends that change nothing: the dry run (check) and explain. */
import type { Env } from '../core/io.js';
import { DryRunBackend } from '../backend/dry-run/dry-run.js';
import { ExplainBackend } from '../backend/explain/explain.js';
import type { LabModel } from '../backend/dry-run/model.js';
import type { LabSnapshot } from '../core/snapshot.js';
import type { Statement } from '../syntax/ast.js';
import { sortDiagnostics, type Diagnostic } from '../syntax/diagnostics.js';
import type { Scope } from './environment.js';
import { Interpreter } from './interpreter.js';

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
}

/**
 * The lab's name and its links in a namespace for the interpreter: those of earlier runs, and
 * those the statements so far made there (the model follows them).
 */
function lab(opts: CheckOptions, model: LabModel): { labName?: string; labLinks: (ns: string) => string[] } {
  return {
    ...(opts.labName === undefined ? {} : { labName: opts.labName }),
    labLinks: ns => [...new Set([...(opts.labLinks?.(ns) ?? []), ...model.linkNames(ns)])],
  };
}

/** Every problem the dry run finds: each statement expanded and checked, each operation followed in the lab's model. */
export async function checkStatements(statements: readonly Statement[], opts: CheckOptions): Promise<Diagnostic[]> {
  return (await dryRun(statements, opts)).diagnostics;
}

/** The dry run: its problems, and the lab it would build. */
export async function dryRun(statements: readonly Statement[], opts: CheckOptions): Promise<{ diagnostics: Diagnostic[]; snapshot: LabSnapshot }> {
  const backend = new DryRunBackend(opts.lab);
  const interp = new Interpreter({ backend, mode: 'check', env: opts.env, ...(opts.lab ? { lab: opts.lab } : {}), ...lab(opts, backend.model) });
  await interp.run(statements, opts.scope);
  return { diagnostics: sortDiagnostics(interp.diagnostics), snapshot: await backend.snapshot([...interp.lab]) };
}

/** The iproute2 / shell commands of checked statements, one block per statement. */
export async function explainStatements(statements: readonly Statement[], opts: CheckOptions & { readonly title?: string }): Promise<string> {
  const chunks: string[] = [];
  const backend = new ExplainBackend({ write: t => chunks.push(t) });
  if (opts.title !== undefined) backend.header(opts.title);
  // run mode: the statements are checked already, and def bodies are explained where they are called
  const interp = new Interpreter({ backend, mode: 'run', env: opts.env, ...(opts.lab ? { lab: opts.lab } : {}), ...lab(opts, backend.model) });
  await interp.run(statements, opts.scope);
  return chunks.join('\n');
}
