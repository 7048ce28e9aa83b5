/** The interpreter over the backends that change nothing: the dry run (check) and explain. */
import type { Env } from '../core/io.js';
import { DryRunBackend } from '../backend/dry-run/dry-run.js';
import { ExplainBackend } from '../backend/explain/explain.js';
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
}

/** Every problem the dry run finds: each statement expanded and checked, each operation followed in the lab's model. */
export async function checkStatements(statements: readonly Statement[], opts: CheckOptions): Promise<Diagnostic[]> {
  return (await dryRun(statements, opts)).diagnostics;
}

/** The dry run: its problems, and the lab it would build. */
export async function dryRun(statements: readonly Statement[], opts: CheckOptions): Promise<{ diagnostics: Diagnostic[]; snapshot: LabSnapshot }> {
  const backend = new DryRunBackend(opts.lab);
  const interp = new Interpreter({ backend, mode: 'check', env: opts.env, ...(opts.lab ? { lab: opts.lab } : {}) });
  await interp.run(statements, opts.scope);
  return { diagnostics: sortDiagnostics(interp.diagnostics), snapshot: await backend.snapshot([...interp.lab]) };
}

/** The iproute2 / shell commands of checked statements, one block per statement. */
export async function explainStatements(statements: readonly Statement[], opts: CheckOptions & { readonly title?: string }): Promise<string> {
  const chunks: string[] = [];
  const backend = new ExplainBackend({ write: t => chunks.push(t) });
  if (opts.title !== undefined) backend.header(opts.title);
  // run mode: the statements are checked already, and def bodies are explained where they are called
  const interp = new Interpreter({ backend, mode: 'run', env: opts.env, ...(opts.lab ? { lab: opts.lab } : {}) });
  await interp.run(statements, opts.scope);
  return chunks.join('\n');
}
