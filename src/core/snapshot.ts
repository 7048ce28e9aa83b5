/**
 * A lab as a picture of its state: read from the kernel (a live lab) or from the dry run's model
 * (a script that has not run). `show`, `.save`, `nsh graph` and `nsh web` draw from it.
 */
import type { Endpoint } from './lab.js';
import { rateText, timeText, type Shaping } from './shape.js';

/** The host first, then the lab's namespaces in order. */
export interface LabSnapshot {
  readonly namespaces: readonly NsSnapshot[];
}

export interface NsSnapshot {
  /** A namespace name, or `host`. */
  readonly name: string;
  /** The hostname of the namespace's own UTS namespace, when it has one. */
  readonly hostname?: string;
  /** The machine the namespace lives on, in a lab across machines (`local` for the one that runs it). */
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
  readonly mtu?: number;
  /** The bridge this link is a port of. */
  readonly master?: string;
  /** A veth's other end, when it is in one of the snapshot's namespaces. */
  readonly peer?: Endpoint;
  /** A veth whose other end is in a namespace outside the snapshot. */
  readonly peerOutside?: boolean;
  /** Addresses other than link-local ones, as `10.1.1.1/24`. */
  readonly addresses: readonly string[];
  /** Whether the link has a carrier (IFLA_CARRIER): a veth has one while its peer is up. */
  readonly carrier?: boolean;
  /** Counters since the link was made (IFLA_STATS64). */
  readonly stats?: LinkStats;
  /** The shaping of what leaves the link, in nsh's words (`delay 10ms` → `{ delay: '10ms' }`). */
  readonly shape?: ShapeSnapshot;
  /** A vlan link's id and parent, or a bridge port's VLANs. */
  readonly vlan?: VlanSnapshot;
  /** A tunnel (a veth across machines becomes a VXLAN). */
  readonly tunnel?: TunnelSnapshot;
  /** A macvlan's parent (`host.eth0`) and mode. */
  readonly macvlan?: { readonly parent: Endpoint; readonly mode?: string };
}

export interface LinkStats {
  readonly rxPackets: number;
  readonly txPackets: number;
  readonly rxBytes: number;
  readonly txBytes: number;
}

/** The options of `shape`, each in nsh's words (`'10ms'`, `'1%'`, `'1mbit'`). */
export interface ShapeSnapshot {
  readonly delay?: string;
  readonly jitter?: string;
  readonly loss?: string;
  readonly duplicate?: string;
  readonly reorder?: string;
  readonly corrupt?: string;
  readonly rate?: string;
  readonly limit?: number;
}

/** A shaping as the snapshot words it. */
export function shapeSnapshot(s: Shaping): ShapeSnapshot {
  return {
    ...(s.delay === undefined ? {} : { delay: timeText(s.delay) }),
    ...(s.jitter === undefined ? {} : { jitter: timeText(s.jitter) }),
    ...(s.loss === undefined ? {} : { loss: `${s.loss}%` }),
    ...(s.duplicate === undefined ? {} : { duplicate: `${s.duplicate}%` }),
    ...(s.reorder === undefined ? {} : { reorder: `${s.reorder}%` }),
    ...(s.corrupt === undefined ? {} : { corrupt: `${s.corrupt}%` }),
    ...(s.rate === undefined ? {} : { rate: rateText(s.rate) }),
    ...(s.limit === undefined ? {} : { limit: s.limit }),
  };
}

/** `delay 10ms loss 1%`, as `shape` takes it (options in the order `shape` lists them). */
export function shapeSnapshotText(s: ShapeSnapshot | undefined): string {
  if (!s) return '';
  const order: readonly (keyof ShapeSnapshot)[] = ['delay', 'jitter', 'loss', 'duplicate', 'reorder', 'corrupt', 'rate', 'limit'];
  return order.filter(k => s[k] !== undefined).map(k => `${k} ${s[k]}`).join(' ');
}

export type VlanSnapshot =
  /** an 802.1Q sub-interface of `parent` (a link of the same namespace) */
  | { readonly kind: 'link'; readonly id: number; readonly parent: string }
  /** a port of a VLAN-filtering bridge: its VLANs */
  | { readonly kind: 'port'; readonly vlans: readonly { readonly id: number; readonly pvid: boolean; readonly untagged: boolean }[] }
  /** a bridge with VLAN filtering on */
  | { readonly kind: 'bridge' };

export interface TunnelSnapshot {
  readonly kind: 'vxlan';
  readonly vni: number;
  /** The machine at the other end, in a lab across machines. */
  readonly remote?: string;
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
