/** Text → tokens → CST → AST, with every problem returned as a diagnostic. */
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type { Program, Statement } from './ast.js';
import { AstBuilder } from './cst-to-ast.js';
import { error, type Diagnostic } from './diagnostics.js';
import { tokenize } from './lexer.js';
import { theParser } from './parser.js';
import { splitTopLevel } from './pieces.js';
import { spanAt, type Origin, type Source, type Span } from './source.js';
import { usage } from './usage.js';
import { tokenSpan } from './words.js';

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
  /** True when every syntax error is at the end of the input: more text could complete it (the REPL's "..."). */
  readonly incomplete: boolean;
}

interface PieceResult {
  readonly statements: Statement[];
  readonly diagnostics: Diagnostic[];
  readonly incomplete: boolean;
}

function errorSpan(at: Origin, text: string, tok: IToken): Span {
  if (tok.tokenType === EOF || Number.isNaN(tok.startOffset)) {
    const end = at.offset + text.replace(/\s+$/, '').length;
    return spanAt(at.source, end, end + 1);
  }
  return tokenSpan(at, tok);
}

/** The usage of the innermost statement the error is in. */
function hintFor(e: IRecognitionException): string | undefined {
  const stack = e.context?.ruleStack ?? [];
  const rule = [...stack].reverse().find(r => r.endsWith('Stmt') && usage[r]) ?? stack.findLast(r => usage[r] && r !== 'block');
  return rule ? `usage: ${usage[rule]}` : undefined;
}

function atEnd(text: string, tok: IToken): boolean {
  if (tok.tokenType === EOF || Number.isNaN(tok.startOffset)) return true;
  return text.slice(tok.startOffset).trim() === '';
}

function parsePiece(at: Origin, text: string): PieceResult {
  const lexed = tokenize(at, text);
  const parser = theParser();
  parser.input = lexed.tokens;
  const cst = parser.program();
  const diagnostics: Diagnostic[] = [...lexed.diagnostics];
  let incomplete = parser.errors.length > 0 && lexed.diagnostics.length === 0;
  for (const e of parser.errors) {
    diagnostics.push(error(e.message, errorSpan(at, text, e.token), hintFor(e)));
    if (!atEnd(text, e.token)) incomplete = false;
  }
  const builder = new AstBuilder(at, parser.errors.length > 0);
  const statements = builder.statements(cst.children.statements?.[0] as never);
  if (builder.diagnostics.length > 0) incomplete = false;
  diagnostics.push(...builder.diagnostics);
  return { statements, diagnostics, incomplete };
}

/** Pieces of this many lines or more are parsed one at a time: a smaller heap, much less GC. */
const PIECE_LINES = 100;

export function parseSource(source: Source): ParseResult {
  const span = { source, start: 0, end: source.text.length, line: 1, col: 1 };
  const pieces = splitTopLevel(source.text, PIECE_LINES);
  if (pieces.length > 1) {
    const statements: Statement[] = [];
    let clean = true;
    for (const p of pieces) {
      const r = parsePiece({ source, offset: p.start, line: p.line }, source.text.slice(p.start, p.end));
      if (r.diagnostics.length > 0) {
        clean = false;
        break;
      }
      for (const s of r.statements) statements.push(s);
    }
    // With an error anywhere, parse the whole text at once so recovery sees all of it.
    if (clean) return { program: { kind: 'program', statements, span }, diagnostics: [], incomplete: false };
  }
  const r = parsePiece({ source, offset: 0, line: 1 }, source.text);
  const diagnostics = r.diagnostics.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  return { program: { kind: 'program', statements: r.statements, span }, diagnostics, incomplete: r.incomplete };
}
