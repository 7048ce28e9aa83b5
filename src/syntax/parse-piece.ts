/** One piece of text → tokens → CST → AST, with every problem as a diagnostic (the parser's errors in nsh's words). */
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type { Statement } from './ast.js';
import { AstBuilder } from './cst-to-ast.js';
import type { ProgramCstNode } from './cst.js';
import { error, type Diagnostic } from './diagnostics.js';
import { tokenize } from './lexer.js';
import { UNCLOSED } from './parse-messages.js';
import { theParser } from './parser.js';
import { MAX_NESTING } from './limits.js';
import { keywordNames, statementKeywordNames } from './keywords.js';
import { nearest } from '../core/nearest.js';
import { LBrace, Newline, PlainWord, RBrace, Semicolon } from './tokens.js';
import { spanAt, type Origin, type Span } from './source.js';
import { usage } from './usage.js';
import { tokenSpan, UNTERMINATED } from './words.js';

export interface PieceResult {
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

/**
 * When the statement the error is in starts with a mistyped statement name (`vteh a.v0 <-> …`
 * reads as a call of `vteh`, which then stumbles on "<->"): the name it was meant to be.
 */
function typoHint(tokens: readonly IToken[], at: IToken): string | undefined {
  let i = tokens.indexOf(at);
  if (i < 0) i = tokens.length;
  while (i > 0 && ![Newline, Semicolon, LBrace, RBrace].includes(tokens[i - 1]!.tokenType)) i--;
  const first = tokens[i];
  if (first === undefined || first === at || first.tokenType !== PlainWord || keywordNames.has(first.image)) return undefined;
  const near = nearest(first.image, statementKeywordNames);
  return near === undefined ? undefined : `"${first.image}" is not a statement; did you mean ${near}?`;
}

/** The innermost "{" that no "}" closes. */
function unclosedBrace(at: Origin, tokens: readonly IToken[]): Span {
  const open: IToken[] = [];
  for (const t of tokens) {
    if (t.tokenType === LBrace) open.push(t);
    else if (t.tokenType === RBrace) open.pop();
  }
  const last = open[open.length - 1] ?? tokens[tokens.length - 1]!;
  return tokenSpan(at, last);
}

function atEnd(text: string, tok: IToken): boolean {
  if (tok.tokenType === EOF || Number.isNaN(tok.startOffset)) return true;
  return text.slice(tok.startOffset).trim() === '';
}

/** The first "{" that opens a block nested more than MAX_NESTING deep, if any. */
export function tooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  for (const t of tokens) {
    if (t.tokenType === LBrace && ++depth > MAX_NESTING) return t;
    if (t.tokenType === RBrace && depth > 0) depth--;
  }
  return undefined;
}

export function parsePiece(at: Origin, text: string, recovering: boolean): PieceResult {
  const lexed = tokenize(at, text);
  // the parser, the tree and the interpreter go one level deeper on the stack per block
  const deep = tooDeep(lexed.tokens);
  if (deep) {
    const d = error(`blocks nest more than ${MAX_NESTING} deep`, tokenSpan(at, deep), 'move the inner part into a def');
    return { statements: [], diagnostics: [...lexed.diagnostics, d], incomplete: false };
  }
  const parser = theParser(recovering);
  parser.input = lexed.tokens;
  const cst = parser.program();
  const diagnostics: Diagnostic[] = [...lexed.diagnostics];
  let lastLine = -1;
  const lexLines = new Set(lexed.diagnostics.map(d => d.span?.line));
  for (const e of parser.errors) {
    // After recovery the parser often stumbles again on the same line, or at the end of the
    // input: those are echoes of the first error, not news.
    const span = e.message === UNCLOSED ? unclosedBrace(at, lexed.tokens) : errorSpan(at, text, e.token);
    if (lexLines.has(span.line) || span.line === lastLine || (lastLine !== -1 && atEnd(text, e.token) && e.message !== UNCLOSED)) continue;
    if (e.message === UNCLOSED && diagnostics.some(d => d.message === UNCLOSED)) continue;
    lastLine = span.line;
    diagnostics.push(error(e.message, span, typoHint(lexed.tokens, e.token) ?? hintFor(e)));
  }
  const builder = new AstBuilder(at, parser.errors.length > 0);
  // without recovery, a failed parse returns no tree at all
  const statements = cst ? [...builder.program((cst as ProgramCstNode).children).statements] : [];
  // A broken word (an unterminated string) explains a parse error on its line: keep only the cause.
  // An unterminated string runs to the end of the input: it explains every parse error after it,
  // and a "{" that is never closed.
  const wordLines = new Set(builder.diagnostics.map(d => d.span?.line));
  const open = builder.diagnostics.find(d => d.code === UNTERMINATED)?.span;
  const echo = (d: Diagnostic) => wordLines.has(d.span?.line) || (open !== undefined && (d.message === UNCLOSED || (d.span?.start ?? 0) >= open.start));
  const kept = diagnostics.filter(d => lexed.diagnostics.includes(d) || !echo(d));
  kept.push(...builder.diagnostics);
  diagnostics.length = 0;
  diagnostics.push(...kept);
  // Unfinished, so that more text could complete it (the REPL's "..."): only a "{" that is not
  // closed yet, or a string that is not; a statement that misses words is an error at once.
  const unfinished = open
    ? builder.diagnostics.every(d => d.code === UNTERMINATED)
    : builder.diagnostics.length === 0 && parser.errors.length > 0 && parser.errors.every(e => e.message === UNCLOSED);
  const incomplete = lexed.diagnostics.length === 0 && unfinished;
  return { statements, diagnostics, incomplete };
}
