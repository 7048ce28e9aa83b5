/**
 * Builders for the rtnetlink requests the backend sends. Each returns an NlRequest (type, flags,
 * family header, attributes); RtnlSocket adds seq and encodes. Where iproute2 sends the same
 * request, attribute order and header fields follow it byte for byte (see
 * test/linux/netlink-encode.test.ts, whose fixtures are captured from `ip`).
 */
import ipaddr from 'ipaddr.js';
import { Attr, bytes, headed, nested, str, strNoNul, u32 } from './attr.js';
import {
  AF_INET, AF_INET6, AF_PACKET, AF_UNSPEC, IFA_ADDRESS, IFA_F_NODAD, IFA_LOCAL, IFF_UP,
  IFLA_EXT_MASK, IFLA_GROUP, IFLA_IFNAME, IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_LINKINFO, IFLA_MASTER,
  IFLA_MTU, IFLA_NET_NS_FD, IFLA_NET_NS_PID, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_ECHO, NLM_F_EXCL,
  NLM_F_REQUEST, RTA_DST, RTA_GATEWAY, RTA_OIF, RTA_TABLE, RTEXT_FILTER_SKIP_STATS, RTEXT_FILTER_VF, RTM_DELADDR, RTM_DELLINK,
  RTM_DELROUTE, RTM_GETADDR, RTM_GETLINK, RTM_GETROUTE, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWROUTE,
  RTN_UNICAST, RTPROT_BOOT, RT_SCOPE_LINK, RT_SCOPE_NOWHERE, RT_SCOPE_UNIVERSE, RT_TABLE_MAIN,
  VETH_INFO_PEER,
} from './constants.js';
import { ifaddrmsg, ifinfomsg, rtmsg } from './headers.js';
import type { NlRequest } from './message.js';

const NEW = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE; // `ip ... add`
const SET = NLM_F_REQUEST | NLM_F_ACK; // `ip link set`, `... del`
const DUMP = NLM_F_REQUEST | NLM_F_DUMP;

/** Where a link goes: a namespace fd (IFLA_NET_NS_FD) or a process's namespace (IFLA_NET_NS_PID). */
export type NetnsTarget = { fd: number } | { pid: number };

function netnsAttr(t: NetnsTarget): Attr {
  return 'fd' in t ? u32(IFLA_NET_NS_FD, t.fd) : u32(IFLA_NET_NS_PID, t.pid);
}

// ---- links ----

export interface VethEnd {
  name: string;
  mtu?: number;
  /** Create this end directly in that namespace (omitted: the socket's namespace). */
  netns?: NetnsTarget;
  /** The ifindex to give it (ifi_index; the kernel refuses a taken one with EBUSY); 0: the kernel picks. */
  index?: number;
  /** Create it up (`ip link add … up`). */
  up?: boolean;
  /** Its link group (`ip link add … group N`). */
  group?: number;
}

/** The ifinfomsg of a link being created: its chosen index, and IFF_UP when made up. */
function createHeader(e: { index?: number; up?: boolean }): Buffer {
  return ifinfomsg({ index: e.index ?? 0, ...(e.up ? { flags: IFF_UP, change: IFF_UP } : {}) });
}

/**
 * A veth pair in one RTM_NEWLINK. The main end's attributes are top-level; the peer is the node
 * IFLA_LINKINFO → IFLA_INFO_DATA → VETH_INFO_PEER, whose payload is a whole struct ifinfomsg
 * followed by the peer's attributes. With netns targets each end is created directly in its
 * namespace: no move afterwards, no name clash in between.
 */
export function vethCreate(end: VethEnd, peer: VethEnd, opts: { echo?: boolean } = {}): NlRequest {
  return {
    type: RTM_NEWLINK,
    flags: opts.echo ? NEW | NLM_F_ECHO : NEW,
    header: createHeader(end),
    attrs: [
      ...linkCommon(end),
      nested(IFLA_LINKINFO, [
        strNoNul(IFLA_INFO_KIND, 'veth'),
        nested(IFLA_INFO_DATA, [headed(VETH_INFO_PEER, createHeader(peer), linkCommon(peer))]),
      ]),
    ],
  };
}

/** MTU, group, namespace, name — in the order iproute2 writes them. */
function linkCommon(e: VethEnd): Attr[] {
  const attrs: Attr[] = [];
  if (e.mtu !== undefined) attrs.push(u32(IFLA_MTU, e.mtu));
  if (e.group !== undefined) attrs.push(u32(IFLA_GROUP, e.group));
  if (e.netns) attrs.push(netnsAttr(e.netns));
  attrs.push(str(IFLA_IFNAME, e.name));
  return attrs;
}

