/**
 * Parsing text that has errors, so that a broken statement hides nothing after it. The text is
 * cut into statements where the lexer ends them (a new line or ";" outside blocks), and each is
 * parsed on its own; a statement with a block whose parse fails is parsed without its block, and
 * the block's statements the same way, one level down. Runs of clean statements are parsed
 * together, as the fast path does. A string that is never closed would run to the end of the
 * input: it is reported where it starts, and the rest of the text is read as if it ended with its
 * line.
 */
import type { IToken } from 'chevrotain';
import type { Statement } from './ast.js';
import { type Diagnostic } from './diagnostics.js';
import { tokenize } from './lexer.js';
import { MAX_NESTING } from './limits.js';
import { UNCLOSED } from './parse-messages.js';
import { parsePiece, type PieceResult } from './parse-piece.js';
import type { PieceCache } from './piece-cache.js';
import type { ParseResult } from './parse.js';
import { spanAt, type Source } from './source.js';
import { LBrace, Newline, RBrace, Semicolon } from './tokens.js';
import { UNTERMINATED, unterminated } from './words.js';

/** A statement as the lexer delimits it: offsets in the text (with the new line or ";" that ends it), and its blocks at the outer level. */
interface Run {
  readonly start: number;
  end: number;
  readonly blocks: Block[];
  /** How deep its blocks nest. */
  depth: number;
}

/** A block: the offsets just after its "{" and of its "}" (none when it is never closed). */
interface Block {
  readonly inner: number;
  close?: number;
}

/** Where each line starts, for the line of an offset. */
class Lines {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** The 1-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  startOf(offset: number): number {
    return this.starts[this.lineOf(offset) - 1]!;
  }

  endOf(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    return nl === -1 ? this.text.length : nl;
  }
}

/** Where an unterminated quote opens in a word's text, or -1 (the lexer's rules for quotes, escapes and `${…}`). */
function openQuote(image: string): number {
  for (let i = 0; i < image.length; i++) {
    const c = image[i];
    if (c === '\\') i++;
    else if (c === '"') {
      let j = i + 1;
      while (j < image.length && image[j] !== '"') j += image[j] === '\\' ? 2 : 1;
      if (j >= image.length) return i;
      i = j;
    } else if (c === "'") {
      const j = image.indexOf("'", i + 1);
      if (j === -1) return i;
      i = j;
    } else if (c === '$' && image[i + 1] === '{') {
      while (i < image.length && image[i] !== '}' && image[i] !== '\n') i++;
    }
  }
  return -1;
}

const blank = (s: string) => s.replace(/[^\r\n]/g, ' ');

/** Most strings that are never closed are looked for (each one costs a lexing of the rest). */
const MAX_OPEN_STRINGS = 100;

/**
 * The text with each string that is never closed blanked from its quote to the end of its line,
 * and those strings' problems. Only the last token of a text can hold one (it runs to the end).
 */
function closeStrings(source: Source, lines: Lines): { text: string; diagnostics: Diagnostic[] } {
  let text = source.text;
  const diagnostics: Diagnostic[] = [];
  let from = 0;
  for (let n = 0; n < MAX_OPEN_STRINGS; n++) {
    const tokens = tokenize({ source, offset: from, line: 1 }, text.slice(from)).tokens;
    const last = tokens[tokens.length - 1];
    if (!last) break;
    const q = openQuote(last.image);
    if (q === -1) break;
    const at = from + last.startOffset + q;
    const end = lines.endOf(at);
    diagnostics.push(unterminated(text[at] as '"' | "'", spanAt(source, at, at + 1)));
    text = text.slice(0, at) + ' '.repeat(end - at) + text.slice(end);
    from = from + last.startOffset;
  }
  return { text, diagnostics };
}

