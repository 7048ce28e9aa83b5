/** Text → tokens → CST → AST, with every problem returned as a diagnostic. */
import type { Program, Statement } from './ast.js';
import type { Diagnostic } from './diagnostics.js';
import { parsePiece } from './parse-piece.js';
import type { PieceCache } from './piece-cache.js';
import { splitTopLevel } from './pieces.js';
import { parseRecovering, recoverPiece } from './recover.js';
import type { Source } from './source.js';

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
  /** True when every syntax error is at the end of the input: more text could complete it (the REPL's "..."). */
  readonly incomplete: boolean;
}

/** Pieces of this many lines or more are parsed one at a time: a smaller heap, much less GC. */
export const PIECE_LINES = 100;

/** `cache`: pieces parsed before (a text parsed again after an edit parses only what changed). */
export function parseSource(source: Source, cache?: PieceCache): ParseResult {
  const span = { source, start: 0, end: source.text.length, line: 1, col: 1 };
  cache?.begin();
  // The fast path: piece by piece, without error recovery.
  const statements: Statement[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const p of splitTopLevel(source.text, PIECE_LINES)) {
    const text = source.text.slice(p.start, p.end);
    const at = { source, offset: p.start, line: p.line };
    const kept = cache?.get(text, at);
    if (kept) {
      for (const s of kept) statements.push(s);
      continue;
    }
    const r = parsePiece(at, text, false);
    if (r.diagnostics.length > 0) {
      // A piece with an error is parsed again statement by statement (recover.ts), on its own when
      // that gives what a parse of the whole text would; else all from it to the end is.
      const alone = recoverPiece(source, p.start, p.end, PIECE_LINES, cache);
      if (!alone) {
        const rest = parseRecovering(source, PIECE_LINES, cache, p.start, statements);
        return diagnostics.length === 0 ? rest : { ...rest, diagnostics: [...diagnostics, ...rest.diagnostics], incomplete: false };
      }
      for (const s of alone.statements) statements.push(s);
      for (const d of alone.diagnostics) diagnostics.push(d);
      continue;
    }
    cache?.put(text, at, r.statements);
    for (const s of r.statements) statements.push(s);
  }
  return { program: { kind: 'program', statements, span }, diagnostics, incomplete: false };
}
