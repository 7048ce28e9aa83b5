/** Quoting for the shell text that --explain prints. */
import { symbolicPieces } from '../backend.js';

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One shell word: bare when safe, else single-quoted; a pid known only at run time becomes "${var}". */
export function q(text: string): string {
  const pieces = symbolicPieces(text);
  if (pieces.length === 0) return "''";
  return pieces
    .map(p => {
      if (p.shell) return `"\${${p.text}}"`;
      if (SAFE.test(p.text)) return p.text;
      return `'${p.text.replace(/'/g, `'\\''`)}'`;
    })
    .join('');
}

export function words(argv: readonly string[]): string {
  return argv.map(q).join(' ');
}

/**
 * Text for a `#` comment: a line break (or another control character but a tab) in a file name or a
 * statement's text would end the comment and let the rest run as shell, so each one is shown
 * as `?`.
 */
export function commentText(text: string): string {
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '?');
}
