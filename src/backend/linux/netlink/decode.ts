/**
 * Decoding of RTM_NEWLINK / RTM_NEWADDR / RTM_NEWROUTE messages (dump replies) into plain
 * objects for the backend, through the declared maps of maps.ts.
 */
import { IFF_LOWER_UP, IFF_UP } from './constants.js';
import { ADDR_MSG, LINK_MSG, ROUTE_MSG, infoData } from './maps.js';
import type { NlMessage } from './message.js';
import { decodeHeaded } from './nla.js';
import { MACVLAN_MODES, type MacvlanMode } from './requests/link-kinds.js';

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
  /** IFLA_CARRIER: whether the link has carrier (a veth: its peer is up) */
  carrier: boolean | undefined;
  /** IFLA_STATS64's packet and byte counters (absent from dumps that skip stats) */
  stats: { rxPackets: number; txPackets: number; rxBytes: number; txBytes: number } | undefined;
  /** what IFLA_INFO_DATA says of a vlan, macvlan, vxlan or bridge */
  data: LinkData | undefined;
}

export type LinkData =
  | { readonly kind: 'vlan'; readonly id: number | undefined }
  | { readonly kind: 'macvlan'; readonly mode: MacvlanMode | undefined }
  | {
      readonly kind: 'vxlan';
      readonly id: number | undefined;
      readonly remote: string | undefined;
      readonly local: string | undefined;
      readonly port: number | undefined;
      readonly learning: boolean | undefined;
    }
  | { readonly kind: 'bridge'; readonly vlanFiltering: boolean | undefined };

function linkData(kind: string | undefined, raw: Buffer | undefined): LinkData | undefined {
  const d = infoData(kind, raw);
  switch (d?.kind) {
    case 'vlan': return { kind: 'vlan', id: d.id };
    case 'macvlan': {
      const mode = Object.entries(MACVLAN_MODES).find(([, v]) => v === d.mode)?.[0] as MacvlanMode | undefined;
      return { kind: 'macvlan', mode };
    }
    case 'vxlan':
      return {
        kind: 'vxlan',
        id: d.id,
        remote: d.group ?? d.group6,
        local: d.local ?? d.local6,
        port: d.port,
        learning: d.learning === undefined ? undefined : d.learning !== 0,
      };
    case 'bridge': return { kind: 'bridge', vlanFiltering: d.vlanFiltering === undefined ? undefined : d.vlanFiltering !== 0 };
    default: return undefined;
  }
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
    carrier: a.carrier === undefined ? undefined : a.carrier !== 0,
    stats: a.stats64,
    data: linkData(a.linkinfo?.kind, a.linkinfo?.data),
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
