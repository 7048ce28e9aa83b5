/**
 * The words of the syntax tree as the parser makes them. Most words are plain (no quotes, escapes
 * or variables: one unquoted text part, the whole word, at the word's span); such a word keeps no
 * parts of its own and makes its one part when it is first asked for. And a word keeps the place
 * of its span as numbers, making the span object when it is read. So a long script's tree holds one
 * object per plain word instead of four (the word, its parts array, its part, their span), which
 * the garbage collector would copy while the script is parsed. Seen through the `Word` interface
 * (and in JSON), such a word is the same as any other.
 */
import type { TextPart, Word, WordPart } from './ast.js';
import type { Source, Span } from './source.js';

export class WordNode implements Word {
  readonly kind = 'word' as const;
  /** Undefined for a plain word until `parts` is read. */
  #parts: readonly WordPart[] | undefined;
  #source: Source;
  #start: number;
  #end: number;
  #line: number;
  #col: number;

  /** `parts` undefined: a plain word, whose only part is `raw`, unquoted, at the word's span. */
  constructor(
    parts: readonly WordPart[] | undefined,
    readonly raw: string,
    readonly literal: string | undefined,
    readonly quoted: boolean,
    source: Source,
    start: number,
    end: number,
    line: number,
    col: number,
  ) {
    this.#parts = parts;
    this.#source = source;
    this.#start = start;
    this.#end = end;
    this.#line = line;
    this.#col = col;
  }

  /** A new object at each read: a span is data, never compared by identity. */
  get span(): Span {
    return { source: this.#source, start: this.#start, end: this.#end, line: this.#line, col: this.#col };
  }

  get parts(): readonly WordPart[] {
    if (this.#parts === undefined) {
      const part: TextPart = { kind: 'text', value: this.raw, quoted: 'none', span: this.span };
      this.#parts = [part];
    }
    return this.#parts;
  }

  /** The word as the plain data the `Word` interface describes, its fields in that order. */
  toJSON(): Word {
    return { kind: this.kind, parts: this.parts, raw: this.raw, literal: this.literal, quoted: this.quoted, span: this.span };
  }

  /** The parts the word holds, undefined for a plain word whose part has not been made yet. */
  static partsHeld(w: WordNode): readonly WordPart[] | undefined {
    return w.#parts;
  }

  /** Moves the word's span (not its parts') by `offset` characters and `lines` lines, into `source`. */
  static moveSpan(w: WordNode, offset: number, lines: number, source: Source): void {
    w.#source = source;
    w.#start += offset;
    w.#end += offset;
    w.#line += lines;
  }
}

/** A word at `span`. */
export function wordAt(parts: readonly WordPart[] | undefined, raw: string, literal: string | undefined, quoted: boolean, span: Span): WordNode {
  return new WordNode(parts, raw, literal, quoted, span.source, span.start, span.end, span.line, span.col);
}
