/** Text → tokens → CST → AST, with every problem returned as a diagnostic. */
import type { Program, Statement } from './ast.js';
import type { Diagnostic } from './diagnostics.js';
import { parsePiece } from './parse-piece.js';
import { splitTopLevel } from './pieces.js';
import { parseRecovering } from './recover.js';
import type { Source } from './source.js';

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
  /** True when every syntax error is at the end of the input: more text could complete it (the REPL's "..."). */
  readonly incomplete: boolean;
}

/** Pieces of this many lines or more are parsed one at a time: a smaller heap, much less GC. */
export const PIECE_LINES = 100;

export function parseSource(source: Source): ParseResult {
  const span = { source, start: 0, end: source.text.length, line: 1, col: 1 };
  // The fast path: piece by piece, without error recovery.
  const statements: Statement[] = [];
  for (const p of splitTopLevel(source.text, PIECE_LINES)) {
    const r = parsePiece({ source, offset: p.start, line: p.line }, source.text.slice(p.start, p.end), false);
    // With an error anywhere, the whole text is parsed again, statement by statement (recover.ts).
    if (r.diagnostics.length > 0) return parseRecovering(source, PIECE_LINES);
    for (const s of r.statements) statements.push(s);
  }
  return { program: { kind: 'program', statements, span }, diagnostics: [], incomplete: false };
}
