/**
 * VLAN membership of bridge ports, as `bridge vlan add|del dev PORT vid ID [pvid] [untagged]`
 * sends it: RTM_SETLINK (add) or RTM_DELLINK (del) of family AF_BRIDGE on the port's ifindex,
 * with IFLA_AF_SPEC { IFLA_BRIDGE_VLAN_INFO { u16 flags, u16 vid } }. The bridge must filter
 * VLANs (bridgeCreate's vlanFiltering). The kernel finds the port by ifi_index only (the
 * AF_BRIDGE dellink handler does not look names up), so the port is numbered.
 */
import { bytes, nested } from '../attr.js';
import {
  AF_BRIDGE, BRIDGE_VLAN_INFO_PVID, BRIDGE_VLAN_INFO_UNTAGGED, IFLA_AF_SPEC, IFLA_BRIDGE_VLAN_INFO, RTM_DELLINK,
  RTM_SETLINK,
} from '../constants.js';
import { ifinfomsg } from '../headers.js';
import type { NlRequest } from '../message.js';
import { struct } from '../struct.js';
import { SET } from './common.js';

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
