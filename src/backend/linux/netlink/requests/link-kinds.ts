/**
 * Links of other kinds than veth and bridge, as `ip link add … type vlan|macvlan|vxlan` sends
 * them: an 802.1Q sub-interface, a macvlan (both on a lower link, IFLA_LINK) and a VXLAN tunnel.
 */
import { bytes, be16, u16, u32, u8 } from '../attr.js';
import {
  IFLA_MACVLAN_MODE, IFLA_VLAN_ID, IFLA_VXLAN_GROUP, IFLA_VXLAN_GROUP6, IFLA_VXLAN_ID, IFLA_VXLAN_LEARNING,
  IFLA_VXLAN_LOCAL, IFLA_VXLAN_LOCAL6, IFLA_VXLAN_PORT, MACVLAN_MODE_BRIDGE, MACVLAN_MODE_PASSTHRU,
  MACVLAN_MODE_PRIVATE, MACVLAN_MODE_VEPA,
} from '../constants.js';
import type { NlRequest } from '../message.js';
import { addrBytes } from './addresses.js';
import { type NewLink, linkCreate } from './links.js';

/**
 * `ip link add link LOWER name NAME [netns NS] type vlan id ID`: `lower` is the parent's ifindex
 * in the socket's namespace; with netns the sub-interface is made there. Needs the 8021q module.
 */
export function vlanCreate(lower: number, id: number, e: NewLink): NlRequest {
  return linkCreate('vlan', e, [u16(IFLA_VLAN_ID, id)], lower);
}

export type MacvlanMode = 'private' | 'vepa' | 'bridge' | 'passthru';
export const MACVLAN_MODES: Readonly<Record<MacvlanMode, number>> = {
  private: MACVLAN_MODE_PRIVATE,
  vepa: MACVLAN_MODE_VEPA,
  bridge: MACVLAN_MODE_BRIDGE,
  passthru: MACVLAN_MODE_PASSTHRU,
};

/** `ip link add link LOWER name NAME [netns NS] type macvlan mode MODE`. */
export function macvlanCreate(lower: number, mode: MacvlanMode, e: NewLink): NlRequest {
  return linkCreate('macvlan', e, [u32(IFLA_MACVLAN_MODE, MACVLAN_MODES[mode])], lower);
}

export interface Vxlan {
  /** the VNI (24 bits) */
  id: number;
  /** the other end (unicast): IFLA_VXLAN_GROUP / GROUP6, which carries a remote as well as a group */
  remote?: string;
  /** this end's source address: IFLA_VXLAN_LOCAL / LOCAL6 */
  local?: string;
  /** UDP destination port (IANA's 4789 unless given; the kernel's own default is 8472) */
  port?: number;
  /** false: `nolearning` (no source-MAC learning: the remote is fixed) */
  learning?: boolean;
}

/**
 * `ip link add NAME [mtu N] type vxlan id ID [remote R] [local L] dstport P [nolearning]`, the
 * attributes in ip's order (id, local, remote, learning, port); the address family of local and
 * remote picks the IPv4 or IPv6 attribute.
 */
export function vxlanCreate(v: Vxlan, e: NewLink): NlRequest {
  const data = [u32(IFLA_VXLAN_ID, v.id)];
  if (v.local !== undefined) {
    const a = addrBytes(v.local);
    data.push(bytes(a.bytes.length === 4 ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, a.bytes));
  }
  if (v.remote !== undefined) {
    const a = addrBytes(v.remote);
    data.push(bytes(a.bytes.length === 4 ? IFLA_VXLAN_GROUP : IFLA_VXLAN_GROUP6, a.bytes));
  }
  if (v.learning !== undefined) data.push(u8(IFLA_VXLAN_LEARNING, v.learning ? 1 : 0));
  data.push(be16(IFLA_VXLAN_PORT, v.port ?? 4789));
  return linkCreate('vxlan', e, data);
}
