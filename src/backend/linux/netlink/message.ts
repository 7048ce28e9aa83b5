/**
 * Netlink messages: struct nlmsghdr (u32 len, u16 type, u16 flags, u32 seq, u32 pid), a fixed
 * family header (ifinfomsg, ifaddrmsg, rtmsg...), then attributes; each message is padded to 4.
 * Encoding builds one message; decoding splits a received datagram (which may hold several
 * messages, e.g. parts of a dump or a batch of acks) into messages.
 */
import { AttrMap, Attr, attrsSize, serializeAttrs } from './attr.js';
import {
  IFADDRMSG_LEN, IFINFOMSG_LEN, NLMSG_HDRLEN, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLM_F_ACK_TLVS,
  NLM_F_CAPPED, RTMSG_LEN,
} from './constants.js';

export const nlmsgAlign = (n: number): number => (n + 3) & ~3;

/** A request before encoding: header fields, the family header bytes and the attributes. */
export interface NlRequest {
  readonly type: number;
  readonly flags: number;
  readonly header: Buffer;
  readonly attrs: readonly Attr[];
}

/** Encode one message. nlmsg_pid is 0 (the kernel fills in the sender's port id). */
export function encodeMessage(req: NlRequest, seq: number, pid = 0): Buffer {
  const len = NLMSG_HDRLEN + nlmsgAlign(req.header.length) + attrsSize(req.attrs);
  const b = Buffer.alloc(len);
  b.writeUInt32LE(len, 0);
  b.writeUInt16LE(req.type, 4);
  b.writeUInt16LE(req.flags, 6);
  b.writeUInt32LE(seq >>> 0, 8);
  b.writeUInt32LE(pid >>> 0, 12);
  req.header.copy(b, NLMSG_HDRLEN);
  serializeAttrs(req.attrs, b, NLMSG_HDRLEN + nlmsgAlign(req.header.length));
  return b;
}

// ---- family headers, declared as layouts (after pyroute2's message classes) ----

type Kind = 'u8' | 'u16' | 's32' | 'u32';

/** A fixed C struct: its size and its fields as [name, kind, byte offset], little-endian. */
function struct<T extends Record<string, number>>(size: number, fields: readonly (readonly [keyof T & string, Kind, number])[]) {
  return {
    pack(values: Partial<T>): Buffer {
      const b = Buffer.alloc(size);
      for (const [name, kind, at] of fields) {
        const v = values[name] ?? 0;
        if (kind === 'u8') b.writeUInt8(v, at);
        else if (kind === 'u16') b.writeUInt16LE(v, at);
        else if (kind === 's32') b.writeInt32LE(v, at);
        else b.writeUInt32LE(v >>> 0, at);
      }
      return b;
    },
    unpack(b: Buffer): T {
      const out: Record<string, number> = {};
      for (const [name, kind, at] of fields) {
        out[name] = kind === 'u8' ? b.readUInt8(at) : kind === 'u16' ? b.readUInt16LE(at) : kind === 's32' ? b.readInt32LE(at) : b.readUInt32LE(at);
      }
      return out as T;
    },
  };
}

export interface IfInfo {
  family?: number;
  type?: number;
  index?: number;
  flags?: number;
  change?: number;
}
/** struct ifinfomsg: u8 family, u8 pad, u16 type, s32 index, u32 flags, u32 change (16 bytes). */
const IFINFO = struct<Required<IfInfo>>(IFINFOMSG_LEN, [
  ['family', 'u8', 0], ['type', 'u16', 2], ['index', 's32', 4], ['flags', 'u32', 8], ['change', 'u32', 12],
]);
export const ifinfomsg = (i: IfInfo = {}): Buffer => IFINFO.pack(i);
export const parseIfinfomsg = (b: Buffer): Required<IfInfo> => IFINFO.unpack(b);

export interface IfAddr {
  family: number;
  prefixlen?: number;
  flags?: number;
  scope?: number;
  index?: number;
}
/** struct ifaddrmsg: u8 family, u8 prefixlen, u8 flags, u8 scope, u32 index (8 bytes). */
const IFADDR = struct<Required<IfAddr>>(IFADDRMSG_LEN, [
  ['family', 'u8', 0], ['prefixlen', 'u8', 1], ['flags', 'u8', 2], ['scope', 'u8', 3], ['index', 'u32', 4],
]);
export const ifaddrmsg = (a: IfAddr): Buffer => IFADDR.pack(a);
export const parseIfaddrmsg = (b: Buffer): Required<IfAddr> => IFADDR.unpack(b);

