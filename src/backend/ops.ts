/**
 * Operations: what the interpreter asks of a backend, as data. One variant per kernel-facing
 * action, each carrying the span of the statement it came from. A backend handles every kind
 * (Handlers makes a missing one a type error); the journal and the dry run read what an op makes.
 */
import type { Cidr, NsType } from '../core/net.js';
import type { Endpoint, Job, JobTarget, NsRef, SavedQdisc } from '../core/lab.js';
import type { CollectingJob, NcReport, PingReport, ProgramResult, ShowNamespace } from '../core/results.js';
import type { Shaping } from '../core/shape.js';
import type { Span } from '../core/span.js';
import type { Text } from '../core/text.js';

interface At {
  /** The statement the operation came from. */
  readonly span: Span;
}

export interface NsAddOp extends At {
  readonly kind: 'ns-add';
  readonly name: string;
  readonly hostname?: string;
  /** `ns … on MACHINE` (absent: the machine that runs the script). */
  readonly machine?: string;
  /** The word that named the machine. */
  readonly machineSpan?: Span;
}
export interface NsDelOp extends At {
  readonly kind: 'ns-del';
  readonly name: string;
}
export interface LinkDelOp extends At {
  readonly kind: 'link-del';
  readonly ep: Endpoint;
}
export interface VethOp extends At {
  readonly kind: 'veth';
  readonly left: Endpoint;
  readonly right: Endpoint;
  readonly leftAddrs: readonly Cidr[];
  readonly rightAddrs: readonly Cidr[];
  readonly mtu?: number;
  /** Shaping of both ends' egress. */
  readonly shape?: Shaping;
}
export interface BridgeOp extends At {
  readonly kind: 'bridge';
  readonly br: Endpoint;
  /** Interfaces of the bridge's namespace that become its ports. */
  readonly ports: readonly Endpoint[];
  /** `bridge NS.BR vlan`: the bridge filters VLANs (IFLA_BR_VLAN_FILTERING). */
  readonly vlanFiltering?: boolean;
}
/**
 * The VLANs of a port of a VLAN-filtering bridge: an access port (PVID = id, frames leave
 * untagged) or a trunk port (a tagged member of each). The port is a member of these only.
 */
export type PortVlans = { readonly kind: 'access'; readonly id: number } | { readonly kind: 'trunk'; readonly ids: readonly number[] };
export interface AttachOp extends At {
  readonly kind: 'attach';
  readonly ports: readonly Endpoint[];
  readonly br: Endpoint;
  /** `attach … vlan …`: each port's VLANs (the bridge must filter VLANs). */
  readonly vlans?: PortVlans;
}
export interface AddrOp extends At {
  readonly kind: 'addr';
  readonly ep: Endpoint;
  readonly addrs: readonly Cidr[];
  readonly del: boolean;
}
export interface LinkStateOp extends At {
  readonly kind: 'link-state';
  readonly eps: readonly Endpoint[];
  readonly up: boolean;
}
export interface MoveOp extends At {
  readonly kind: 'move';
  readonly ep: Endpoint;
  readonly to: NsRef;
  readonly newName?: string;
}
export interface RouteOp extends At {
  readonly kind: 'route';
  readonly ns: string;
  readonly del: boolean;
  readonly dest: Cidr | 'default';
  readonly family: 4 | 6;
  readonly via?: string;
  /** The word that gave the gateway. */
  readonly viaSpan?: Span;
  readonly dev?: string;
}
export interface SysctlOp extends At {
  readonly kind: 'sysctl';
  readonly ns: string;
  readonly settings: readonly { readonly key: string; readonly value: string }[];
}
/**
 * One end of a VXLAN tunnel: made in the machine's root namespace (where its UDP socket stays),
 * placed in `ep`'s namespace under `ep`'s name, up, addressed. Without `local`, the source
 * address of the route to `remote`.
 */
