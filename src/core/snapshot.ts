/**
 * A lab as a picture of its state: read from the kernel (a live lab) or from the dry run's model
 * (a script that has not run). `show`, `.save`, `nsh graph` and `nsh web` draw from it.
 */
import type { Endpoint } from './lab.js';
import type { Shaping } from './shape.js';

/** The host first, then the lab's namespaces in order. */
export interface LabSnapshot {
  readonly namespaces: readonly NsSnapshot[];
}

export interface NsSnapshot {
  /** A namespace name, or `host`. */
  readonly name: string;
  /** The hostname of the namespace's own UTS namespace, when it has one. */
  readonly hostname?: string;
  /** The machine the namespace lives on, in a lab across machines. */
  readonly machine?: string;
  readonly forwarding: { readonly ipv4: boolean; readonly ipv6: boolean };
  readonly links: readonly LinkSnapshot[];
  /** Routes of the main table that were added (not the kernel's own routes for an address). */
  readonly routes: readonly RouteSnapshot[];
  /**
   * The kernel's own routes of the main table (one for each address's network, those learnt from
   * router advertisements), where read from the kernel: `show routes` lists them after the added
   * ones, as `ip route` does.
   */
  readonly kernelRoutes?: readonly RouteSnapshot[];
  /** nftables rules of the lab in this namespace. */
  readonly nat?: boolean;
  readonly published?: readonly Published[];
}

export interface LinkSnapshot {
  readonly name: string;
  /** The interface index, where read from the kernel. */
  readonly index?: number;
  /** `veth`, `bridge`, `loopback`, `vlan`, `macvlan`, `vxlan`, another kernel kind (`dummy` …), or `device`. */
  readonly kind: string;
  readonly up: boolean;
  /** Whether the link has a carrier (it can pass packets), where known. */
  readonly carrier?: boolean;
  readonly mtu?: number;
  /** The bridge this link is a port of. */
  readonly master?: string;
  /** A veth's other end, when it is in one of the snapshot's namespaces. */
  readonly peer?: Endpoint;
  /** A veth whose other end is in a namespace outside the snapshot. */
  readonly peerOutside?: boolean;
  /** Addresses other than link-local ones, as `10.1.1.1/24`. */
  readonly addresses: readonly string[];
  /** What shapes the link's egress. */
  readonly shape?: Shaping;
  /** A vlan link: its id and the link it is on. */
  readonly vlan?: { readonly id: number; readonly parent?: string };
  /** A bridge port's VLANs (a bridge with VLAN filtering). */
  readonly vlans?: readonly { readonly id: number; readonly pvid: boolean; readonly untagged: boolean }[];
  /** A macvlan: its mode and the link it is on. */
  readonly macvlan?: { readonly mode: string; readonly parent?: string };
  /** A VXLAN link that stands for a veth across machines. */
  readonly tunnel?: { readonly vni: number; readonly remote?: string };
  /** Counters, where read from the kernel. */
  readonly stats?: { readonly rxPackets: number; readonly txPackets: number; readonly rxBytes: number; readonly txBytes: number };
}

export interface RouteSnapshot {
  /** `default`, or a prefix such as `10.0.2.0/24`. */
  readonly dest: string;
  readonly family: 4 | 6;
  readonly via?: string;
  readonly dev?: string;
}

export interface Published {
  readonly proto: 'tcp' | 'udp';
  readonly port: number;
  readonly to: string;
  readonly toPort: number;
}
