/**
 * The steps every command shares: load a script (with its includes), check it by a dry run through
 * the explain backend, and explain it.
 */
import * as fs from 'node:fs';
import { DryRunBackend } from './backend/dry-run.js';
import { ExplainBackend } from './backend/explain/explain.js';
import { Interpreter } from './runtime/interpreter.js';
import type { Program } from './syntax/ast.js';
import { error, sortDiagnostics, type Diagnostic } from './syntax/diagnostics.js';
import { loadFile, loadText, type FileReader, type LoadResult } from './syntax/load.js';

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

export type Loaded = { ok: true; program: Program } | { ok: false; diagnostics: readonly Diagnostic[]; incomplete: boolean };

function loaded(r: LoadResult): Loaded {
  if (r.diagnostics.length > 0) return { ok: false, diagnostics: sortDiagnostics(r.diagnostics), incomplete: r.incomplete };
  return { ok: true, program: r.program };
}

export function loadScript(file: string): Loaded {
  const r = loadFile(file, fileReader);
  if ('readError' in r) return { ok: false, diagnostics: [error(`cannot read ${file}: ${r.readError}`)], incomplete: false };
  return loaded(r);
}

export function loadInline(name: string, text: string): Loaded {
  return loaded(loadText(name, text, process.cwd(), fileReader));
}

/** A dry run: every statement expanded and checked, nothing touched. Returns all problems found. */
export async function checkProgram(program: Program, opts: { lab?: Iterable<string> } = {}): Promise<Diagnostic[]> {
  const interp = new Interpreter({ backend: new DryRunBackend(), mode: 'check', ...opts });
  await interp.run(program.statements);
  return sortDiagnostics(interp.diagnostics);
}

/** The iproute2 / shell text of a program, or the problems that keep it from being explained. */
export async function explainProgram(program: Program, title: string): Promise<{ text: string } | { diagnostics: Diagnostic[] }> {
  const chunks: string[] = [];
  const backend = new ExplainBackend({ write: t => chunks.push(t) });
  backend.header(title);
  const interp = new Interpreter({ backend, mode: 'check' });
  await interp.run(program.statements);
  if (interp.diagnostics.length > 0) return { diagnostics: sortDiagnostics(interp.diagnostics) };
  return { text: chunks.join('\n') + '\n' };
}