export interface VxlanOp extends At {
  readonly kind: 'vxlan';
  readonly ep: Endpoint;
  readonly vni: number;
  readonly remote: { readonly address: string; readonly family: 4 | 6 };
  readonly local?: string;
  readonly port: number;
  readonly mtu?: number;
  readonly addrs: readonly Cidr[];
}
/** `machine NAME ssh [USER@]HOST [port N]`: a machine the lab may use. */
export interface MachineOp extends At {
  readonly kind: 'machine';
  readonly name: string;
  readonly user?: string;
  readonly host: string;
  readonly port: number;
}
/** Shapes what leaves each endpoint (its root qdisc), replacing any shaping it had; `off` removes it. */
export interface ShapeOp extends At {
  readonly kind: 'shape';
  readonly eps: readonly Endpoint[];
  readonly shaping: Shaping | 'off';
}
/** An 802.1Q sub-interface: `link` (in the parent's namespace) tags what it sends with VLAN `id` on `parent`. */
export interface VlanOp extends At {
  readonly kind: 'vlan';
  readonly parent: Endpoint;
  readonly id: number;
  /** The new link: the parent's namespace, named IF.ID unless `as NAME`. */
  readonly link: Endpoint;
  readonly addrs: readonly Cidr[];
}
export type MacvlanMode = 'bridge' | 'private' | 'vepa' | 'passthru';
export interface MacvlanOp extends At {
  readonly kind: 'macvlan';
  /** The link it is on (a NIC of the host, usually). */
  readonly parent: Endpoint;
  /** Where it goes and its name there. */
  readonly target: Endpoint;
  readonly mode: MacvlanMode;
  readonly addrs: readonly Cidr[];
}
export interface NatOp extends At {
  readonly kind: 'nat';
  readonly ns: string;
  /** The lab's nftables table (family inet) in NS: `nsh_LAB`. */
  readonly table: string;
  /**
   * The lab's links in NS, which NAT leaves alone (what leaves through any other is masqueraded):
   * `all` where NS is a namespace the lab made (every link there, read when the op runs).
   */
  readonly lan: readonly string[] | 'all';
}
export interface PublishOp extends At {
  readonly kind: 'publish';
  readonly ns: string;
  /** The lab's nftables table (family inet) in NS: `nsh_LAB`. */
  readonly table: string;
  readonly proto: 'tcp' | 'udp';
  readonly port: number;
  readonly to: { readonly address: string; readonly family: 4 | 6; readonly port: number };
}
export interface ExecOp extends At {
  readonly kind: 'exec';
  readonly ref: NsRef;
  readonly argv: readonly Text[];
  /** Where the program's name is written (an error that it cannot be started points there). */
  readonly programAt?: Span;
  /** The text of `<<< "text"` (the program reads it with a newline added, as from a shell). */
  readonly stdin?: Text;
  readonly background: boolean;
  /**
   * Collect instead of stream: the program's output and exit come back as a value (a
   * ProgramResult; in the background a job whose `exited` gives it), and a non-zero exit is not
   * a failure. `input` is its standard input, exactly (no newline added).
   */
  readonly collect?: { readonly input?: string };
}
export interface PingOp extends At {
  readonly kind: 'ping';
  readonly ref: NsRef;
  readonly address: string;
  readonly family: 4 | 6;
  readonly count: number;
  /** Seconds between probes (-i). */
  readonly interval: number;
  /** Seconds to wait for a reply (-W): the ping ends at most this long after the last probe. */
  readonly timeout: number;
  /** Bytes of payload (-s). */
  readonly size?: number;
  /** Set the don't-fragment bit (-M do). */
  readonly dontFragment?: boolean;
  /** Send from this interface (-I). */
  readonly iface?: string;
  readonly background: boolean;
  /** Collect instead of print: the result is a PingReport, and no reply is not a failure (foreground only). */
  readonly collect?: boolean;
}
export interface NcOp extends At {
  readonly kind: 'nc';
  readonly ref: NsRef;
  readonly listen: boolean;
  readonly udp: boolean;
  readonly address?: string;
  readonly port: number;
  /** Only see whether the port answers (-z). */
  readonly scan?: boolean;
  /** Seconds to wait for a connection and for quiet (-w). */
  readonly wait?: number;
  /** The text of `<<< "text"`, sent with a newline added. */
  readonly stdin?: Text;
  readonly background: boolean;
  /**
   * Collect instead of print: what arrives comes back as an NcReport (in the background, through
   * the job's `exited`). `input` is what a connection sends, exactly (no newline added).
   */
  readonly collect?: { readonly input?: string };
}
export interface CaptureOp extends At {
  readonly kind: 'capture';
  /** The interface to capture on. */
  readonly ep: Endpoint;
  /** A pcap file to write; without it, one line per packet is printed. */
  readonly file?: string;
  /** End after this many packets. */
  readonly count?: number;
  /** End after this many seconds. */
  readonly seconds?: number;
  readonly background: boolean;
}
interface AwaitBase extends At {
  readonly kind: 'await';
  readonly ref: NsRef;
  /** Seconds before the statement fails. */
  readonly timeout: number;
}
/** Until something listens on a TCP port (LISTEN) or a UDP port (bound, not connected) inside the namespace. */
export interface AwaitListenOp extends AwaitBase {
  readonly what: 'tcp' | 'udp';
  readonly port: number;
}
/** Until an address answers a ping sent from the namespace. */
export interface AwaitReachOp extends AwaitBase {
  readonly what: 'reach';
  readonly address: string;
  readonly family: 4 | 6;
}
export type AwaitOp = AwaitListenOp | AwaitReachOp;
export interface PingallOp extends At {
  readonly kind: 'pingall';
  /** The lab's namespaces, in the order they were made. */
  readonly lab: readonly string[];
}
export interface ShowOp extends At {
  readonly kind: 'show';
  readonly what: 'tree' | 'links' | 'addrs' | 'routes';
  readonly ns?: string;
  readonly json: boolean;
  readonly lab: readonly string[];
  /** Collect instead of print: the result is the value `--json` prints. */
  readonly collect?: boolean;
}
export interface InfoOp extends At {
  readonly kind: 'info';
  readonly ref: NsRef;
}
export interface SameOp extends At {
  readonly kind: 'same';
  readonly a: NsRef;
  readonly b: NsRef;
  readonly type?: NsType;
}
export type PinTarget = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'path'; readonly path: string };
export interface PinOp extends At {
  readonly kind: 'pin';
  readonly ref: NsRef;
  readonly target: PinTarget;
}
export type SpawnFlag = 'uts' | 'ipc' | 'pid' | 'mnt' | 'net' | 'user';
export interface SpawnOp extends At {
  readonly kind: 'spawn';
  readonly flags: readonly SpawnFlag[];
  readonly hostname?: string;
  /** Name under which the new network namespace is pinned. */
  readonly as?: string;
  readonly argv: readonly Text[];
  readonly stdin?: Text;
  readonly background: boolean;
}
export interface JobsOp extends At {
  readonly kind: 'jobs';
}
export interface WaitOp extends At {
  readonly kind: 'wait';
  readonly targets: readonly JobTarget[];
}
export interface KillOp extends At {
  readonly kind: 'kill';
  readonly targets: readonly JobTarget[];
}
export interface PrintOp extends At {
  readonly kind: 'print';
  readonly text: Text;
}
export interface SleepOp extends At {
  readonly kind: 'sleep';
  readonly seconds: number;
}

