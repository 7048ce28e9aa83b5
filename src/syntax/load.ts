/** Parses a script and, at parse time, every file it includes (relative to the including file). */
import * as path from 'node:path';
import type { IncludeStmt, Program, Statement } from './ast.js';
import { error, type Diagnostic } from './diagnostics.js';
import { parseSource } from './parse.js';
import type { PieceCache } from './piece-cache.js';
import { makeSource } from './source.js';

export interface FileReader {
  /** The file's text, or an error message (e.g. "no such file"). */
  read(file: string): { text: string } | { error: string };
}

export interface LoadResult {
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
  readonly incomplete: boolean;
}

const MAX_DEPTH = 32;

/** Loads text that came from `name`; includes resolve against `dir`; `cache`: pieces of the text parsed before. */
export function loadText(name: string, text: string, dir: string, reader: FileReader, self = path.resolve(dir, name), cache?: PieceCache): LoadResult {
  const parsed = parseSource(makeSource(name, text), cache);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const statements = resolveIncludes(parsed.program.statements, dir, reader, [self], diagnostics);
  return { program: { ...parsed.program, statements }, diagnostics, incomplete: parsed.incomplete };
}

export function loadFile(file: string, reader: FileReader, displayName = file): LoadResult | { readError: string } {
  const r = reader.read(file);
  if ('error' in r) return { readError: r.error };
  return loadText(displayName, r.text, path.dirname(file), reader, path.resolve(file));
}

/** The statements with their includes' bodies filled in: the same array, and the same nodes, where there is no include. */
function resolveIncludes(
  statements: readonly Statement[],
  dir: string,
  reader: FileReader,
  stack: string[],
  diagnostics: Diagnostic[],
): readonly Statement[] {
  let out: Statement[] | undefined;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i]!;
    const r = resolveIn(s, dir, reader, stack, diagnostics);
    if (r !== s) out ??= statements.slice(0, i);
    out?.push(r);
  }
  return out ?? statements;
}

function resolveIn(s: Statement, dir: string, reader: FileReader, stack: string[], diagnostics: Diagnostic[]): Statement {
  switch (s.kind) {
    case 'include':
      return include(s, dir, reader, stack, diagnostics);
    case 'for':
    case 'def': {
      const body = resolveIncludes(s.body, dir, reader, stack, diagnostics);
      return body === s.body ? s : { ...s, body };
    }
    case 'not': {
      const statement = resolveIn(s.statement, dir, reader, stack, diagnostics);
      return statement === s.statement ? s : { ...s, statement };
    }
    default:
      return s;
  }
}

function include(s: IncludeStmt, dir: string, reader: FileReader, stack: string[], diagnostics: Diagnostic[]): IncludeStmt {
  const rel = s.path.literal;
  if (rel === undefined) {
    diagnostics.push(error('an include path cannot hold variables: includes are read before the script runs', s.path.span));
    return s;
  }
  if (rel === '') {
    diagnostics.push(error('include path is empty', s.path.span));
    return s;
  }
  const file = path.resolve(dir, rel);
  const at = stack.indexOf(file);
  if (at !== -1) {
    const chain = [...stack.slice(at), file].map(f => path.basename(f)).join(' → ');
    diagnostics.push(error(`include cycle: ${chain}`, s.path.span));
    return s;
  }
  if (stack.length >= MAX_DEPTH) {
    diagnostics.push(error(`includes are nested more than ${MAX_DEPTH} deep`, s.path.span));
    return s;
  }
  const r = reader.read(file);
  if ('error' in r) {
    const looked = path.relative(process.cwd(), file);
    diagnostics.push(error(`cannot read included file "${rel}": ${r.error}`, s.path.span, `looked for ${looked.startsWith('..') ? file : `./${looked}`}`));
    return s;
  }
  const display = path.relative(process.cwd(), file) || file;
  const parsed = parseSource(makeSource(display, r.text));
  diagnostics.push(...parsed.diagnostics);
  stack.push(file);
  const body = resolveIncludes(parsed.program.statements, path.dirname(file), reader, stack, diagnostics);
  stack.pop();
  return { ...s, body };
}
