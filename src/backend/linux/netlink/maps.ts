/**
 * The rtnetlink attribute spaces the decoders read, declared (nla.ts): IFLA_* of links with the
 * nested IFLA_LINKINFO and each kind's IFLA_INFO_DATA, IFA_* of addresses, RTA_* of routes; and
 * the messages as family header + attribute map.
 */
import {
  IFA_ADDRESS, IFA_BROADCAST, IFA_FLAGS, IFA_LABEL, IFA_LOCAL, IFLA_ADDRESS, IFLA_BROADCAST, IFLA_CARRIER,
  IFLA_GROUP, IFLA_IFNAME, IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_INFO_SLAVE_KIND, IFLA_LINK, IFLA_LINKINFO,
  IFLA_LINK_NETNSID, IFLA_MASTER, IFLA_MTU, IFLA_NET_NS_FD, IFLA_OPERSTATE, IFLA_TXQLEN, RTA_DST, RTA_GATEWAY, RTA_OIF,
  RTA_PREFSRC, RTA_PRIORITY, RTA_SRC, RTA_TABLE, VETH_INFO_PEER, IFLA_STATS64, IFLA_VLAN_ID, IFLA_MACVLAN_MODE,
  IFLA_VXLAN_ID, IFLA_VXLAN_GROUP, IFLA_VXLAN_GROUP6, IFLA_VXLAN_LOCAL, IFLA_VXLAN_LOCAL6, IFLA_VXLAN_LEARNING,
  IFLA_VXLAN_PORT, IFLA_BR_VLAN_FILTERING,
} from './constants.js';
import { IFADDR, IFINFO, RT } from './headers.js';
import { struct } from './struct.js';
import { type Decl, type Decoded, type NlaMap, decodeAttrs, headed, nla } from './nla.js';

/** IFLA_LINKINFO: the kind, and its data (decoded by kind with INFO_DATA). */
export const LINKINFO = nla({
  kind: [IFLA_INFO_KIND, 'string'],
  data: [IFLA_INFO_DATA, 'bytes'],
  slaveKind: [IFLA_INFO_SLAVE_KIND, 'string'],
});

/**
 * struct rtnl_link_stats64, its first four u64 counters (the struct is longer; decoding reads
 * this prefix).
 */
export const LINK_STATS64 = struct<{ rxPackets: number; txPackets: number; rxBytes: number; txBytes: number }>(32, [
  ['rxPackets', 'u64', 0], ['txPackets', 'u64', 8], ['rxBytes', 'u64', 16], ['txBytes', 'u64', 24],
]);

/** IFLA_* of a link (RTM_NEWLINK). */
export const IFLA = nla({
  address: [IFLA_ADDRESS, 'mac'],
  broadcast: [IFLA_BROADCAST, 'mac'],
  ifname: [IFLA_IFNAME, 'string'],
  mtu: [IFLA_MTU, 'u32'],
  /** for a veth: the peer's ifindex, in the peer's namespace */
  link: [IFLA_LINK, 'u32'],
  master: [IFLA_MASTER, 'u32'],
  txqlen: [IFLA_TXQLEN, 'u32'],
  operstate: [IFLA_OPERSTATE, 'u8'],
  linkinfo: [IFLA_LINKINFO, LINKINFO],
  stats64: [IFLA_STATS64, LINK_STATS64],
  group: [IFLA_GROUP, 'u32'],
  /** in requests: the namespace to create the link in */
  netnsFd: [IFLA_NET_NS_FD, 'u32'],
  carrier: [IFLA_CARRIER, 'u8'],
  /** the namespace of IFLA_LINK's device, as an nsid of this namespace */
  linkNetnsid: [IFLA_LINK_NETNSID, 's32'],
});

/** A link message: ifinfomsg + IFLA_* (also the payload of VETH_INFO_PEER). */
export const LINK_MSG = headed(IFINFO, IFLA);

/** IFLA_INFO_DATA of each link kind. */
export const INFO_DATA = {
  veth: nla({ peer: [VETH_INFO_PEER, LINK_MSG] }),
  vlan: nla({ id: [IFLA_VLAN_ID, 'u16'] }),
  macvlan: nla({ mode: [IFLA_MACVLAN_MODE, 'u32'] }),
  vxlan: nla({
    id: [IFLA_VXLAN_ID, 'u32'],
    group: [IFLA_VXLAN_GROUP, 'ip'],
    group6: [IFLA_VXLAN_GROUP6, 'ip'],
    local: [IFLA_VXLAN_LOCAL, 'ip'],
    local6: [IFLA_VXLAN_LOCAL6, 'ip'],
    learning: [IFLA_VXLAN_LEARNING, 'u8'],
    port: [IFLA_VXLAN_PORT, 'be16'],
  }),
  bridge: nla({ vlanFiltering: [IFLA_BR_VLAN_FILTERING, 'u8'] }),
} as const satisfies Record<string, NlaMap<Decl>>;

type DeclOf<M> = M extends NlaMap<infer D> ? D : never;
export type InfoData = { [K in keyof typeof INFO_DATA]: { kind: K } & Decoded<DeclOf<(typeof INFO_DATA)[K]>> }[keyof typeof INFO_DATA];

/** IFLA_INFO_DATA decoded by the map of its kind (undefined for kinds not declared here). */
export function infoData(kind: string | undefined, data: Buffer | undefined): InfoData | undefined {
  if (kind === undefined || data === undefined || !Object.hasOwn(INFO_DATA, kind)) return undefined;
  const map: NlaMap<Decl> = INFO_DATA[kind as keyof typeof INFO_DATA];
  return { kind, ...decodeAttrs(map, data) } as InfoData;
}

/** IFA_* of an address (RTM_NEWADDR). */
export const IFA = nla({
  address: [IFA_ADDRESS, 'ip'],
  local: [IFA_LOCAL, 'ip'],
  label: [IFA_LABEL, 'string'],
  broadcast: [IFA_BROADCAST, 'ip'],
  flags: [IFA_FLAGS, 'u32'],
});
export const ADDR_MSG = headed(IFADDR, IFA);

/** RTA_* of a route (RTM_NEWROUTE). */
export const RTA = nla({
  dst: [RTA_DST, 'ip'],
  src: [RTA_SRC, 'ip'],
  oif: [RTA_OIF, 'u32'],
  gateway: [RTA_GATEWAY, 'ip'],
  priority: [RTA_PRIORITY, 'u32'],
  prefsrc: [RTA_PREFSRC, 'ip'],
  table: [RTA_TABLE, 'u32'],
});
export const ROUTE_MSG = headed(RT, RTA);
