/**
 * Netlink messages: struct nlmsghdr, a fixed family header (ifinfomsg, ifaddrmsg, rtmsg...),
 * then attributes; each message is padded to 4. Encoding builds one message; decoding splits a
 * received datagram (which may hold several messages, e.g. parts of a dump or a batch of acks)
 * into messages. The headers are the layouts of headers.ts.
 */
import { AttrMap, Attr, attrsSize, findU32, serializeAttrs } from './attr.js';
import { NLMSG_HDRLEN, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLM_F_ACK_TLVS, NLM_F_CAPPED } from './constants.js';
import { NLMSGERR, NLMSGHDR, type NlHeader } from './headers.js';

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
  const b = Buffer.allocUnsafe(len).fill(0); // (from node's pool of small buffers: cheaper than alloc)
  NLMSGHDR.packInto(b, 0, { len, type: req.type, flags: req.flags, seq, pid });
  b.set(req.header, NLMSG_HDRLEN);
  serializeAttrs(req.attrs, b, NLMSG_HDRLEN + nlmsgAlign(req.header.length));
  return b;
}

// ---- decoding ----

export interface NlMessage extends Readonly<NlHeader> {
  /** Everything after the nlmsghdr (family header + attributes, or the nlmsgerr body). */
  readonly body: Buffer;
}

/** Split a datagram into its messages. Throws on a truncated or malformed message. */
export function decodeMessages(buf: Buffer, length = buf.length): NlMessage[] {
  const out: NlMessage[] = [];
  let at = 0;
  while (at + NLMSG_HDRLEN <= length) {
    // (the header's object becomes the message: one object a message, not a copy of it)
    const m = NLMSGHDR.unpack(buf, at) as NlHeader & { body: Buffer };
    if (m.len < NLMSG_HDRLEN || at + m.len > length) {
      throw new Error(`netlink: malformed message (nlmsg_len ${m.len} at offset ${at} of ${length})`);
    }
    m.body = buf.subarray(at + NLMSG_HDRLEN, at + m.len);
    out.push(m);
    at += nlmsgAlign(m.len);
  }
  return out;
}

/** One u32 attribute of a message whose family header is `headerLen` bytes (findU32). */
export function messageU32(m: NlMessage, headerLen: number, type: number): number | undefined {
  return findU32(m.body, type, nlmsgAlign(headerLen));
}

/** Attributes of a message whose family header is `headerLen` bytes. */
export function messageAttrs(m: NlMessage, headerLen: number): AttrMap {
  return new AttrMap(m.body, nlmsgAlign(headerLen));
}

export interface NlError {
  /** 0 for a plain ACK, else a positive errno. */
  readonly errno: number;
  /** The header of the request this answers. */
  readonly request: NlHeader;
  /** Extended ack text (NLMSGERR_ATTR_MSG) when the kernel gave one. */
  readonly message?: string;
  /** Byte offset in the request of the attribute at fault (NLMSGERR_ATTR_OFFS). */
  readonly offset?: number;
}

/**
 * Decode an NLMSG_ERROR body: struct nlmsgerr, whose echoed nlmsghdr is followed by the rest of
 * the request unless the ack is capped (NLM_F_CAPPED: always so for a success, and for errors
 * with NETLINK_CAP_ACK), then by extended-ack TLVs if NLM_F_ACK_TLVS.
 */
export function parseError(m: NlMessage): NlError {
  const { error, msg: request } = NLMSGERR.unpack(m.body);
  let result: NlError = { errno: error === 0 ? 0 : -error, request };
  if (m.flags & NLM_F_ACK_TLVS) {
    const echoed = m.flags & NLM_F_CAPPED ? NLMSG_HDRLEN : nlmsgAlign(request.len);
    const tlvs = new AttrMap(m.body, NLMSGERR.size - NLMSG_HDRLEN + echoed);
    const message = tlvs.str(NLMSGERR_ATTR_MSG);
    const offset = tlvs.u32(NLMSGERR_ATTR_OFFS);
    if (message !== undefined) result = { ...result, message };
    if (offset !== undefined) result = { ...result, offset };
  }
  return result;
}
