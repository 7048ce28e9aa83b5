/**
 * What operations give back as values when asked to collect (the library's exec, spawn, ping, nc
 * and show) instead of printing to a terminal: plain data, the same for every layer.
 */
import type { Job } from './lab.js';
import type { ShapeSnapshot } from './snapshot.js';

/** A program that ran to its end, its output collected. */
export interface ProgramResult {
  /** The exit status; null when a signal ended the program. */
  readonly code: number | null;
  /** The signal that ended it (`SIGTERM` …), or null. */
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A background job whose result is collected: `exited` settles when it ends. */
export interface CollectingJob<R> extends Job {
  readonly exited: Promise<R>;
}

/** One echo reply of the built-in ping. */
export interface PingReply {
  readonly seq: number;
  readonly from: string;
  readonly bytes: number;
  readonly ttl?: number;
  /** Round-trip time in milliseconds. */
  readonly time: number;
  /** A second reply to the same probe. */
  readonly duplicate: boolean;
}

/** What the built-in ping found: iputils' summary as numbers, and each reply. */
export interface PingReport {
  readonly address: string;
  readonly transmitted: number;
  readonly received: number;
  readonly duplicates: number;
  /** Probes the kernel refused to send (iputils' "errors"). */
  readonly errors: number;
  /** Probes without a reply, in percent (0 to 100). */
  readonly loss: number;
  /** Round-trip times in milliseconds, when a reply came. */
  readonly rtt?: { readonly min: number; readonly avg: number; readonly max: number; readonly mdev: number };
  readonly replies: readonly PingReply[];
  /** Why nothing was sent: there is no route (iputils' "connect: Network is unreachable"). */
  readonly unreachable?: string;
}

/** What the built-in nc received (a listener: from its peer; a connection: the answer). */
export interface NcReport {
  readonly received: string;
}

/** `show --json`: one entry per namespace, the host first. */
export interface ShowNamespace {
  readonly name: string;
  readonly links: readonly ShowLink[];
  readonly routes: readonly ShowRoute[];
  /** The lab masquerades what the namespace forwards out of links not of the lab (`nat`). */
  readonly nat?: true;
  /** Ports published there (`publish`): connections to `port` go to `to`:`toPort`. */
  readonly published?: readonly { readonly proto: 'tcp' | 'udp'; readonly port: number; readonly to: string; readonly toPort: number }[];
}

export interface ShowLink {
  readonly name: string;
  /** The ifindex, where the lab was read from the kernel. */
  readonly index?: number;
  /** `veth`, `bridge`, `loopback`, another kernel kind, or `device`. */
  readonly kind: string;
  readonly state: 'up' | 'down' | 'no-carrier';
  readonly mtu?: number;
  readonly master?: string;
  /** A veth's other end, `NS.IF`, when it is in one of the namespaces shown. */
  readonly peer?: string;
  /** A veth whose other end is in a namespace outside those shown. */
  readonly peerOutside?: boolean;
  /** Addresses other than IPv6 link-local ones, as `10.1.1.1/24`. */
  readonly addresses: readonly string[];
  /** The shaping of what leaves the link, in `shape`'s words (`{ delay: '10ms', loss: '1%' }`). */
  readonly shape?: ShapeSnapshot;
  /** An 802.1Q link: its VLAN ID and the link it sits on (`vlan`). */
  readonly vlan?: { readonly id: number; readonly parent: string };
  /** A bridge that filters VLANs (`bridge … vlan`). */
  readonly vlanFiltering?: true;
  /** A port of such a bridge: its VLANs (`pvid`: untagged frames arriving belong to it; `untagged`: it leaves untagged). */
  readonly vlans?: readonly { readonly id: number; readonly pvid: boolean; readonly untagged: boolean }[];
  /** A macvlan: the link it sits on (`host.eth0`) and its mode. */
  readonly macvlan?: { readonly parent: string; readonly mode?: string };
}

export interface ShowRoute {
  readonly dest: string;
  readonly via?: string;
  readonly dev?: string;
}