/** The statements of a list of tokens, cut at new lines and ";" outside blocks; a "}" that closes nothing stands alone. */
function runsOf(tokens: readonly IToken[], base: number): Run[] {
  const runs: Run[] = [];
  let run: Run | undefined;
  let depth = 0;
  for (const t of tokens) {
    const start = base + t.startOffset;
    const end = start + t.image.length;
    // the new line or ";" that ends a statement is its own (a message may say "found end of line")
    if (depth === 0 && (t.tokenType === Newline || t.tokenType === Semicolon)) {
      if (run) run.end = end;
      run = undefined;
      continue;
    }
    if (depth === 0 && t.tokenType === RBrace) {
      runs.push({ start, end, blocks: [], depth: 0 });
      run = undefined;
      continue;
    }
    if (!run) runs.push((run = { start, end, blocks: [], depth: 0 }));
    run.end = end;
    if (t.tokenType === LBrace) {
      if (depth === 0) run.blocks.push({ inner: end });
      depth++;
      run.depth = Math.max(run.depth, depth);
    } else if (t.tokenType === RBrace) {
      depth--;
      if (depth === 0) run.blocks[run.blocks.length - 1]!.close = start;
    }
  }
  return runs;
}

class Recovery {
  /**
   * `text`: the source's text, or that text with its strings that are never closed blanked
   * (closeStrings), which has the same lines.
   */
  constructor(
    private readonly source: Source,
    private readonly text: string,
    private readonly lines: Lines,
    private readonly chunkLines: number,
    private readonly cache: PieceCache | undefined,
  ) {}

  /**
   * Parses [start, end) of the text, from the start of its line (what stands before `start` on
   * that line is blanked, so columns stay right), with the ranges `hidden` blanked too.
   */
  private parse(start: number, end: number, recovering: boolean, hidden: readonly (readonly [number, number])[] = []): PieceResult {
    const lineStart = this.lines.startOf(start);
    let text = ' '.repeat(start - lineStart);
    let at = start;
    for (const [from, to] of hidden) {
      text += this.text.slice(at, from) + blank(this.text.slice(from, to));
      at = to;
    }
    text += this.text.slice(at, end);
    const origin = { source: this.source, offset: lineStart, line: this.lines.lineOf(lineStart) };
    const kept = recovering ? undefined : this.cache?.get(text, origin);
    if (kept) return { statements: [...kept], diagnostics: [], incomplete: false };
    const r = parsePiece(origin, text, recovering);
    if (!recovering && r.diagnostics.length === 0) this.cache?.put(text, origin, r.statements);
    return r;
  }

  /** The statements of [start, end): clean stretches parsed together, each statement of the others on its own. */
  region(start: number, end: number): PieceResult {
    const lineStart = this.lines.startOf(start);
    const lexed = tokenize({ source: this.source, offset: lineStart, line: 1 }, ' '.repeat(start - lineStart) + this.text.slice(start, end));
    // a word too long to lex: nothing to cut, the piece says what is wrong
    if (lexed.tokens.length === 0) return this.parse(start, end, true);
    const runs = runsOf(lexed.tokens, lineStart);
    const statements: Statement[] = [];
    const diagnostics: Diagnostic[] = [];
    for (let i = 0; i < runs.length; ) {
      // a stretch of statements of at least chunkLines lines
      let j = i + 1;
      const firstLine = this.lines.lineOf(runs[i]!.start);
      while (j < runs.length && this.lines.lineOf(runs[j - 1]!.end) - firstLine < this.chunkLines) j++;
      const together = this.parse(runs[i]!.start, runs[j - 1]!.end, false);
      const results = together.diagnostics.length === 0 ? [together] : runs.slice(i, j).map(r => this.run(r));
      for (const r of results) {
        statements.push(...r.statements);
        diagnostics.push(...r.diagnostics);
      }
      i = j;
    }
    return { statements, diagnostics, incomplete: false };
  }

