/** Turns nsh text into tokens; lexing errors become diagnostics. */
import { Lexer, type IToken } from 'chevrotain';
import { allTokens } from './tokens.js';
import { error, type Diagnostic } from './diagnostics.js';
import { spanAt, type Source } from './source.js';

let lexer: Lexer | undefined;

function theLexer(): Lexer {
  lexer ??= new Lexer(allTokens as never, {
    positionTracking: 'full',
    ensureOptimizations: false,
    skipValidations: true,
  });
  return lexer;
}

const strayHints: Record<string, string> = {
  '|': 'nsh has no pipes; write in NS sh -c "a | b" to use a shell',
  '>': 'nsh has no redirections; write in NS sh -c "cmd > file" to use a shell',
  '<': 'nsh has no redirections; use <<< "text" for standard input, or in NS sh -c "cmd < file"',
};

export interface LexResult {
  readonly tokens: IToken[];
  readonly diagnostics: Diagnostic[];
}

export function tokenize(source: Source): LexResult {
  const result = theLexer().tokenize(source.text);
  const diagnostics = result.errors.map(e => {
    const ch = source.text.slice(e.offset, e.offset + e.length);
    const shown = ch.length > 1 ? ch[0]! : ch;
    return error(`unexpected character "${shown}"`, spanAt(source, e.offset, e.offset + 1), strayHints[shown]);
  });
  return { tokens: result.tokens, diagnostics };
}
