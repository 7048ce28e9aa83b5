/** What an `await` that ran out of time says, the same from every backend (the kernel's, and the shell text of explain). */
import { piecesOf, textOf, type Text } from '../core/text.js';
import type { AwaitOp, NsRef } from './backend.js';

/** 10 → "10 s", 1.5 → "1.5 s", 0.25 → "250 ms". */
export function secondsText(seconds: number): string {
  if (seconds < 1) return `${Number((seconds * 1000).toPrecision(6))} ms`;
  return `${Number(seconds.toPrecision(6))} s`;
}

function where(ref: NsRef): Text {
  switch (ref.kind) {
    case 'name':
      return ref.name === 'host' ? 'the host namespace' : JSON.stringify(ref.name);
    case 'pid':
      return textOf(['the namespace of process ', typeof ref.pid === 'number' ? String(ref.pid) : ref.pid]);
    case 'path':
      return `namespace file ${ref.path}`;
  }
}

/**
 * `nothing listens on tcp 8080 in "a" after 10 s` · `10.0.0.2 does not answer from "a" after 10 s`
 * (explained, a pid known only when the commands run stays a piece of its own).
 */
export function awaitTimeoutText(op: AwaitOp): Text {
  const after = ` after ${secondsText(op.timeout)}`;
  const at = piecesOf(where(op.ref));
  if (op.what === 'reach') return textOf([`${op.address} does not answer from `, ...at, after]);
  return textOf([`nothing listens on ${op.what} ${op.port} in `, ...at, after]);
}
