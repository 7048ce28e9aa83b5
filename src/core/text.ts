/** The text of a word, which may hold a process id known only when the commands run (a ShellPid). */
import type { ShellPid } from './lab.js';

/** A piece of a text: characters, or a pid known only when the commands run. */
export type Piece = string | ShellPid;

/**
 * A word's text: a string, or, when a ShellPid is part of it (`kill -TERM $!`, explained), its
 * pieces in order. Only the explain and dry-run backends make ShellPids; the kernel's sees strings.
 */
export type Text = string | readonly Piece[];

/** The text of these pieces: a string unless one is a ShellPid (then adjacent strings joined). */
export function textOf(pieces: readonly Piece[]): Text {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else if (p !== '') out.push(p);
  }
  if (out.length === 0) return '';
  return out.length === 1 && typeof out[0] === 'string' ? out[0] : out;
}

/** The pieces of a text. */
export function piecesOf(t: Text): readonly Piece[] {
  return typeof t === 'string' ? [t] : t;
}

/** Texts joined with `separator` between them (echo's words). */
export function joinTexts(texts: readonly Text[], separator: string): Text {
  if (texts.every((t): t is string => typeof t === 'string')) return texts.join(separator);
  return textOf(texts.flatMap((t, i) => (i === 0 ? piecesOf(t) : [separator, ...piecesOf(t)])));
}

/** The ShellPid a text is exactly, if it is one. */
export function shellPidOf(t: Text): ShellPid | undefined {
  return typeof t !== 'string' && t.length === 1 && typeof t[0] !== 'string' ? t[0] : undefined;
}
