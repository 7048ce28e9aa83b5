/** Reading the captures of capture-fixtures.sh: the datagrams of a command, decoded or raw. */
import { strict as assert } from 'node:assert';
import type { NlRequest } from '../../src/backend/linux/netlink/index.js';
import type { Capture } from './fixtures.js';

/** The captured datagrams of `key` in one direction. */
export function captured(fixtures: Record<string, Capture>, key: string, dir: 'send' | 'recv'): Array<{ fd: number; buf: Buffer }> {
  const f = fixtures[key];
  if (!f) throw new Error(`no fixture ${key}`);
  return f.io
    .filter((e) => e.dir === dir)
    .map((e) => {
      const buf = Buffer.from(e.hex, 'hex');
      // strace dumps the whole send buffer; ip's dump requests carry unused space after nlmsg_len.
      const len = dir === 'send' ? buf.readUInt32LE(0) : buf.length;
      return { fd: e.fd, buf: buf.subarray(0, len) };
    });
}

/** The tool's requests with the same nlmsg_type and flags as ours (it also sends lookups and probes). */
export function sameKind(fixtures: Record<string, Capture>, key: string, req: NlRequest): Buffer[] {
  const hits = captured(fixtures, key, 'send').filter(
    (s) => s.buf.readUInt16LE(4) === req.type && s.buf.readUInt16LE(6) === req.flags,
  );
  assert.ok(hits.length > 0, `${key}: no message of type ${req.type} flags 0x${req.flags.toString(16)} was sent`);
  return hits.map((h) => h.buf);
}

/** The last of them (the one that does the work). */
export function ipRequest(fixtures: Record<string, Capture>, key: string, req: NlRequest): Buffer {
  return sameKind(fixtures, key, req).at(-1)!;
}
