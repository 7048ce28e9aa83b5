/**
 * The words of the syntax tree as the parser makes them. Most words are plain (no quotes, escapes
 * or variables: one unquoted text part, the whole word, at the word's span); such a word keeps no
 * parts of its own and makes its one part when it is first asked for, so that a long script's tree
 * holds one object per plain word instead of three (the word, its parts array, its part), which
 * the garbage collector would copy while the script is parsed. Seen through the `Word` interface
 * (and in JSON), a plain word is the same as any other.
 */
import type { TextPart, Word, WordPart } from './ast.js';
import type { Span } from './source.js';

export class WordNode implements Word {
  readonly kind = 'word' as const;
  /** Undefined for a plain word until `parts` is read. */
  #parts: readonly WordPart[] | undefined;

  /** `parts` undefined: a plain word, whose only part is `raw`, unquoted, at `span`. */
  constructor(
    parts: readonly WordPart[] | undefined,
    readonly raw: string,
    readonly literal: string | undefined,
    readonly quoted: boolean,
    readonly span: Span,
  ) {
    this.#parts = parts;
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
}

/** A plain word: `text` unquoted, no variable, at `span`. */
export function plainWord(text: string, span: Span): WordNode {
  return new WordNode(undefined, text, text, false, span);
}
