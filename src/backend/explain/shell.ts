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
