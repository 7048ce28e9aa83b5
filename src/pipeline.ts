/**
 * The steps every command shares: load a script (with its includes), check it by a dry run through
 * the explain backend, and explain it.
 */
import * as fs from 'node:fs';
import { DryRunBackend } from './backend/dry-run.js';
import { ExplainBackend } from './backend/explain/explain.js';
import { Interpreter } from './runtime/interpreter.js';
import type { Program, Statement } from './syntax/ast.js';
import type { Scope } from './runtime/environment.js';
import { error, sortDiagnostics, type Diagnostic } from './syntax/diagnostics.js';
import { loadFile, loadText, type FileReader } from './syntax/load.js';

export const fileReader: FileReader = {
  read(file) {
    try {
      return { text: fs.readFileSync(file, 'utf8') };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'it is a directory' };
      return { error: why[code ?? ''] ?? String((e as Error).message) };
    }
  },
};

/** A loaded script: what parsed, and the syntax problems (the statements that did not parse are left out). */
export interface Loaded {
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
  readonly incomplete: boolean;
}

export function loadScript(file: string): Loaded {
  const r = loadFile(file, fileReader);
  if ('readError' in r) {
    const empty = loadText(file, '', process.cwd(), fileReader);
    return { ...empty, diagnostics: [error(`cannot read ${file}: ${r.readError}`)] };
  }
  return r;
}

export function loadInline(name: string, text: string): Loaded {
  return loadText(name, text, process.cwd(), fileReader);
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Problems that may only echo a syntax error (a `let` or `def` that did not parse). */
const ECHOES = new Set(['undefined-variable', 'unknown-statement', 'arity']);

/**
 * Every problem of a loaded script: its syntax errors, and a dry run of what did parse, in which
 * every statement is expanded and checked and nothing is touched.
 */
export async function checkLoaded(l: Loaded, opts: { env: Env; lab?: Iterable<string> }): Promise<Diagnostic[]> {
  const problems = await checkStatements(l.program.statements, opts);
  const found = l.diagnostics.length > 0 ? problems.filter(d => !ECHOES.has(d.code ?? '')) : problems;
  return sortDiagnostics([...l.diagnostics, ...found]);
}

/** The dry run alone; `scope` lets statements see variables and defs made before (the REPL's session). */
export async function checkStatements(
  statements: readonly Statement[],
  opts: { env: Env; lab?: Iterable<string>; scope?: Scope },
): Promise<Diagnostic[]> {
  const { scope, ...rest } = opts;
  const interp = new Interpreter({ backend: new DryRunBackend(), mode: 'check', ...rest });
  await interp.run(statements, scope);
  return sortDiagnostics(interp.diagnostics);
}

/** The iproute2 / shell text of a checked program. */
export async function explainProgram(program: Program, title: string, env: Env): Promise<string> {
  const chunks: string[] = [];
  const backend = new ExplainBackend({ write: t => chunks.push(t) });
  backend.header(title);
  // run mode: the program is already checked, and def bodies are explained where they are called
  const interp = new Interpreter({ backend, mode: 'run', env });
  await interp.run(program.statements);
  return chunks.join('\n') + '\n';
}