/** A Linux bridge (`ip link add NAME type bridge`); with echo, the kernel sends the new link back. */
export function bridgeCreate(
  name: string,
  opts: { mtu?: number; netns?: NetnsTarget; up?: boolean; group?: number; echo?: boolean } = {},
): NlRequest {
  const { echo, ...end } = opts;
  return {
    type: RTM_NEWLINK,
    flags: echo ? NEW | NLM_F_ECHO : NEW,
    header: createHeader(end),
    attrs: [...linkCommon({ name, ...end }), nested(IFLA_LINKINFO, [strNoNul(IFLA_INFO_KIND, 'bridge')])],
  };
}

/**
 * A link named or numbered: an ifindex goes in ifi_index (as `ip` sends it, having looked the
 * name up), a name goes in IFLA_IFNAME with ifi_index 0 (the kernel looks it up: one message
 * instead of two).
 */
export type LinkRef = number | string;

/** The ifinfomsg fields and attributes that say which link a request is about. */
function linkRef(link: LinkRef): { index: number; attrs: Attr[] } {
  return typeof link === 'number' ? { index: link, attrs: [] } : { index: 0, attrs: [str(IFLA_IFNAME, link)] };
}

/** A change to an existing link (`ip link set`): the attributes come before IFLA_IFNAME, as ip puts them. */
function linkSet(link: LinkRef, attrs: Attr[], flags: { flags?: number; change?: number } = {}): NlRequest {
  const ref = linkRef(link);
  return { type: RTM_NEWLINK, flags: SET, header: ifinfomsg({ index: ref.index, ...flags }), attrs: [...attrs, ...ref.attrs] };
}

/** `ip link set DEV up|down`: ifi_change says which flag bits to change, ifi_flags their value. */
export function linkSetUp(link: LinkRef, up: boolean): NlRequest {
  return linkSet(link, [], { flags: up ? IFF_UP : 0, change: IFF_UP });
}

/** `ip link set DEV master BR` (masterIndex 0: `nomaster`). */
export function linkSetMaster(link: LinkRef, masterIndex: number): NlRequest {
  return linkSet(link, [u32(IFLA_MASTER, masterIndex)]);
}

/** `ip link set DEV group N`: tag a link so a whole group can be deleted in one message. */
export function linkSetGroup(link: LinkRef, group: number): NlRequest {
  return linkSet(link, [u32(IFLA_GROUP, group)]);
}

/** `ip link set DEV netns NS [name NEW]`: move (and rename) in one message. */
export function linkMove(index: number, target: NetnsTarget, newName?: string): NlRequest {
  const attrs = [netnsAttr(target)];
  if (newName !== undefined) attrs.push(str(IFLA_IFNAME, newName));
  return { type: RTM_NEWLINK, flags: SET, header: ifinfomsg({ index }), attrs };
}

/** `ip link del DEV` (deleting one end of a veth deletes the pair). */
export function linkDelete(link: LinkRef): NlRequest {
  const ref = linkRef(link);
  return { type: RTM_DELLINK, flags: SET, header: ifinfomsg({ index: ref.index }), attrs: ref.attrs };
}

/**
 * `ip link del group N`: ifi_index 0 plus IFLA_GROUP deletes every link of the group in the
 * socket's namespace, in one rtnl_lock hold (fast teardown). Group 0 is refused by the kernel.
 */
export function linkDeleteGroup(group: number): NlRequest {
  return { type: RTM_DELLINK, flags: SET, header: ifinfomsg(), attrs: [u32(IFLA_GROUP, group)] };
}

/** RTM_GETLINK for one name (answered by one RTM_NEWLINK), as `ip` looks names up. */
export function linkGetByName(name: string): NlRequest {
  return {
    type: RTM_GETLINK,
    flags: NLM_F_REQUEST,
    header: ifinfomsg(),
    attrs: [u32(IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS), str(IFLA_IFNAME, name)],
  };
}

/** Dump of all links, as `ip link show` asks for it (extMask RTEXT_FILTER_SKIP_STATS: without counters). */
export function linkDump(extMask = RTEXT_FILTER_VF): NlRequest {
  return { type: RTM_GETLINK, flags: DUMP, header: ifinfomsg({ family: AF_PACKET }), attrs: [u32(IFLA_EXT_MASK, extMask)] };
}

// ---- addresses ----

export interface Prefix {
  /** an IPv4 or IPv6 address in text form */
  address: string;
  prefix: number;
}

/** Address bytes and family of a textual IPv4/IPv6 address. */
export function addrBytes(text: string): { family: number; bytes: Buffer } {
  const a = ipaddr.parse(text);
  return { family: a.kind() === 'ipv4' ? AF_INET : AF_INET6, bytes: Buffer.from(a.toByteArray()) };
}

