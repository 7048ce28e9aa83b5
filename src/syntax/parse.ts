/** Text → tokens → CST → AST, with every problem returned as a diagnostic. */
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type { Program } from './ast.js';
import { AstBuilder } from './cst-to-ast.js';
import { error, type Diagnostic } from './diagnostics.js';
import { tokenize } from './lexer.js';
import { theParser } from './parser.js';
import { spanAt, type Source, type Span } from './source.js';
import { usage } from './usage.js';
import { tokenSpan } from './words.js';

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
  /** True when every syntax error is at the end of the input: more text could complete it (the REPL's "..."). */
  readonly incomplete: boolean;
}

function errorSpan(source: Source, tok: IToken): Span {
  if (tok.tokenType === EOF || Number.isNaN(tok.startOffset)) {
    const end = source.text.replace(/\s+$/, '').length;
    return spanAt(source, end, end + 1);
  }
  return tokenSpan(source, tok);
}

function hintFor(e: IRecognitionException): string | undefined {
  const stack = e.context?.ruleStack ?? [];
  for (let i = stack.length - 1; i >= 0; i--) {
    const u = usage[stack[i]!];
    if (u && stack[i] !== 'block') return `usage: ${u}`;
  }
  return undefined;
}

function atEnd(source: Source, tok: IToken): boolean {
  if (tok.tokenType === EOF || Number.isNaN(tok.startOffset)) return true;
  return source.text.slice(tok.startOffset).trim() === '';
}

export function parseSource(source: Source): ParseResult {
  const lexed = tokenize(source);
  const parser = theParser();
  parser.input = lexed.tokens;
  const cst = parser.program();
  const diagnostics: Diagnostic[] = [...lexed.diagnostics];
  let incomplete = parser.errors.length > 0;
  for (const e of parser.errors) {
    diagnostics.push(error(e.message, errorSpan(source, e.token), hintFor(e)));
    if (!atEnd(source, e.token)) incomplete = false;
  }
  // an unterminated string or ${ swallows the rest of the input: more input could close it
  const builder = new AstBuilder(source);
  const program = builder.program(cst);
  for (const d of builder.diagnostics) {
    diagnostics.push(d);
    incomplete = false;
  }
  if (lexed.diagnostics.length > 0) incomplete = false;
  return { program, diagnostics: diagnostics.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0)), incomplete };
}
