/**
 * Link requests: creating veth pairs, bridges, VLANs, macvlans and VXLANs (`ip link add`),
 * changing, moving and deleting links (`ip link set|del`), looking them up and dumping them.
 */
import { type Attr, headed, nested, str, strNoNul, u32, u8 } from '../attr.js';
import {
  AF_PACKET, IFF_UP, IFLA_BR_VLAN_FILTERING, IFLA_EXT_MASK, IFLA_GROUP, IFLA_IFNAME, IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_LINK, IFLA_LINKINFO, IFLA_MASTER,
  IFLA_MTU, IFLA_NUM_RX_QUEUES, IFLA_NUM_TX_QUEUES, NLM_F_ECHO, NLM_F_REQUEST, RTEXT_FILTER_SKIP_STATS, RTEXT_FILTER_VF, RTM_DELLINK, RTM_GETLINK, RTM_NEWLINK,
  VETH_INFO_PEER,
} from '../constants.js';
import { ifinfomsg } from '../headers.js';
import type { NlRequest } from '../message.js';
import { DUMP, NEW, type NetnsTarget, SET, netnsAttr } from './common.js';

/** A link being made (`ip link add NAME [mtu N] [group N] [netns NS] [up] …`). */
export interface NewLink {
  name: string;
  mtu?: number;
  /** Create it directly in that namespace (omitted: the socket's namespace). */
  netns?: NetnsTarget;
  /** The ifindex to give it (ifi_index; the kernel refuses a taken one with EBUSY); 0: the kernel picks. */
  index?: number;
  /** Create it up (`ip link add … up`). */
  up?: boolean;
  /** Its link group (`ip link add … group N`). */
  group?: number;
  /**
   * Its transmit and receive queues (`numtxqueues N numrxqueues N`); the kernel's default is the
   * kind's own (a veth: one per CPU, of which it uses one).
   */
  queues?: number;
  /** NLM_F_ECHO: the kernel sends the new link back (its ifindex) before the ack. */
  echo?: boolean;
}
export type VethEnd = Omit<NewLink, 'echo'>;

/** The ifinfomsg of a link being created: its chosen index, and IFF_UP when made up. */
function createHeader(e: VethEnd): Buffer {
  return ifinfomsg({ index: e.index ?? 0, ...(e.up ? { flags: IFF_UP, change: IFF_UP } : {}) });
}

/** MTU, group, namespace, queues, lower link, name — in the order iproute2 writes them. */
function linkCommon(e: VethEnd, lower?: number): Attr[] {
  const attrs: Attr[] = [];
  if (e.mtu !== undefined) attrs.push(u32(IFLA_MTU, e.mtu));
  if (e.group !== undefined) attrs.push(u32(IFLA_GROUP, e.group));
  if (e.netns) attrs.push(netnsAttr(e.netns));
  if (e.queues !== undefined) attrs.push(u32(IFLA_NUM_TX_QUEUES, e.queues), u32(IFLA_NUM_RX_QUEUES, e.queues));
  if (lower !== undefined) attrs.push(u32(IFLA_LINK, lower));
  attrs.push(str(IFLA_IFNAME, e.name));
  return attrs;
}

/**
 * RTM_NEWLINK of a link of `kind`: the common attributes, IFLA_LINK when the link sits on another
 * (`ip link add link LOWER …`, an ifindex of the socket's namespace), then IFLA_LINKINFO with the
 * kind (without its NUL, as ip sends it) and the kind's IFLA_INFO_DATA when there is any.
 */
export function linkCreate(kind: string, e: NewLink, data?: readonly Attr[], lower?: number): NlRequest {
  const info = [strNoNul(IFLA_INFO_KIND, kind)];
  if (data) info.push(nested(IFLA_INFO_DATA, data));
  return {
    type: RTM_NEWLINK,
    flags: e.echo ? NEW | NLM_F_ECHO : NEW,
    header: createHeader(e),
    attrs: [...linkCommon(e, lower), nested(IFLA_LINKINFO, info)],
  };
}

/**
 * A veth pair in one RTM_NEWLINK. The main end's attributes are top-level; the peer is the node
 * IFLA_LINKINFO → IFLA_INFO_DATA → VETH_INFO_PEER, whose payload is a whole struct ifinfomsg
 * followed by the peer's attributes. With netns targets each end is created directly in its
 * namespace: no move afterwards, no name clash in between.
 */
export function vethCreate(end: VethEnd, peer: VethEnd, opts: { echo?: boolean } = {}): NlRequest {
  return linkCreate('veth', { ...end, ...opts }, [headed(VETH_INFO_PEER, createHeader(peer), linkCommon(peer))]);
}

/**
 * A Linux bridge (`ip link add NAME type bridge [vlan_filtering 1]`); with vlanFiltering,
 * IFLA_INFO_DATA holds IFLA_BR_VLAN_FILTERING = 1 (kernels built without
 * CONFIG_BRIDGE_VLAN_FILTERING refuse it with EOPNOTSUPP).
 */
export function bridgeCreate(name: string, opts: Omit<NewLink, 'name'> & { vlanFiltering?: boolean } = {}): NlRequest {
  const { vlanFiltering, ...e } = opts;
  return linkCreate('bridge', { name, ...e }, vlanFiltering ? [u8(IFLA_BR_VLAN_FILTERING, 1)] : undefined);
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

