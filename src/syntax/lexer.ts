/** Turns nsh text into tokens; lexing errors become diagnostics. */
import { Lexer, type IToken } from 'chevrotain';
import { allTokens } from './tokens.js';
import { error, type Diagnostic } from './diagnostics.js';
import { spanAt, type Origin } from './source.js';

let lexer: Lexer | undefined;

export function theLexer(): Lexer {
  lexer ??= new Lexer(allTokens as never, {
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

/** Tokens of `text`, which starts at `at` in its source. */
export function tokenize(at: Origin, text: string): LexResult {
  const result = theLexer().tokenize(text);
  const diagnostics = result.errors.map(e => {
    let shown = text.slice(e.offset, e.offset + 1);
    if (shown === '|' && text[e.offset + 1] === '|') shown = '||';
    const where = spanAt(at.source, at.offset + e.offset, at.offset + e.offset + shown.length);
    return error(`unexpected character ${JSON.stringify(shown)}`, where, strayHints[shown]);
  });
  return { tokens: result.tokens, diagnostics };
}
