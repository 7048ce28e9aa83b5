/**
 * VLAN membership of bridge ports, as `bridge vlan add|del dev PORT vid ID [pvid] [untagged]`
 * sends it: RTM_SETLINK (add) or RTM_DELLINK (del) of family AF_BRIDGE on the port's ifindex,
 * with IFLA_AF_SPEC { IFLA_BRIDGE_VLAN_INFO { u16 flags, u16 vid } }. The bridge must filter
 * VLANs (bridgeCreate's vlanFiltering). The kernel finds the port by ifi_index only (the
 * AF_BRIDGE dellink handler does not look names up), so the port is numbered.
 */
import { AttrMap, bytes, nested, u32 } from '../attr.js';
import {
  AF_BRIDGE, BRIDGE_VLAN_INFO_PVID, BRIDGE_VLAN_INFO_UNTAGGED, IFINFOMSG_LEN, IFLA_AF_SPEC, IFLA_BRIDGE_VLAN_INFO, IFLA_EXT_MASK,
  IFLA_IFNAME, IFLA_MASTER, RTEXT_FILTER_BRVLAN, RTM_DELLINK, RTM_GETLINK, RTM_SETLINK,
} from '../constants.js';
import { IFINFO, ifinfomsg } from '../headers.js';
import { nlmsgAlign, type NlMessage, type NlRequest } from '../message.js';
import { struct } from '../struct.js';
import { DUMP, SET } from './common.js';

/** struct bridge_vlan_info: u16 flags, u16 vid. */
export const BRIDGE_VLAN_INFO = struct<{ flags: number; vid: number }>(4, [['flags', 'u16', 0], ['vid', 'u16', 2]]);

export interface PortVlan {
  vid: number;
  /** frames arriving untagged on the port belong to this VLAN (BRIDGE_VLAN_INFO_PVID) */
  pvid?: boolean;
  /** frames of this VLAN leave the port untagged (BRIDGE_VLAN_INFO_UNTAGGED) */
  untagged?: boolean;
}

function portVlan(type: number, port: number, v: PortVlan): NlRequest {
  const flags = (v.pvid ? BRIDGE_VLAN_INFO_PVID : 0) | (v.untagged ? BRIDGE_VLAN_INFO_UNTAGGED : 0);
  return {
    type,
    flags: SET,
    header: ifinfomsg({ family: AF_BRIDGE, index: port }),
    attrs: [nested(IFLA_AF_SPEC, [bytes(IFLA_BRIDGE_VLAN_INFO, BRIDGE_VLAN_INFO.pack({ flags, vid: v.vid }))])],
  };
}

/** `bridge vlan add dev PORT vid ID [pvid] [untagged]`. */
export function bridgeVlanAdd(port: number, v: PortVlan): NlRequest {
  return portVlan(RTM_SETLINK, port, v);
}

/** `bridge vlan del dev PORT vid ID`. */
export function bridgeVlanDel(port: number, vid: number): NlRequest {
  return portVlan(RTM_DELLINK, port, { vid });
}

/**
 * `bridge vlan show`: a dump of the AF_BRIDGE links (the ports of every bridge, and each bridge
 * itself) with their VLANs, one IFLA_BRIDGE_VLAN_INFO each (RTEXT_FILTER_BRVLAN), as bridge asks.
 */
export function bridgeVlanDump(): NlRequest {
  return { type: RTM_GETLINK, flags: DUMP, header: ifinfomsg({ family: AF_BRIDGE }), attrs: [u32(IFLA_EXT_MASK, RTEXT_FILTER_BRVLAN)] };
}

/** One answer of bridgeVlanDump: a bridge port (or a bridge) and its VLANs in the kernel's order. */
export interface BridgeVlans {
  readonly index: number;
  readonly ifname: string;
  /** The bridge it is a port of (absent for the bridge itself). */
  readonly master: number | undefined;
  readonly vlans: readonly Required<PortVlan>[];
}

export function decodeBridgeVlans(m: NlMessage): BridgeVlans {
  const { index } = IFINFO.unpack(m.body);
  const a = new AttrMap(m.body, nlmsgAlign(IFINFOMSG_LEN));
  const spec = a.nested(IFLA_AF_SPEC);
  const vlans = (spec?.list ?? [])
    .filter(x => x.type === IFLA_BRIDGE_VLAN_INFO && x.payload.length >= BRIDGE_VLAN_INFO.size)
    .map(x => {
      const { flags, vid } = BRIDGE_VLAN_INFO.unpack(x.payload);
      return { vid, pvid: (flags & BRIDGE_VLAN_INFO_PVID) !== 0, untagged: (flags & BRIDGE_VLAN_INFO_UNTAGGED) !== 0 };
    });
  return { index, ifname: a.str(IFLA_IFNAME) ?? '', master: a.u32(IFLA_MASTER), vlans };
}
