/**
 * The words of the syntax tree as the parser makes them. Most words are plain (no quotes, escapes
 * or variables: one unquoted text part, the whole word, at the word's span); such a word keeps no
 * parts of its own and makes its one part when it is first asked for. And a word, like the text
 * and variable parts of the other words, keeps the place of its span as numbers, making the span
 * object when it is read. So a long script's tree holds one object per plain word instead of four
 * (the word, its parts array, its part, their span), and one per part of the other words instead
 * of two, which the garbage collector would copy while the script is parsed. A word holds only
 * its raw text, its parts and its place: its literal and whether it is quoted are read from its
 * parts, and its kind is its class's. Seen through the `Word` and `WordPart` interfaces (and in
 * JSON), such a node is the same as a plain object.
 */
import type { TextPart, VarPart, Word, WordPart } from './ast.js';
import type { Source, Span } from './source.js';

/** A node that keeps its span as numbers; its `span` is a new object at each read (a span is data, never compared by identity). */
export abstract class Placed {
  #source: Source;
  #start: number;
  #end: number;
  #line: number;
  #col: number;

  constructor(source: Source, start: number, end: number, line: number, col: number) {
    this.#source = source;
    this.#start = start;
    this.#end = end;
    this.#line = line;
    this.#col = col;
  }

  get span(): Span {
    return { source: this.#source, start: this.#start, end: this.#end, line: this.#line, col: this.#col };
  }

  /**
   * Moves the node's span (not its parts') by `offset` characters and `lines` lines, into
   * `source`; once only: a node already in `source` (shared, moved before) stays.
   */
  static moveSpan(n: Placed, offset: number, lines: number, source: Source): void {
    if (n.#source === source) return;
    n.#source = source;
    n.#start += offset;
    n.#end += offset;
    n.#line += lines;
  }
}

/** A text part of a word that is not plain. */
export class TextPartNode extends Placed implements TextPart {
  readonly kind: 'text';
  readonly value: string;
  readonly quoted: TextPart['quoted'];

  constructor(value: string, quoted: TextPart['quoted'], source: Source, start: number, end: number, line: number, col: number) {
    super(source, start, end, line, col);
    this.kind = 'text';
    this.value = value;
    this.quoted = quoted;
  }

  toJSON(): TextPart {
    return { kind: this.kind, value: this.value, quoted: this.quoted, span: this.span };
  }
}

/** A `$name` part of a word. */
export class VarPartNode extends Placed implements VarPart {
  readonly kind: 'var';
  readonly name: string;

  constructor(name: string, source: Source, start: number, end: number, line: number, col: number) {
    super(source, start, end, line, col);
    this.kind = 'var';
    this.name = name;
  }

  toJSON(): VarPart {
    return { kind: this.kind, name: this.name, span: this.span };
  }
}

export class WordNode extends Placed implements Word {
  declare readonly kind: 'word';
  /** Undefined for a plain word until `parts` is read. */
  #parts: readonly WordPart[] | undefined;

  /** `parts` undefined: a plain word, whose only part is `raw`, unquoted, at the word's span. */
  constructor(
    parts: readonly WordPart[] | undefined,
    readonly raw: string,
    source: Source,
    start: number,
    end: number,
    line: number,
    col: number,
  ) {
    super(source, start, end, line, col);
    this.#parts = parts;
  }

  get parts(): readonly WordPart[] {
    if (this.#parts === undefined) {
      const part: TextPart = { kind: 'text', value: this.raw, quoted: 'none', span: this.span };
      this.#parts = [part];
    }
    return this.#parts;
  }

  /** The text of the parts when all are text (a plain word's is `raw`), read from the parts at each read. */
  get literal(): string | undefined {
    const parts = this.#parts;
    if (parts === undefined) return this.raw;
    if (parts.length === 1) return parts[0]!.kind === 'text' ? parts[0]!.value : undefined;
    let literal = '';
    for (const p of parts) {
      if (p.kind !== 'text') return undefined;
      literal += p.value;
    }
    return literal;
  }

  /** Whether a part is quoted (a plain word's is not), read from the parts at each read. */
  get quoted(): boolean {
    const parts = this.#parts;
    if (parts === undefined) return false;
    for (const p of parts) if (p.kind === 'text' && p.quoted !== 'none') return true;
    return false;
  }

  /** The word as the plain data the `Word` interface describes, its fields in that order. */
  toJSON(): Word {
    return { kind: this.kind, parts: this.parts, raw: this.raw, literal: this.literal, quoted: this.quoted, span: this.span };
  }

  /** The parts the word holds, undefined for a plain word whose part has not been made yet. */
  static partsHeld(w: WordNode): readonly WordPart[] | undefined {
    return w.#parts;
  }
}

// A word's kind is its class's: on the prototype, not a field of every word the tree keeps. (A
// part's stays its own: a part may be spread, `{ ...part, value }`, and a word may not.)
Object.defineProperty(WordNode.prototype, 'kind', { value: 'word', enumerable: true });

/** A word at `span`. */
export function wordAt(parts: readonly WordPart[] | undefined, raw: string, span: Span): WordNode {
  return new WordNode(parts, raw, span.source, span.start, span.end, span.line, span.col);
}
