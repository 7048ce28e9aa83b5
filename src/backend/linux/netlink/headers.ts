/**
 * The fixed headers of netlink messages, declared as struct layouts: the netlink header itself
 * (nlmsghdr), the error/ack body (nlmsgerr), and the rtnetlink family headers that follow
 * nlmsghdr (ifinfomsg, ifaddrmsg, rtmsg, tcmsg). Sizes are those of linux/netlink.h and
 * linux/rtnetlink.h.
 */
import { IFADDRMSG_LEN, IFINFOMSG_LEN, NLMSG_HDRLEN, NLMSGERR_LEN, RTMSG_LEN } from './constants.js';
import { struct } from './struct.js';

export interface NlHeader {
  len: number;
  type: number;
  flags: number;
  seq: number;
  pid: number;
}
/** struct nlmsghdr: u32 len, u16 type, u16 flags, u32 seq, u32 pid (16 bytes). */
export const NLMSGHDR = struct<NlHeader>(NLMSG_HDRLEN, [
  ['len', 'u32', 0], ['type', 'u16', 4], ['flags', 'u16', 6], ['seq', 'u32', 8], ['pid', 'u32', 12],
]);

/** struct nlmsgerr: int error (0 for an ack, else -errno), then the request's nlmsghdr (20 bytes). */
export const NLMSGERR = struct<{ error: number; msg: NlHeader }>(NLMSGERR_LEN, [['error', 's32', 0], ['msg', NLMSGHDR, 4]]);

export interface IfInfo {
  family?: number;
  type?: number;
  index?: number;
  flags?: number;
  change?: number;
}
/** struct ifinfomsg: u8 family, u8 pad, u16 type, s32 index, u32 flags, u32 change (16 bytes). */
export const IFINFO = struct<Required<IfInfo>>(IFINFOMSG_LEN, [
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
export const IFADDR = struct<Required<IfAddr>>(IFADDRMSG_LEN, [
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
export const RT = struct<Required<RtMsg>>(RTMSG_LEN, [
  ['family', 'u8', 0], ['dstLen', 'u8', 1], ['srcLen', 'u8', 2], ['tos', 'u8', 3], ['table', 'u8', 4],
  ['protocol', 'u8', 5], ['scope', 'u8', 6], ['type', 'u8', 7], ['flags', 'u32', 8],
]);
export const rtmsg = (r: RtMsg): Buffer => RT.pack(r);
export const parseRtmsg = (b: Buffer): Required<RtMsg> => RT.unpack(b);

export interface TcMsg {
  family?: number;
  ifindex?: number;
  handle?: number;
  parent?: number;
  info?: number;
}
/** struct tcmsg: u8 family, 3 pad, s32 ifindex, u32 handle, u32 parent, u32 info (20 bytes). */
export const TCMSG = struct<Required<TcMsg>>(20, [
  ['family', 'u8', 0], ['ifindex', 's32', 4], ['handle', 'u32', 8], ['parent', 'u32', 12], ['info', 'u32', 16],
]);
