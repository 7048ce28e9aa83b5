/** Where a thing was written: a named piece of nsh text, and a range inside it. Every layer speaks of places with these. */

export interface Source {
  readonly name: string;
  readonly text: string;
}

/** A half-open range [start, end) of character offsets in a source, with 1-based line/column of its start. */
export interface Span {
  readonly source: Source;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly col: number;
}
