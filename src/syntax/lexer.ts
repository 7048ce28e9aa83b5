/** Turns nsh text into tokens; lexing errors become diagnostics. */
import { Lexer, type IToken, type TokenType } from 'chevrotain';
import { allTokens, whiteSpaceCodes } from './tokens.js';
import { error, type Diagnostic } from './diagnostics.js';
import { grouped, MAX_WORD } from './limits.js';
import { spanAt, type Origin } from './source.js';
import { charAt, showChar } from './values.js';

/**
 * Chevrotain's tokens have the shape of its end-of-input token, whose positions are NaN, so V8
 * holds every token's positions as boxed numbers: six allocations more per token. The tokens made
 * here have the same fields in another order, a shape of their own whose positions stay small
 * integers (and so do the spans made from them).
 */
class NshLexer extends Lexer {
  createFullToken(image: string, startOffset: number, tokenTypeIdx: number, tokenType: TokenType, startLine: number, startColumn: number, imageLength: number): IToken {
    return {
      tokenType,
      tokenTypeIdx,
      image,
      startOffset,
      endOffset: startOffset + imageLength - 1,
      startLine,
      endLine: startLine,
      startColumn,
      endColumn: startColumn + imageLength - 1,
    };
  }
}

let lexer: Lexer | undefined;

export function theLexer(): Lexer {
  lexer ??= new NshLexer(allTokens as never, {
    positionTracking: 'full',
    ensureOptimizations: true,
    skipValidations: true,
  });
  return lexer;
}

const strayHints: Record<string, string> = {
  '|': 'nsh has no pipes; write in NS sh -c "a | b" to use a shell',
  '||': 'nsh has no ||; write ! STATEMENT for a statement that must fail',
  '>': 'nsh has no redirections; write in NS sh -c "cmd > file" to use a shell',
  '<': 'nsh has no redirections; use <<< "text" for standard input, or in NS sh -c "cmd < file"',
};

export interface LexResult {
  readonly tokens: IToken[];
  readonly diagnostics: Diagnostic[];
}

const space = new Uint8Array(0x10000);
for (const c of whiteSpaceCodes) space[c] = 1;

/** Where a run of characters with no white space is longer than any word may be, if one is. */
function overlong(text: string): { start: number; end: number } | undefined {
  if (text.length <= MAX_WORD) return undefined;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !space[text.charCodeAt(i)]) continue;
    if (i - start > MAX_WORD) return { start, end: i };
    start = i + 1;
  }
  return undefined;
}

function tooLong(at: Origin, start: number, end: number): Diagnostic {
  return error(`this word is ${grouped(end - start)} characters; nsh allows at most ${grouped(MAX_WORD)}`, spanAt(at.source, at.offset + start, at.offset + end));
}

/** Tokens of `text`, which starts at `at` in its source. */
export function tokenize(at: Origin, text: string): LexResult {
  // A word so long would take the lexer's regular expressions deeper than the stack goes.
  const long = overlong(text);
  if (long) return { tokens: [], diagnostics: [tooLong(at, long.start, long.end)] };
  const result = theLexer().tokenize(text);
  // (no token is longer than its text: the common case needs no look at each token)
  const diagnostics = text.length <= MAX_WORD ? [] : result.tokens.filter(t => t.image.length > MAX_WORD).map(t => tooLong(at, t.startOffset, t.startOffset + t.image.length));
  for (const e of result.errors) {
    let shown = charAt(text, e.offset);
    if (shown === '|' && text[e.offset + 1] === '|') shown = '||';
    const where = spanAt(at.source, at.offset + e.offset, at.offset + e.offset + shown.length);
    diagnostics.push(error(`unexpected character ${showChar(shown)}`, where, strayHints[shown]));
  }
  return { tokens: result.tokens, diagnostics };
}
