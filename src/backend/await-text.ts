/** What an `await` that ran out of time says, the same from every backend (the kernel's, and the shell text of explain). */
import { pidText, type AwaitOp, type NsRef } from './backend.js';

/** 10 → "10 s", 1.5 → "1.5 s", 0.25 → "250 ms". */
export function secondsText(seconds: number): string {
  if (seconds < 1) return `${Number((seconds * 1000).toPrecision(6))} ms`;
  return `${Number(seconds.toPrecision(6))} s`;
}

function where(ref: NsRef): string {
  switch (ref.kind) {
    case 'name':
      return ref.name === 'host' ? 'the host namespace' : JSON.stringify(ref.name);
    case 'pid':
      return `the namespace of process ${pidText(ref.pid)}`;
    case 'path':
      return `namespace file ${ref.path}`;
  }
}

/** `nothing listens on tcp 8080 in "a" after 10 s` · `10.0.0.2 does not answer from "a" after 10 s` */
export function awaitTimeoutText(op: AwaitOp): string {
  const after = `after ${secondsText(op.timeout)}`;
  if (op.what === 'reach') return `${op.address} does not answer from ${where(op.ref)} ${after}`;
  return `nothing listens on ${op.what} ${op.port} in ${where(op.ref)} ${after}`;
}