  /** One statement; one with blocks that does not parse is parsed without them, and they on their own. */
  private run(r: Run): PieceResult {
    const plain = this.parse(r.start, r.end, false);
    if (plain.diagnostics.length === 0) return plain;
    if (r.blocks.length === 0 || r.depth > MAX_NESTING) return this.parse(r.start, r.end, true);
    const inner = r.blocks.map(b => [b.inner, b.close ?? r.end] as const);
    const head = this.parse(r.start, r.end, true, inner);
    const bodies = inner.map(([from, to]) => this.region(from, to));
    const statements = head.statements.map(s => withBody(s, r.blocks, bodies));
    const innerUnclosed = bodies.some(b => b.diagnostics.some(d => d.message === UNCLOSED));
    const diagnostics = [...head.diagnostics.filter(d => !(innerUnclosed && d.message === UNCLOSED)), ...bodies.flatMap(b => b.diagnostics)];
    return { statements, diagnostics, incomplete: false };
  }
}

/** A statement parsed with its block blanked, given the statements of the block that belongs to it. */
function withBody(s: Statement, blocks: readonly Block[], bodies: readonly PieceResult[]): Statement {
  if (s.kind === 'not') return { ...s, statement: withBody(s.statement, blocks, bodies) };
  if (s.kind !== 'def' && s.kind !== 'for') return s;
  const i = blocks.findIndex(b => b.inner > s.span.start && b.inner <= s.span.end);
  return i === -1 ? s : { ...s, body: bodies[i]!.statements };
}

/**
 * The text from `from` to its end parsed so (`chunkLines`: how many lines of clean statements are
 * parsed at once; `cache`: clean stretches parsed before; `before`: the statements before `from`,
 * which parsed cleanly, so that `from` starts a statement at the top level).
 */
export function parseRecovering(source: Source, chunkLines: number, cache?: PieceCache, from = 0, before: readonly Statement[] = []): ParseResult {
  const span = { source, start: 0, end: source.text.length, line: 1, col: 1 };
  const lines = new Lines(source.text);
  let r = new Recovery(source, source.text, lines, chunkLines, cache).region(from, source.text.length);
  let strings: Diagnostic[] = [];
  // a string never closed ran to the end: read again as if each such string ended with its line
  if (r.diagnostics.some(d => d.code === UNTERMINATED)) {
    const closed = closeStrings(source, lines);
    strings = closed.diagnostics;
    r = new Recovery(source, closed.text, lines, chunkLines, cache).region(from, source.text.length);
  }
  // a parse problem on the line of a string that is never closed follows from it
  const stringLines = new Set(strings.map(d => d.span!.line));
  const found = r.diagnostics.filter(d => !stringLines.has(d.span?.line ?? -1));
  const diagnostics = [...strings, ...found].sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  // Unfinished, so that more text could complete it (the REPL's "..."): a string not closed yet
  // (what follows it would be inside it), or a block not closed yet, with nothing else wrong.
  // (An unclosed block runs to the end of the text: it is always the last problem.)
  const open = strings[0]?.span?.start ?? Infinity;
  const incomplete = diagnostics.length > 0 && found.every(d => d.message === UNCLOSED || (d.span?.start ?? 0) > open);
  return { program: { kind: 'program', statements: [...before, ...r.statements], span }, diagnostics, incomplete };
}

/**
 * A piece [start, end) of the text, cut at a top-level line end, parsed so on its own, when that is
 * sure to give what a parse of the whole text gives there: the lexer reads the piece without an
 * error, its blocks close inside it, and no "}" closes nothing (so its end is a statement's end
 * at the top level, as the cut assumed), and nothing in it is left unclosed. Otherwise undefined.
 */
export function recoverPiece(source: Source, start: number, end: number, chunkLines: number, cache?: PieceCache): PieceResult | undefined {
  const lines = new Lines(source.text);
  const lexed = tokenize({ source, offset: start, line: lines.lineOf(start) }, source.text.slice(start, end));
  if (lexed.diagnostics.length > 0 || lexed.tokens.length === 0) return undefined;
  let depth = 0;
  for (const t of lexed.tokens) {
    if (t.tokenType === LBrace) depth++;
    else if (t.tokenType === RBrace && --depth < 0) return undefined;
  }
  if (depth !== 0) return undefined;
  const r = new Recovery(source, source.text, lines, chunkLines, cache).region(start, end);
  return r.diagnostics.some(d => d.code === UNTERMINATED || d.message === UNCLOSED) ? undefined : r;
}