export interface RtMsg {
  family: number;
  dstLen?: number;
  srcLen?: number;
  tos?: number;
  table?: number;
  protocol?: number;
  scope?: number;
  type?: number;
  flags?: number;
}
/** struct rtmsg: u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags (12). */
const RT = struct<Required<RtMsg>>(RTMSG_LEN, [
  ['family', 'u8', 0], ['dstLen', 'u8', 1], ['srcLen', 'u8', 2], ['tos', 'u8', 3], ['table', 'u8', 4],
  ['protocol', 'u8', 5], ['scope', 'u8', 6], ['type', 'u8', 7], ['flags', 'u32', 8],
]);
export const rtmsg = (r: RtMsg): Buffer => RT.pack(r);
export const parseRtmsg = (b: Buffer): Required<RtMsg> => RT.unpack(b);

// ---- decoding ----

export interface NlMessage {
  readonly len: number;
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  readonly pid: number;
  /** Everything after the nlmsghdr (family header + attributes, or the nlmsgerr body). */
  readonly body: Buffer;
}

/** Split a datagram into its messages. Throws on a truncated or malformed message. */
export function decodeMessages(buf: Buffer, length = buf.length): NlMessage[] {
  const out: NlMessage[] = [];
  let at = 0;
  while (at + NLMSG_HDRLEN <= length) {
    const len = buf.readUInt32LE(at);
    if (len < NLMSG_HDRLEN || at + len > length) {
      throw new Error(`netlink: malformed message (nlmsg_len ${len} at offset ${at} of ${length})`);
    }
    out.push({
      len,
      type: buf.readUInt16LE(at + 4),
      flags: buf.readUInt16LE(at + 6),
      seq: buf.readUInt32LE(at + 8),
      pid: buf.readUInt32LE(at + 12),
      body: buf.subarray(at + NLMSG_HDRLEN, at + len),
    });
    at += nlmsgAlign(len);
  }
  return out;
}

/** Attributes of a message whose family header is `headerLen` bytes. */
export function messageAttrs(m: NlMessage, headerLen: number): AttrMap {
  return new AttrMap(m.body, nlmsgAlign(headerLen));
}

export interface NlError {
  /** 0 for a plain ACK, else a positive errno. */
  readonly errno: number;
  /** The header of the request this answers. */
  readonly request: { len: number; type: number; flags: number; seq: number; pid: number };
  /** Extended ack text (NLMSGERR_ATTR_MSG) when the kernel gave one. */
  readonly message?: string;
  /** Byte offset in the request of the attribute at fault (NLMSGERR_ATTR_OFFS). */
  readonly offset?: number;
}

/**
 * Decode an NLMSG_ERROR body: struct nlmsgerr { int error; struct nlmsghdr msg; } where msg is
 * followed by the rest of the request unless the ack is capped (NLM_F_CAPPED: always so for a
 * success, and for errors with NETLINK_CAP_ACK), then by extended-ack TLVs if NLM_F_ACK_TLVS.
 */
export function parseError(m: NlMessage): NlError {
  const b = m.body;
  const error = b.readInt32LE(0);
  const request = {
    len: b.readUInt32LE(4),
    type: b.readUInt16LE(8),
    flags: b.readUInt16LE(10),
    seq: b.readUInt32LE(12),
    pid: b.readUInt32LE(16),
  };
  let result: NlError = { errno: error === 0 ? 0 : -error, request };
  if (m.flags & NLM_F_ACK_TLVS) {
    const echoed = m.flags & NLM_F_CAPPED ? NLMSG_HDRLEN : nlmsgAlign(request.len);
    const tlvs = new AttrMap(b, 4 + echoed);
    const message = tlvs.str(NLMSGERR_ATTR_MSG);
    const offset = tlvs.u32(NLMSGERR_ATTR_OFFS);
    if (message !== undefined) result = { ...result, message };
    if (offset !== undefined) result = { ...result, offset };
  }
  return result;
}
