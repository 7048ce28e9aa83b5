/**
 * A macvlan, as `ip link add link LOWER name NAME [netns NS] type macvlan mode MODE` sends it: the
 * common link attributes in ip's order (MTU, group, namespace, the lower link, name), then
 * IFLA_LINKINFO with the kind and IFLA_MACVLAN_MODE. `lower` is the parent's ifindex in the
 * socket's namespace; with `netns` the macvlan is made directly in that namespace.
 */
import { nested, str, strNoNul, u32, type Attr } from './attr.js';
import {
  IFF_UP, IFLA_GROUP, IFLA_IFNAME, IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_LINK, IFLA_LINKINFO, IFLA_MTU, IFLA_NET_NS_FD,
  NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST, RTM_NEWLINK,
} from './constants.js';
import { ifinfomsg, type NlRequest } from './message.js';

const IFLA_MACVLAN_MODE = 1; // u32
export type MacvlanMode = 'private' | 'vepa' | 'bridge' | 'passthru';
export const MACVLAN_MODES: Readonly<Record<MacvlanMode, number>> = { private: 1, vepa: 2, bridge: 4, passthru: 8 };

export interface NewMacvlan {
  name: string;
  mtu?: number;
  /** Make it directly in the namespace of this fd. */
  netns?: { fd: number };
  /** The ifindex to give it (0 or absent: the kernel picks). */
  index?: number;
  up?: boolean;
  group?: number;
}

export function macvlanCreate(lower: number, mode: MacvlanMode, e: NewMacvlan): NlRequest {
  const attrs: Attr[] = [];
  if (e.mtu !== undefined) attrs.push(u32(IFLA_MTU, e.mtu));
  if (e.group !== undefined) attrs.push(u32(IFLA_GROUP, e.group));
  if (e.netns) attrs.push(u32(IFLA_NET_NS_FD, e.netns.fd));
  attrs.push(u32(IFLA_LINK, lower), str(IFLA_IFNAME, e.name));
  attrs.push(nested(IFLA_LINKINFO, [strNoNul(IFLA_INFO_KIND, 'macvlan'), nested(IFLA_INFO_DATA, [u32(IFLA_MACVLAN_MODE, MACVLAN_MODES[mode])])]));
  return {
    type: RTM_NEWLINK,
    flags: NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE,
    header: ifinfomsg({ index: e.index ?? 0, ...(e.up ? { flags: IFF_UP, change: IFF_UP } : {}) }),
    attrs,
  };
}
