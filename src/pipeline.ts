/** The steps every command that reads a script shares: load it (with its includes), check it, explain it. */
import * as fs from 'node:fs';
import { fileProblem } from './core/io.js';
import { checkStatements, dryRun, explainStatements, type CheckOptions } from './runtime/check.js';
import type { LabSnapshot } from './core/snapshot.js';
import type { Program } from './syntax/ast.js';
import { error, sortDiagnostics, type Diagnostic } from './syntax/diagnostics.js';
import { loadFile, loadText, type FileReader } from './syntax/load.js';

export { LoweredOps } from './runtime/lowered.js';
export { UNCLOSED } from './syntax/parse-messages.js';

export const fileReader: FileReader = {
  read(file) {
    try {
      return { text: fs.readFileSync(file, 'utf8') };
    } catch (e) {
      return { error: fileProblem(e, 'read') };
    }
  },
};

/** A loaded script: what parsed, and the syntax problems (the statements that did not parse are left out). */
export interface Loaded {
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
  readonly incomplete: boolean;
}

/** `text`: the file's text, when the caller has read it already. */
export function loadScript(file: string, text?: string): Loaded {
  const reader: FileReader = text === undefined ? fileReader : { read: f => (f === file ? { text } : fileReader.read(f)) };
  const r = loadFile(file, reader);
  if ('readError' in r) {
    const empty = loadText(file, '', process.cwd(), fileReader);
    return { ...empty, diagnostics: [error(`cannot read ${file}: ${r.readError}`)] };
  }
  return r;
}

export function loadInline(name: string, text: string): Loaded {
  return loadText(name, text, process.cwd(), fileReader);
}

/** Problems that may only echo a syntax error (a `let` or `def` that did not parse). */
const ECHOES = new Set(['undefined-variable', 'unknown-statement', 'arity']);

/**
 * Every problem of a loaded script: its syntax errors, and a dry run of what did parse, in which
 * every statement is expanded and checked and nothing is touched.
 */
export async function checkLoaded(l: Loaded, opts: CheckOptions): Promise<Diagnostic[]> {
  return problems(l, await checkStatements(l.program.statements, opts));
}

/** The problems of a loaded script, and the lab it would build (`nsh graph FILE`). */
export async function checkAndPicture(l: Loaded, opts: CheckOptions): Promise<{ diagnostics: Diagnostic[]; snapshot: LabSnapshot }> {
  const r = await dryRun(l.program.statements, opts);
  return { diagnostics: problems(l, r.diagnostics), snapshot: r.snapshot };
}

/** The syntax problems of a loaded script with those the dry run `found`. */
function problems(l: Loaded, found: readonly Diagnostic[]): Diagnostic[] {
  const kept = l.diagnostics.length > 0 ? found.filter(d => !ECHOES.has(d.code ?? '')) : found;
  return sortDiagnostics([...l.diagnostics, ...kept]);
}

/** The iproute2 / shell text of a checked program (`labName`: the lab it would build, whose nftables table it names). */
export async function explainProgram(program: Program, title: string, env: CheckOptions['env'], labName?: string): Promise<string> {
  return (await explainStatements(program.statements, { env, title, ...(labName === undefined ? {} : { labName }) })) + '\n';
}