function addrRequest(type: number, flags: number, index: number, p: Prefix, nodad: boolean): NlRequest {
  const { family, bytes: b } = addrBytes(p.address);
  // IFA_F_NODAD fits the u8 ifa_flags, where iproute2 puts it; IFA_FLAGS (u32) is only needed
  // for flags above 0xff.
  const ifaFlags = family === AF_INET6 && nodad ? IFA_F_NODAD : 0;
  return {
    type,
    flags,
    header: ifaddrmsg({ family, prefixlen: p.prefix, flags: ifaFlags, index }),
    // IFA_LOCAL is the interface's address; IFA_ADDRESS the peer on point-to-point links, else
    // the same address.
    attrs: [bytes(IFA_LOCAL, b), bytes(IFA_ADDRESS, b)],
  };
}

/** `ip addr add ADDR/P dev INDEX [nodad]`; IPv6 gets IFA_F_NODAD unless nodad is false. */
export function addrAdd(index: number, p: Prefix, opts: { nodad?: boolean } = {}): NlRequest {
  return addrRequest(RTM_NEWADDR, NEW, index, p, opts.nodad ?? true);
}

export function addrDel(index: number, p: Prefix): NlRequest {
  return addrRequest(RTM_DELADDR, SET, index, p, false);
}

/** Dump of addresses (family AF_UNSPEC: both). */
export function addrDump(family = AF_UNSPEC): NlRequest {
  return { type: RTM_GETADDR, flags: DUMP, header: ifaddrmsg({ family }), attrs: [] };
}

// ---- routes ----

export interface RouteSpec {
  /** 'default' or a prefix; its family decides the route's family. */
  dst: 'default' | Prefix;
  /** IPv4 default routes need the family from here or from gateway. */
  family?: number;
  gateway?: string;
  oif?: number;
  table?: number;
}

function routeFamily(r: RouteSpec): number {
  if (r.dst !== 'default') return addrBytes(r.dst.address).family;
  if (r.gateway !== undefined) return addrBytes(r.gateway).family;
  if (r.family !== undefined) return r.family;
  throw new Error('route: a default route needs a gateway or a family');
}

/**
 * `ip route add DST [via GW] [dev OIF]`. Like iproute2: protocol boot, table main, scope link
 * when there is no gateway (the destination is on the link), universe otherwise. The RTA_DST of
 * an IPv6 default route is ::/0 written out (as `ip -6 route add default` does); IPv4's default
 * carries no RTA_DST.
 */
export function routeAdd(r: RouteSpec): NlRequest {
  const family = routeFamily(r);
  const dstLen = r.dst === 'default' ? 0 : r.dst.prefix;
  const table = r.table ?? RT_TABLE_MAIN;
  return {
    type: RTM_NEWROUTE,
    flags: NEW,
    header: rtmsg({
      family,
      dstLen,
      table: table < 256 ? table : 0, // large table ids go in RTA_TABLE only
      protocol: RTPROT_BOOT,
      scope: r.gateway === undefined ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE,
      type: RTN_UNICAST,
    }),
    attrs: routeAttrs(r, family, table),
  };
}

/**
 * `ip route del DST`: the kernel deletes the first route matching the given fields; scope
 * NOWHERE and protocol/type 0 act as wildcards.
 */
export function routeDel(r: RouteSpec): NlRequest {
  const family = routeFamily(r);
  const table = r.table ?? RT_TABLE_MAIN;
  return {
    type: RTM_DELROUTE,
    flags: SET,
    header: rtmsg({
      family,
      dstLen: r.dst === 'default' ? 0 : r.dst.prefix,
      table: table < 256 ? table : 0,
      scope: RT_SCOPE_NOWHERE,
    }),
    attrs: routeAttrs(r, family, table),
  };
}

function routeAttrs(r: RouteSpec, family: number, table: number): Attr[] {
  const attrs: Attr[] = [];
  if (r.dst !== 'default') attrs.push(bytes(RTA_DST, addrBytes(r.dst.address).bytes));
  else if (family === AF_INET6) attrs.push(bytes(RTA_DST, Buffer.alloc(16)));
  if (r.gateway !== undefined) attrs.push(bytes(RTA_GATEWAY, addrBytes(r.gateway).bytes));
  if (r.oif !== undefined) attrs.push(u32(RTA_OIF, r.oif));
  if (table >= 256) attrs.push(u32(RTA_TABLE, table));
  return attrs;
}

/** Dump of routes of one family, filtered to one table (kernel-side with strict checking). */
export function routeDump(family: number, table = RT_TABLE_MAIN): NlRequest {
  return { type: RTM_GETROUTE, flags: DUMP, header: rtmsg({ family }), attrs: [u32(RTA_TABLE, table)] };
}
