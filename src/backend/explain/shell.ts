/** Quoting for the shell text that --explain prints. */
import type { Pid } from '../backend.js';
import { piecesOf, type Text } from '../../core/text.js';

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One shell word: bare when safe, else single-quoted; a pid known only at run time becomes "${var}". */
export function q(text: Text): string {
  const pieces = piecesOf(text).filter(p => p !== '');
  if (pieces.length === 0) return "''";
  return pieces
    .map(p => {
      if (typeof p !== 'string') return `"\${${p.name}}"`;
      if (SAFE.test(p)) return p;
      return `'${p.replace(/'/g, `'\\''`)}'`;
    })
    .join('');
}

/** A process id as a shell word: the number, or "${var}" when it is known only at run time. */
export function qPid(pid: Pid): string {
  return typeof pid === 'number' ? String(pid) : q([pid]);
}

export function words(argv: readonly Text[]): string {
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
