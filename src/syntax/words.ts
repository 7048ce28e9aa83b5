/** Splits a Word token into literal text, `$var`, `${var}` and `${expr}` parts. */
import type { IToken } from 'chevrotain';
import type { Expr, TextPart, Word, WordPart } from './ast.js';
import { error, type Diagnostic } from './diagnostics.js';
import { MAX_EXPR_DEPTH } from './limits.js';
import { charAt, inIntRange, outOfIntRange, showChar } from './values.js';
import type { Origin, Source, Span } from './source.js';
import { TextPartNode, VarPartNode, wordAt, WordNode } from './word-node.js';

/** Where a token starts in its source: the offset, and the line (its column is its own startColumn). */
const tokenStart = (at: Origin, tok: IToken): number => at.offset + tok.startOffset;
const tokenLine = (at: Origin, tok: IToken): number => at.line + (tok.startLine ?? 1) - 1;

/** The place of characters [from, to) of a token's image, given to `make` as numbers. */
function inToken<T>(at: Origin, tok: IToken, from: number, to: number, make: (source: Source, start: number, end: number, line: number, col: number) => T): T {
  const img = tok.image;
  const upTo = Math.min(from, img.length);
  let line = tokenLine(at, tok);
  // the line breaks before `from` (a string may span lines; most tokens hold none)
  let lastBreak = -1;
  const breaks = tok.endLine !== undefined && tok.endLine !== tok.startLine;
  for (let nl = breaks ? img.indexOf('\n') : -1; nl !== -1 && nl < upTo; nl = img.indexOf('\n', nl + 1)) {
    line++;
    lastBreak = nl;
  }
  const col = lastBreak === -1 ? (tok.startColumn ?? 1) + upTo : upTo - lastBreak;
  const start = tokenStart(at, tok);
  return make(at.source, start + from, start + to, line, col);
}

const asSpan = (source: Source, start: number, end: number, line: number, col: number): Span => ({ source, start, end, line, col });

/** The span of characters [from, to) of a token's image. */
export function spanInToken(at: Origin, tok: IToken, from: number, to: number): Span {
  return inToken(at, tok, from, to, asSpan);
}

export function tokenSpan(at: Origin, tok: IToken): Span {
  const start = tokenStart(at, tok);
  return { source: at.source, start, end: start + tok.image.length, line: tokenLine(at, tok), col: tok.startColumn ?? 1 };
}

/** The code of the diagnostic of a string that is not closed: it runs to the end of the input. */
export const UNTERMINATED = 'unterminated-string';

