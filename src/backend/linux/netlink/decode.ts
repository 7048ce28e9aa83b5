/**
 * Decoding of RTM_NEWLINK / RTM_NEWADDR / RTM_NEWROUTE messages (dump replies) into plain
 * objects for the backend, through the declared maps of maps.ts.
 */
import { IFF_LOWER_UP, IFF_UP } from './constants.js';
import { ADDR_MSG, LINK_MSG, ROUTE_MSG } from './maps.js';
import type { NlMessage } from './message.js';
import { decodeHeaded } from './nla.js';

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

/** The family header and attributes of a message, through a declared message map. */
function body<H, D>(m: NlMessage, what: string, decoded: { header: H; attrs: D } | undefined): { header: H; attrs: D } {
  if (!decoded) throw new Error(`netlink: a ${what} message of ${m.body.length} bytes is shorter than its header`);
  return decoded;
}

export function decodeLink(m: NlMessage): LinkInfo {
  const { header: hdr, attrs: a } = body(m, 'link', decodeHeaded(LINK_MSG, m.body));
  return {
    index: hdr.index,
    ifname: a.ifname ?? '',
    kind: a.linkinfo?.kind,
    slaveKind: a.linkinfo?.slaveKind,
    flags: hdr.flags,
    up: (hdr.flags & IFF_UP) !== 0,
    lowerUp: (hdr.flags & IFF_LOWER_UP) !== 0,
    operstate: a.operstate,
    mtu: a.mtu,
    master: a.master,
    peerIfindex: a.link,
    linkNetnsId: a.linkNetnsid,
    group: a.group,
    mac: a.address,
  };
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
  const { header: hdr, attrs: a } = body(m, 'address', decodeHeaded(ADDR_MSG, m.body));
  return {
    index: hdr.index,
    family: hdr.family,
    address: a.local ?? a.address ?? '',
    prefix: hdr.prefixlen,
    scope: hdr.scope,
    flags: a.flags ?? hdr.flags,
    label: a.label,
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
  const { header: hdr, attrs: a } = body(m, 'route', decodeHeaded(ROUTE_MSG, m.body));
  return {
    family: hdr.family,
    dst: hdr.dstLen === 0 ? 'default' : a.dst ?? '',
    prefix: hdr.dstLen,
    gateway: a.gateway,
    oif: a.oif,
    table: a.table ?? hdr.table,
    protocol: hdr.protocol,
    scope: hdr.scope,
    type: hdr.type,
    priority: a.priority,
    prefsrc: a.prefsrc,
  };
}
