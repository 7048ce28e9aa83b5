/**
 * Decoding of RTM_NEWLINK / RTM_NEWADDR / RTM_NEWROUTE messages (dump replies) into plain
 * objects for the backend.
 */
import ipaddr from 'ipaddr.js';
import {
  AF_INET, AF_INET6, IFA_ADDRESS, IFA_FLAGS, IFA_LABEL, IFA_LOCAL, IFADDRMSG_LEN, IFF_LOWER_UP, IFF_UP,
  IFINFOMSG_LEN, IFLA_ADDRESS, IFLA_GROUP, IFLA_IFNAME, IFLA_INFO_KIND, IFLA_INFO_SLAVE_KIND, IFLA_LINK,
  IFLA_LINKINFO, IFLA_LINK_NETNSID, IFLA_MASTER, IFLA_MTU, IFLA_OPERSTATE, RTA_DST, RTA_GATEWAY, RTA_OIF,
  RTA_PREFSRC, RTA_PRIORITY, RTA_TABLE, RTMSG_LEN,
} from './constants.js';
import { NlMessage, messageAttrs, parseIfaddrmsg, parseIfinfomsg, parseRtmsg } from './message.js';

export interface LinkInfo {
  index: number;
  ifname: string;
  /** IFLA_INFO_KIND ('veth', 'bridge', ...); undefined for plain devices such as lo. */
  kind: string | undefined;
  /** the kind of the link's master relation ('bridge' for a bridge port) */
  slaveKind: string | undefined;
  flags: number;
  up: boolean;
  lowerUp: boolean;
  operstate: number | undefined;
  mtu: number | undefined;
  /** ifindex of the master (bridge), if any */
  master: number | undefined;
  /**
   * IFLA_LINK: for a veth, the peer's ifindex — in the peer's namespace, which is another one
   * when linkNetnsId is set.
   */
  peerIfindex: number | undefined;
  /** IFLA_LINK_NETNSID: the peer's namespace, as an nsid of this namespace */
  linkNetnsId: number | undefined;
  group: number | undefined;
  mac: string | undefined;
}

export function decodeLink(m: NlMessage): LinkInfo {
  const hdr = parseIfinfomsg(m.body);
  const a = messageAttrs(m, IFINFOMSG_LEN);
  const info = a.nested(IFLA_LINKINFO);
  const mac = a.get(IFLA_ADDRESS);
  return {
    index: hdr.index,
    ifname: a.str(IFLA_IFNAME) ?? '',
    kind: info?.str(IFLA_INFO_KIND),
    slaveKind: info?.str(IFLA_INFO_SLAVE_KIND),
    flags: hdr.flags,
    up: (hdr.flags & IFF_UP) !== 0,
    lowerUp: (hdr.flags & IFF_LOWER_UP) !== 0,
    operstate: a.u8(IFLA_OPERSTATE),
    mtu: a.u32(IFLA_MTU),
    master: a.u32(IFLA_MASTER),
    peerIfindex: a.u32(IFLA_LINK),
    linkNetnsId: a.s32(IFLA_LINK_NETNSID),
    group: a.u32(IFLA_GROUP),
    mac: mac ? [...mac].map((x) => x.toString(16).padStart(2, '0')).join(':') : undefined,
  };
}

/** Textual form of address bytes ('10.1.1.1', 'fd00::1'). */
export function addrText(b: Buffer): string {
  return ipaddr.fromByteArray([...b]).toString();
}

export interface AddrInfo {
  index: number;
  family: number;
  /** the interface's address (IFA_LOCAL, or IFA_ADDRESS when there is no IFA_LOCAL, as for IPv6) */
  address: string;
  prefix: number;
  scope: number;
  /** IFA_FLAGS if present (it carries all bits), else ifa_flags */
  flags: number;
  label: string | undefined;
}

export function decodeAddr(m: NlMessage): AddrInfo {
  const hdr = parseIfaddrmsg(m.body);
  const a = messageAttrs(m, IFADDRMSG_LEN);
  const raw = a.get(IFA_LOCAL) ?? a.get(IFA_ADDRESS);
  return {
    index: hdr.index,
    family: hdr.family,
    address: raw ? addrText(raw) : '',
    prefix: hdr.prefixlen,
    scope: hdr.scope,
    flags: a.u32(IFA_FLAGS) ?? hdr.flags,
    label: a.str(IFA_LABEL),
  };
}

export interface RouteInfo {
  family: number;
  /** 'default' for a zero-length prefix, else the destination network */
  dst: string;
  prefix: number;
  gateway: string | undefined;
  oif: number | undefined;
  /** RTA_TABLE when present (it holds ids above 255), else rtm_table */
  table: number;
  protocol: number;
  scope: number;
  type: number;
  priority: number | undefined;
  prefsrc: string | undefined;
}

export function decodeRoute(m: NlMessage): RouteInfo {
  const hdr = parseRtmsg(m.body);
  const a = messageAttrs(m, RTMSG_LEN);
  const dst = a.get(RTA_DST);
  const gw = a.get(RTA_GATEWAY);
  const src = a.get(RTA_PREFSRC);
  return {
    family: hdr.family,
    dst: hdr.dstLen === 0 ? 'default' : dst ? addrText(dst) : '',
    prefix: hdr.dstLen,
    gateway: gw ? addrText(gw) : undefined,
    oif: a.u32(RTA_OIF),
    table: a.u32(RTA_TABLE) ?? hdr.table,
    protocol: hdr.protocol,
    scope: hdr.scope,
    type: hdr.type,
    priority: a.u32(RTA_PRIORITY),
    prefsrc: src ? addrText(src) : undefined,
  };
}

export const familyName = (f: number): string => (f === AF_INET ? 'inet' : f === AF_INET6 ? 'inet6' : String(f));
