/** A named piece of nsh text, and positions inside it. */

import type { Source, Span } from '../core/span.js';

export type { Source, Span };

/** Where a piece of text that is parsed on its own starts inside its source. */
export interface Origin {
  readonly source: Source;
  readonly offset: number;
  readonly line: number;
}

export function makeSource(name: string, text: string): Source {
  return { name, text };
}

/** Builds a span from offsets, computing line and column by scanning the text. */
export function spanAt(source: Source, start: number, end: number): Span {
  let line = 1;
  let lineStart = 0;
  const text = source.text;
  for (let i = text.indexOf('\n'); i !== -1 && i < start; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { source, start, end, line, col: start - lineStart + 1 };
}

/** A span inside another one, `from` and `to` counted from the outer span's start (same line). */
export function subSpan(outer: Span, from: number, to: number): Span {
  return { source: outer.source, start: outer.start + from, end: outer.start + to, line: outer.line, col: outer.col + from };
}

/** The smallest span covering both. */
export function joinSpans(a: Span, b: Span): Span {
  return { source: a.source, start: a.start, end: Math.max(a.end, b.end), line: a.line, col: a.col };
}

/** Where the line a span starts on begins and ends (without its line break), as offsets. */
export function lineBounds(span: Span): { begin: number; stop: number } {
  const text = span.source.text;
  const begin = span.start - (span.col - 1);
  let stop = text.indexOf('\n', begin);
  if (stop === -1) stop = text.length;
  if (stop > begin && text[stop - 1] === '\r') stop--;
  return { begin, stop };
}

/** The text of the line a span starts on, without its line break. */
export function lineText(span: Span): string {
  const { begin, stop } = lineBounds(span);
  return span.source.text.slice(begin, stop);
}