export type Op =
  | NsAddOp | NsDelOp | LinkDelOp | VethOp | BridgeOp | AttachOp | AddrOp | LinkStateOp | MoveOp | RouteOp | SysctlOp
  | VlanOp | MacvlanOp | NatOp | PublishOp | ShapeOp | VxlanOp | MachineOp
  | ExecOp | PingOp | NcOp | PingallOp | ShowOp | InfoOp | SameOp | PinOp | SpawnOp | JobsOp | WaitOp | KillOp
  | PrintOp | SleepOp | CaptureOp | AwaitOp;

export type OpKind = Op['kind'];
export type OpOf<K extends OpKind> = Extract<Op, { readonly kind: K }>;

/** Sysctls an operation set, each with the value it had before (what a teardown puts back). */
export interface Replaced {
  readonly replaced: readonly { readonly key: string; readonly value: string }[];
}

/** The root qdisc each endpoint had before `shape` changed it (what a teardown puts back). */
export interface QdiscsReplaced {
  readonly qdiscs: readonly { readonly ns: string; readonly ifname: string; readonly was: SavedQdisc }[];
}

/**
 * What an operation gives back: a job for what may run in the background, whether a pin made its
 * file, the sysctls nat and publish changed, the root qdiscs shape replaced, and what an operation
 * asked to collect found (core/results.ts); undefined from the backends that change nothing.
 */
interface Results {
  exec: Job | ProgramResult | CollectingJob<ProgramResult> | undefined;
  ping: Job | PingReport | undefined;
  nc: Job | NcReport | CollectingJob<NcReport> | undefined;
  capture: Job | undefined;
  spawn: Job | undefined;
  pin: { readonly madeFile: boolean } | undefined;
  nat: Replaced | undefined;
  publish: Replaced | undefined;
  shape: QdiscsReplaced | undefined;
  show: readonly ShowNamespace[] | undefined;
}

/** Whether an operation's result is a job (`$!` takes its pid). */
export function isJob(r: unknown): r is Job {
  return typeof r === 'object' && r !== null && 'id' in r && 'pid' in r;
}
export type ResultOf<K extends OpKind> = K extends keyof Results ? Results[K] : void;

/** One handler per kind of operation: a backend that misses one does not compile. */
export type Handlers = { readonly [K in OpKind]: (op: OpOf<K>) => Promise<ResultOf<K>> };

/** Calls the handler of `op`'s kind. */
export function dispatch<K extends OpKind>(handlers: Handlers, op: OpOf<K>): Promise<ResultOf<K>> {
  return (handlers[op.kind] as (op: OpOf<K>) => Promise<ResultOf<K>>)(op);
}

/** A port's bridge VLAN entries, as `bridge vlan add` makes them: the access VLAN is the PVID and leaves untagged. */
export function portVlanEntries(v: PortVlans): { readonly id: number; readonly pvid: boolean; readonly untagged: boolean }[] {
  return v.kind === 'access' ? [{ id: v.id, pvid: true, untagged: true }] : v.ids.map(id => ({ id, pvid: false, untagged: false }));
}