/** The problem of a string that is not closed, at its opening quote. */
export function unterminated(quote: '"' | "'", at: Span): Diagnostic {
  return error(`unterminated string: expected a closing ${quote}`, at, undefined, UNTERMINATED);
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const BARE = /[^"'\\$]+/y;

class WordReader {
  readonly parts: WordPart[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private text = '';
  private textStart = 0;
  private textQuote: TextPart['quoted'] = 'none';

  constructor(
    private readonly at: Origin,
    private readonly tok: IToken,
  ) {}

  private span(from: number, to: number): Span {
    return spanInToken(this.at, this.tok, from, to);
  }

  /** A text part of characters [from, to) of the image (its span kept as numbers: word-node.ts). */
  private textPart(value: string, quoted: TextPart['quoted'], from: number, to: number): TextPartNode {
    return inToken(this.at, this.tok, from, to, (source, start, end, line, col) => new TextPartNode(value, quoted, source, start, end, line, col));
  }

  private varPart(name: string, from: number, to: number): VarPartNode {
    return inToken(this.at, this.tok, from, to, (source, start, end, line, col) => new VarPartNode(name, source, start, end, line, col));
  }

  private addText(s: string, at: number, quote: TextPart['quoted']): void {
    if (this.text !== '' && this.textQuote !== quote) this.flush(at);
    if (this.text === '') {
      this.textStart = at;
      this.textQuote = quote;
    }
    this.text += s;
  }

  flush(at: number): void {
    if (this.text === '') return;
    this.parts.push(this.textPart(this.text, this.textQuote, this.textStart, at));
    this.text = '';
  }

  /** True when only blanks follow position i of the image up to the end of its line. */
  private restOfLineIsBlank(i: number): boolean {
    const text = this.at.source.text;
    let k = this.at.offset + this.tok.startOffset + i;
    while (k < text.length && (text[k] === ' ' || text[k] === '\t')) k++;
    return k >= text.length || text[k] === '\n' || text[k] === '\r';
  }

  /** Reads `$…` at i; returns the index after it. */
  private dollar(i: number, quote: TextPart['quoted']): number {
    const img = this.tok.image;
    const next = img[i + 1];
    if (next === '{') {
      const close = img.indexOf('}', i + 2);
      if (close === -1) {
        this.diagnostics.push(error('unterminated "${": expected "}"', this.span(i, img.length), 'write ${name} or ${expression}, e.g. ${i+1}'));
        return img.length;
      }
      this.flush(i);
      const inner = img.slice(i + 2, close);
      const trimmed = inner.trim();
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(trimmed) || trimmed === '!') {
        this.parts.push(this.varPart(trimmed, i, close + 1));
      } else {
        const expr = new ExprReader(inner, i + 2, (a, b) => this.span(a, b), this.diagnostics).parse();
        if (expr) this.parts.push({ kind: 'expr', expr, span: this.span(i, close + 1) });
      }
      return close + 1;
    }
    if (next === '!') {
      this.flush(i);
      this.parts.push(this.varPart('!', i, i + 2));
      return i + 2;
    }
    NAME.lastIndex = i + 1;
    const m = NAME.exec(img);
    if (m) {
      this.flush(i);
      this.parts.push(this.varPart(m[0], i, i + 1 + m[0].length));
      return i + 1 + m[0].length;
    }
    this.addText('$', i, quote);
    return i + 1;
  }

  read(): void {
    const img = this.tok.image;
    let i = 0;
    while (i < img.length) {
      const c = img[i]!;
      if (c === '"') {
        const open = i++;
        let closed = false;
        while (i < img.length) {
          const d = img[i]!;
          if (d === '"') {
            closed = true;
            i++;
            break;
          }
          if (d === '\\' && i + 1 < img.length && '"\\$'.includes(img[i + 1]!)) {
            this.addText(img[i + 1]!, i, 'double');
            i += 2;
          } else if (d === '$') {
            i = this.dollar(i, 'double');
          } else {
            this.addText(d, i, 'double');
            i++;
          }
        }
        if (!closed) {
          this.diagnostics.push(unterminated('"', this.span(open, open + 1)));
        } else if (i === open + 2) {
          this.flush(open);
          this.parts.push(this.textPart('', 'double', open, i));
        }
      } else if (c === "'") {
        const close = img.indexOf("'", i + 1);
        if (close === -1) {
          this.diagnostics.push(unterminated("'", this.span(i, i + 1)));
          i = img.length;
        } else {
          if (close === i + 1) {
            this.flush(i);
            this.parts.push(this.textPart('', 'single', i, close + 1));
          } else this.addText(img.slice(i + 1, close), i, 'single');
          i = close + 1;
        }
      } else if (c === '\\' && i + 1 < img.length) {
        if (/[ \t]/.test(img[i + 1]!) && this.restOfLineIsBlank(i + 1)) {
          this.diagnostics.push(error('"\\" is followed by a space, so it does not continue the line', this.span(i, i + 1), 'remove the spaces after \\'));
        }
        this.addText(img[i + 1]!, i, 'none');
        i += 2;
      } else if (c === '$') {
        i = this.dollar(i, 'none');
      } else {
        // a run of plain characters at once
        BARE.lastIndex = i;
        const run = BARE.exec(img)![0];
        this.addText(run, i, 'none');
        i += run.length;
      }
    }
    this.flush(img.length);
  }
}

const EXPR_HINT = 'expressions use integers, variable names, + - * / % and parentheses, e.g. ${i+1}';

/** Integer expressions inside ${…}: + - * / % and parentheses over integers and variable names. */
class ExprReader {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly base: number,
    private readonly span: (from: number, to: number) => Span,
    private readonly diagnostics: Diagnostic[],
  ) {}

  private skip(): void {
    const m = this.match(SPACES);
    if (m) this.pos += m[0].length;
  }
  private at(from: number, to = this.pos): Span {
    return this.span(this.base + from, this.base + to);
  }
  private unexpected(): undefined {
    const c = charAt(this.text, this.pos);
    return this.fail(`unexpected ${showChar(c)} in expression`, this.pos, this.pos + c.length);
  }

  /** `hint` null: none. */
  private fail(message: string, from: number, to: number, hint: string | null = EXPR_HINT): undefined {
    this.diagnostics.push(error(message, this.at(from, Math.max(to, from + 1)), hint ?? undefined));
    return undefined;
  }

  parse(): Expr | undefined {
    if (this.text.trim() === '') return this.fail('empty "${}": expected a variable name or an expression', -2, this.text.length + 1);
    const e = this.sum();
    if (!e) return undefined;
    this.skip();
    if (this.pos < this.text.length) {
      return this.unexpected();
    }
    return e;
  }

  private sum(): Expr | undefined {
    const start = this.pos;
    let left = this.product();
    for (;;) {
      if (!left) return undefined;
      this.skip();
      const op = this.text[this.pos];
      if (op !== '+' && op !== '-') return left;
      this.pos++;
      const right = this.product();
      if (!right) return undefined;
      left = { kind: 'bin', op, left, right, span: this.at(start) };
    }
  }

  private product(): Expr | undefined {
    const start = this.pos;
    let left = this.unary();
    for (;;) {
      if (!left) return undefined;
      this.skip();
      const op = this.text[this.pos];
      if (op !== '*' && op !== '/' && op !== '%') return left;
      this.pos++;
      const right = this.unary();
      if (!right) return undefined;
      left = { kind: 'bin', op, left, right, span: this.at(start) };
    }
  }

  /** How deep the reading is in signs and parentheses: each level is a level of the stack. */
  private depth = 0;

  /** `read` one level deeper, or a problem past MAX_EXPR_DEPTH. */
  private deeper(start: number, read: () => Expr | undefined): Expr | undefined {
    if (this.depth >= MAX_EXPR_DEPTH) {
      return this.fail(`the expression nests more than ${MAX_EXPR_DEPTH} deep`, start, start + 1);
    }
    this.depth++;
    try {
      return read();
    } finally {
      this.depth--;
    }
  }

  private unary(): Expr | undefined {
    this.skip();
    const start = this.pos;
    if (this.text[this.pos] === '-') {
      this.pos++;
      const operand = this.deeper(start, () => this.unary());
      return operand && { kind: 'neg', operand, span: this.at(start) };
    }
    return this.primary();
  }

  /** The match of a sticky `re` at the reading position. */
  private match(re: RegExp): RegExpExecArray | null {
    re.lastIndex = this.pos;
    return re.exec(this.text);
  }

  private primary(): Expr | undefined {
    this.skip();
    const start = this.pos;
    if (this.text[this.pos] === '(') {
      this.pos++;
      const e = this.deeper(start, () => this.sum());
      if (!e) return undefined;
      this.skip();
      if (this.text[this.pos] !== ')') return this.fail('expected ")" in expression', this.pos, this.pos + 1);
      this.pos++;
      return e;
    }
    let m = this.match(DIGITS);
    if (m) {
      this.pos += m[0].length;
      const glued = this.match(NAME_CHARS);
      if (glued && /^[A-Za-z_]/.test(glued[0])) {
        return this.fail(`"${m[0]}${glued[0]}" is not a number or a name`, start, this.pos + 1);
      }
      const value = BigInt(m[0]);
      if (!inIntRange(value)) return this.fail(outOfIntRange('the number', m[0]).problem, start, this.pos, null);
      return { kind: 'num', value, span: this.at(start) };
    }
    m = this.match(REF);
    if (m) {
      this.pos += m[0].length;
      return { kind: 'ref', name: m[1]!, span: this.at(start) };
    }
    if (this.pos >= this.text.length) return this.fail('expression ends too early', this.pos - 1, this.pos);
    return this.unexpected();
  }
}

const SPACES = /\s+/y;
const DIGITS = /\d+/y;
const NAME_CHARS = /[A-Za-z0-9_]+/y;
const REF = /\$?([A-Za-z_][A-Za-z0-9_]*)/y;

const PLAIN = /^[^"'\\$]*$/;
const NO_DIAGNOSTICS: Diagnostic[] = [];

export function parseWord(at: Origin, tok: IToken): { word: Word; diagnostics: Diagnostic[] } {
  if (PLAIN.test(tok.image)) {
    // the common case: no quotes, escapes or variables
    const start = tokenStart(at, tok);
    const word = new WordNode(undefined, tok.image, at.source, start, start + tok.image.length, tokenLine(at, tok), tok.startColumn ?? 1);
    return { word, diagnostics: NO_DIAGNOSTICS };
  }
  const r = new WordReader(at, tok);
  r.read();
  const span = tokenSpan(at, tok);
  // (a copy: the array `push` grew keeps room for 17 parts, which the tree would keep as long as it lives)
  const parts = r.diagnostics.length > 0 ? [...r.parts, { kind: 'broken' as const, span }] : r.parts.slice();
  return { word: makeWord(parts, tok.image, span), diagnostics: r.diagnostics };
}

export function makeWord(parts: readonly WordPart[], raw: string, span: Span): Word {
  // (its literal and whether it is quoted are read from its parts)
  return wordAt(parts, raw, span);
}
