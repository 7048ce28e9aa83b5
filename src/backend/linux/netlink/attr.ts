/**
 * Netlink attributes (struct nlattr: u16 nla_len, u16 nla_type, payload, padding to 4 bytes).
 *
 * An Attr is a tree node: its payload is either raw bytes or child attributes (a nested
 * attribute), and the children may follow a fixed struct (`head`): the veth peer is an ifinfomsg
 * followed by link attributes, netem's TCA_OPTIONS a tc_netem_qopt followed by TCA_NETEM_*
 * (vishvananda/netlink's RtAttr, Data then children, is the same tree). len() is nla_len — header plus payload, *without* the trailing padding — and
 * size() is what the attribute occupies inside its parent (len() rounded up to 4). A parent's
 * payload is the concatenation of its children at their aligned sizes, so a nested attribute's
 * nla_len includes its children's padding (the kernel, and iproute2, do the same).
 */
import { NLA_F_NESTED, NLA_TYPE_MASK } from './constants.js';

export const NLA_HDRLEN = 4;
const NO_HEAD = Buffer.alloc(0);
export const nlaAlign = (n: number): number => (n + 3) & ~3;

export class Attr {
  /**
   * @param type   the attribute type; for nested attributes NLA_F_NESTED is added when
   *               `flagNested` is set (most rtnetlink link attributes predate the flag and
   *               iproute2 does not set it; strictly validated newer families want it).
   * @param head   bytes before the children (a struct), padded to 4; only with child attributes.
   */
  constructor(
    readonly type: number,
    readonly payload: Buffer | readonly Attr[],
    readonly flagNested = false,
    readonly head: Buffer = NO_HEAD,
  ) {}

  /** nla_len: header + payload, unpadded. */
  len(): number {
    return NLA_HDRLEN + (this.head.length ? nlaAlign(this.head.length) : 0) + payloadLen(this.payload);
  }

  /** Bytes taken inside the parent: len() aligned to 4. */
  size(): number {
    return nlaAlign(this.len());
  }

  /** Write at buf[offset..]; returns the offset after the padded attribute. Padding is zeroed. */
  serialize(buf: Buffer, offset: number): number {
    const len = this.len();
    buf.writeUInt16LE(len, offset);
    buf.writeUInt16LE(this.type | (this.flagNested ? NLA_F_NESTED : 0), offset + 2);
    let at = offset + NLA_HDRLEN;
    if (this.head.length) {
      buf.set(this.head, at);
      zero(buf, at + this.head.length, at + nlaAlign(this.head.length));
      at += nlaAlign(this.head.length);
    }
    if (Buffer.isBuffer(this.payload)) {
      buf.set(this.payload, at);
      at += this.payload.length;
    } else {
      for (const child of this.payload as readonly Attr[]) at = child.serialize(buf, at);
    }
    const end = offset + nlaAlign(len);
    zero(buf, at, end);
    return end;
  }

  toBuffer(): Buffer {
    const b = Buffer.alloc(this.size());
    this.serialize(b, 0);
    return b;
  }
}

/**
 * Zeroes a padding of at most 3 bytes. (Buffer's fill() and copy() go through node's C++ for
 * every call, which costs more than the few bytes of a padding or an attribute's payload; set() is
 * the typed array's own.)
 */
function zero(buf: Buffer, from: number, to: number): void {
  for (let i = from; i < to; i++) buf[i] = 0;
}

function payloadLen(p: Buffer | readonly Attr[]): number {
  if (Buffer.isBuffer(p)) return p.length;
  const attrs = p as readonly Attr[];
  let n = 0;
  for (let i = 0; i < attrs.length; i++) n += attrs[i]!.size(); // (indexed: see struct.ts)
  return n;
}

/** Total aligned size of a list of attributes. */
export function attrsSize(attrs: readonly Attr[]): number {
  return payloadLen(attrs);
}

/** Serialize a list of attributes at offset; returns the end offset. */
export function serializeAttrs(attrs: readonly Attr[], buf: Buffer, offset: number): number {
  let at = offset;
  for (let i = 0; i < attrs.length; i++) at = attrs[i]!.serialize(buf, at);
  return at;
}

// ---- constructors for the usual payload types (host byte order = little endian here) ----
// (each payload is written whole, so it may come from node's pool of small buffers uninitialised)

export function u8(type: number, v: number): Attr {
  return new Attr(type, Buffer.from([v & 0xff]));
}
export function u16(type: number, v: number): Attr {
  const b = Buffer.allocUnsafe(2);
  b.writeUInt16LE(v, 0);
  return new Attr(type, b);
}
export function u32(type: number, v: number): Attr {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(v >>> 0, 0);
  return new Attr(type, b);
}
/** A u64 (rates above 2^32-1 bytes/s); exact for integers below 2^53. */
export function u64(type: number, v: number): Attr {
  const b = Buffer.allocUnsafe(8);
  b.writeBigUInt64LE(BigInt(v), 0);
  return new Attr(type, b);
}
/** A u16 in network byte order (ports). */
export function be16(type: number, v: number): Attr {
  const b = Buffer.allocUnsafe(2);
  b.writeUInt16BE(v, 0);
  return new Attr(type, b);
}
export function s32(type: number, v: number): Attr {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32LE(v, 0);
  return new Attr(type, b);
}
/** A NUL-terminated string (NLA_NUL_STRING / NLA_STRING as iproute2 sends them). */
export function str(type: number, s: string): Attr {
  const n = Buffer.byteLength(s, 'utf8');
  const b = Buffer.allocUnsafe(n + 1);
  b.write(s, 0, 'utf8');
  b[n] = 0;
  return new Attr(type, b);
}
/**
 * A string without the NUL (NLA_STRING attributes the kernel length-bounds itself, such as
 * IFLA_INFO_KIND, which iproute2 sends this way).
 */
