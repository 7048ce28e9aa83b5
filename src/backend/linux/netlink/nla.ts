/**
 * Declared attribute maps, in the style of pyroute2's nla_map: each map names the attributes of
 * one attribute space, with its number and its type, and decoding goes through the map (unknown
 * attributes are skipped; when a type repeats, the last one wins). A type is a scalar, a struct
 * layout, a nested map, or a struct followed by attributes of a map (`headed`, e.g. the veth
 * peer's ifinfomsg + IFLA_*). The decoded value of a map is a plain object typed from the map.
 */
import ipaddr from 'ipaddr.js';
import { NLA_HDRLEN, nlaAlign } from './attr.js';
import { NLA_TYPE_MASK } from './constants.js';
import type { Struct } from './struct.js';

/**
 * 'string' stops at the first NUL; 'mac' is a colon-separated hex text; 'ip' an IPv4 or IPv6
 * address in text; 'flag' an attribute with no payload (true when present); 'u64' a number.
 */
export type Scalar = 'u8' | 'u16' | 'u32' | 's32' | 'u64' | 'be16' | 'string' | 'mac' | 'ip' | 'bytes' | 'flag';

export interface Headed<H, D extends Decl> {
  readonly headed: true;
  readonly head: Struct<H>;
  readonly map: NlaMap<D>;
}
export type Spec = Scalar | Struct<object> | NlaMap<Decl> | Headed<object, Decl>;
export type Decl = { readonly [name: string]: readonly [type: number, spec: Spec] };

export interface NlaMap<D extends Decl> {
  readonly nla: true;
  readonly decl: D;
  /** attribute number → [name, type] */
  readonly byType: ReadonlyMap<number, readonly [string, Spec]>;
}

type ValueOf<S> = S extends 'string' | 'mac' | 'ip'
  ? string
  : S extends 'bytes'
    ? Buffer
    : S extends 'flag'
      ? true
      : S extends Scalar
        ? number
        : S extends NlaMap<infer D>
          ? Decoded<D>
          : S extends Headed<infer H, infer D>
            ? { header: H; attrs: Decoded<D> }
            : S extends Struct<infer T>
              ? T
              : never;

export type Decoded<D extends Decl> = { -readonly [K in keyof D]?: ValueOf<D[K][1]> };

export function nla<const D extends Decl>(decl: D): NlaMap<D> {
  const byType = new Map<number, readonly [string, Spec]>();
  for (const [name, [type, spec]] of Object.entries(decl)) byType.set(type, [name, spec]);
  return { nla: true, decl, byType };
}

export function headed<H, const D extends Decl>(head: Struct<H>, map: NlaMap<D>): Headed<H, D> {
  return { headed: true, head, map };
}

/** Decode the attributes in buf[start..end] through `map`. */
export function decodeAttrs<D extends Decl>(map: NlaMap<D>, buf: Buffer, start = 0, end = buf.length): Decoded<D> {
  const out: Record<string, unknown> = {};
  let at = start;
  while (at + NLA_HDRLEN <= end) {
    const len = buf.readUInt16LE(at);
    if (len < NLA_HDRLEN || at + len > end) break; // malformed or truncated: stop
    const known = map.byType.get(buf.readUInt16LE(at + 2) & NLA_TYPE_MASK);
    if (known) {
      const value = decodeValue(known[1], buf.subarray(at + NLA_HDRLEN, at + len));
      if (value !== undefined) out[known[0]] = value;
    }
    at += nlaAlign(len);
  }
  return out as Decoded<D>;
}

/** A struct followed by attributes (a message's family header and attributes, the veth peer). */
export function decodeHeaded<H, D extends Decl>(h: Headed<H, D>, b: Buffer): { header: H; attrs: Decoded<D> } | undefined {
  if (b.length < h.head.size) return undefined;
  return { header: h.head.unpack(b), attrs: decodeAttrs(h.map, b, nlaAlign(h.head.size)) };
}

function decodeValue(spec: Spec, b: Buffer): unknown {
  if (typeof spec === 'object') {
    if ('nla' in spec) return decodeAttrs(spec, b);
    if ('headed' in spec) return decodeHeaded(spec, b);
    return b.length >= spec.size ? spec.unpack(b) : undefined;
  }
  switch (spec) {
    case 'u8': return b.length >= 1 ? b.readUInt8(0) : undefined;
    case 'u16': return b.length >= 2 ? b.readUInt16LE(0) : undefined;
    case 'be16': return b.length >= 2 ? b.readUInt16BE(0) : undefined;
    case 'u32': return b.length >= 4 ? b.readUInt32LE(0) : undefined;
    case 's32': return b.length >= 4 ? b.readInt32LE(0) : undefined;
    case 'u64': return b.length >= 8 ? Number(b.readBigUInt64LE(0)) : undefined;
    case 'string': {
      const nul = b.indexOf(0);
      return b.toString('utf8', 0, nul < 0 ? b.length : nul);
    }
    case 'mac': return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
    case 'ip': return b.length === 4 || b.length === 16 ? ipaddr.fromByteArray([...b]).toString() : undefined;
    case 'bytes': return b;
    case 'flag': return true;
  }
}