export function strNoNul(type: number, s: string): Attr {
  return new Attr(type, Buffer.from(s, 'utf8'));
}
export function bytes(type: number, b: Buffer): Attr {
  return new Attr(type, b);
}
export function nested(type: number, children: readonly Attr[], flagNested = false): Attr {
  return new Attr(type, children, flagNested);
}
/** A struct followed by child attributes, in one attribute (VETH_INFO_PEER, netem's TCA_OPTIONS). */
export function headed(type: number, head: Buffer, children: readonly Attr[]): Attr {
  return new Attr(type, children, false, head);
}

// ---- decoding ----

/** Where a payload starts, and its length, from AttrMap's packed number. */
const from = (p: number): number => Math.floor(p / 0x10000);
const length = (p: number): number => p % 0x10000;

/**
 * One u32 attribute of a byte range, read without building an AttrMap (the last one wins, as
 * there): for a reader that wants one value of a message with some fifty attributes.
 */
export function findU32(buf: Buffer, type: number, start = 0, end = buf.length): number | undefined {
  let found: number | undefined;
  for (let at = start; at + NLA_HDRLEN <= end; ) {
    const len = buf.readUInt16LE(at);
    if (len < NLA_HDRLEN || at + len > end) break; // malformed or truncated: stop
    if ((buf.readUInt16LE(at + 2) & NLA_TYPE_MASK) === type && len >= NLA_HDRLEN + 4) found = buf.readUInt32LE(at + NLA_HDRLEN);
    at += nlaAlign(len);
  }
  return found;
}

/**
 * The attributes of a byte range, as a map type → payload (type with NLA_F_NESTED and
 * NLA_F_NET_BYTEORDER masked off; the last one wins when a type repeats). Payloads are views
 * into the original buffer, made when asked for (a link in a dump has some fifty attributes, of
 * which a reader wants a few); nested attributes are parsed on demand with `nested()`.
 */
export class AttrMap {
  /** type → where its payload is: start * 2^16 + length (a payload is shorter than 2^16). */
  private readonly at = new Map<number, number>();

  constructor(
    private readonly buf: Buffer,
    private readonly start = 0,
    private readonly end = buf.length,
  ) {
    let at = start;
    while (at + NLA_HDRLEN <= end) {
      const len = buf.readUInt16LE(at);
      const type = buf.readUInt16LE(at + 2) & NLA_TYPE_MASK;
      if (len < NLA_HDRLEN || at + len > end) break; // malformed or truncated: stop
      this.at.set(type, (at + NLA_HDRLEN) * 0x10000 + (len - NLA_HDRLEN));
      at += nlaAlign(len);
    }
  }

  /** All attributes in order, including repeats. */
  get list(): Array<{ type: number; payload: Buffer }> {
    const out: Array<{ type: number; payload: Buffer }> = [];
    for (let at = this.start; at + NLA_HDRLEN <= this.end; ) {
      const len = this.buf.readUInt16LE(at);
      if (len < NLA_HDRLEN || at + len > this.end) break;
      out.push({ type: this.buf.readUInt16LE(at + 2) & NLA_TYPE_MASK, payload: this.buf.subarray(at + NLA_HDRLEN, at + len) });
      at += nlaAlign(len);
    }
    return out;
  }

  has(type: number): boolean {
    return this.at.has(type);
  }
  get(type: number): Buffer | undefined {
    const p = this.at.get(type);
    return p === undefined ? undefined : this.buf.subarray(from(p), from(p) + length(p));
  }
  u8(type: number): number | undefined {
    const p = this.at.get(type);
    return p !== undefined && length(p) >= 1 ? this.buf.readUInt8(from(p)) : undefined;
  }
  u16(type: number): number | undefined {
    const p = this.at.get(type);
    return p !== undefined && length(p) >= 2 ? this.buf.readUInt16LE(from(p)) : undefined;
  }
  u32(type: number): number | undefined {
    const p = this.at.get(type);
    return p !== undefined && length(p) >= 4 ? this.buf.readUInt32LE(from(p)) : undefined;
  }
  s32(type: number): number | undefined {
    const p = this.at.get(type);
    return p !== undefined && length(p) >= 4 ? this.buf.readInt32LE(from(p)) : undefined;
  }
  /** A string attribute, up to its first NUL. */
  str(type: number): string | undefined {
    const p = this.at.get(type);
    if (p === undefined) return undefined;
    const end = from(p) + length(p);
    const nul = this.buf.indexOf(0, from(p));
    return this.buf.toString('utf8', from(p), nul < 0 || nul > end ? end : nul);
  }
  nested(type: number): AttrMap | undefined {
    const b = this.get(type);
    return b ? new AttrMap(b) : undefined;
  }
}
