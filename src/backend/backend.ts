/**
 * The one seam between the interpreter and the system. The interpreter hands over checked, typed
 * operations; a backend carries them out (on the kernel) or describes them (as iproute2 commands).
 * Backends import nothing from the runtime.
 */
import type { Cidr, NsType } from '../syntax/values.js';

export type { Cidr, NsType };

/** An interface in a namespace; `ns` is a namespace name or `host`. */
export interface Endpoint {
  readonly ns: string;
  readonly ifname: string;
}

/** A process id, or (when explaining) the name of a shell variable that will hold one. */
export type Pid = number | { readonly shell: string };

export type NsRef =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'pid'; readonly pid: Pid }
  | { readonly kind: 'path'; readonly path: string };

export interface VethSpec {
  readonly left: Endpoint;
  readonly right: Endpoint;
  readonly leftAddrs: readonly Cidr[];
  readonly rightAddrs: readonly Cidr[];
  readonly mtu?: number;
}

export interface RouteSpec {
  readonly del: boolean;
  readonly dest: Cidr | 'default';
  readonly family: 4 | 6;
  readonly via?: string;
  readonly dev?: string;
}

export interface ExecSpec {
  readonly ref: NsRef;
  readonly argv: readonly string[];
  readonly stdin?: string;
  readonly background: boolean;
}

export interface PingSpec {
  readonly ref: NsRef;
  readonly address: string;
  readonly family: 4 | 6;
  readonly count: number;
  readonly interval: number;
  readonly timeout: number;
  readonly background: boolean;
}

export interface NcSpec {
  readonly ref: NsRef;
  readonly listen: boolean;
  readonly udp: boolean;
  readonly address?: string;
  readonly port: number;
  readonly stdin?: string;
  readonly background: boolean;
}

export type SpawnFlag = 'uts' | 'ipc' | 'pid' | 'mnt' | 'net' | 'user';

export interface SpawnSpec {
  readonly flags: readonly SpawnFlag[];
  readonly hostname?: string;
  /** Name under which the new network namespace is pinned. */
  readonly as?: string;
  readonly argv: readonly string[];
  readonly stdin?: string;
  readonly background: boolean;
}

export interface ShowQuery {
  readonly what: 'tree' | 'links' | 'addrs' | 'routes';
  readonly ns?: string;
  readonly json: boolean;
  /** The lab's namespaces, in the order they were made. */
  readonly lab: readonly string[];
}

export type PinTarget = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'path'; readonly path: string };

export type JobTarget = { readonly kind: 'job'; readonly id: number } | { readonly kind: 'pid'; readonly pid: Pid };

/** A background job: its number (`%1`) and the value `$!` takes. */
export interface Job {
  readonly id: number;
  readonly pid: Pid;
}

/**
 * Something a lab made that must be removed when the lab is torn down. Links are recorded only
 * where they outlive the lab's own namespaces (in the host, or a namespace the lab did not make).
 */
export type LabObject =
  | { readonly kind: 'netns'; readonly name: string }
  | { readonly kind: 'uts'; readonly name: string }
  /** `group`: the link group it was made in, when it was made so (teardown removes a group at once) */
  | { readonly kind: 'link'; readonly at: NsRef; readonly ifname: string; readonly group?: number }
  | { readonly kind: 'job'; readonly pid: number; readonly start?: string }
  /** every process whose environment holds NSH_RUN=`marker`: the programs a run started (recorded before the first) */
  | { readonly kind: 'procs'; readonly marker: string }
  /** `madeFile`: nsh created the file it mounted onto (teardown removes it; a file that was there stays) */
  | { readonly kind: 'mount'; readonly path: string; readonly madeFile?: boolean };

export interface TeardownReport {
  /** Objects removed. */
  readonly removed: number;
  /** Objects that were already gone. */
  readonly gone: number;
  /** Objects that could not be removed, each with a sentence why. */
  readonly failed: readonly { readonly object: LabObject; readonly why: string }[];
}

/** Where a statement came from, for backends that annotate their output or send requests later. */
export interface StatementInfo {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** The statement's kind (Statement['kind'] of the AST: 'ns', 'veth', 'link-state' …). */
  readonly kind: string;
  /** The interpreter's handle of the statement, given back in OpError.origin. */
  readonly origin: unknown;
}

export interface Backend {
  /** A mark in the environment (NSH_RUN=…) of every program the backend starts, to find them at teardown. */
  readonly runMarker?: string;
  /** The link group that links made by veth and bridge outside the backend's own namespaces join. */
  readonly linkGroup?: number;
  /** Called before the operations of each statement, for backends that annotate their output or send requests later. */
  begin?(stmt: StatementInfo): void;
  /**
   * At the end of a run: sends the requests a backend kept back to send in bulk (see the Linux
   * backend's write-behind), throwing the first failure (an OpError whose origin is its statement).
   */
  flush?(): Promise<void>;
  /** Before a script runs: how many namespaces its text says it will make (a hint, for speed); 0 once it has ended. */
  prepare?(hint: { readonly namespaces: number }): void;
  nsAdd(name: string, opts: { readonly hostname?: string }): Promise<void>;
  nsDel(name: string): Promise<void>;
  linkDel(ep: Endpoint): Promise<void>;
  veth(spec: VethSpec): Promise<void>;
  bridge(br: Endpoint, ports: readonly string[]): Promise<void>;
  attach(ports: readonly Endpoint[], br: Endpoint): Promise<void>;
  addr(ep: Endpoint, addrs: readonly Cidr[], del: boolean): Promise<void>;
  linkState(eps: readonly Endpoint[], up: boolean): Promise<void>;
  move(ep: Endpoint, to: NsRef, newName?: string): Promise<void>;
  route(ns: string, spec: RouteSpec): Promise<void>;
  forward(ns: string): Promise<void>;
  sysctl(ns: string, key: string, value: string): Promise<void>;
  exec(spec: ExecSpec): Promise<Job | undefined>;
  ping(spec: PingSpec): Promise<Job | undefined>;
  nc(spec: NcSpec): Promise<Job | undefined>;
  pingall(lab: readonly string[]): Promise<void>;
  show(q: ShowQuery): Promise<void>;
  info(ref: NsRef): Promise<void>;
  same(a: NsRef, b: NsRef, type?: NsType): Promise<void>;
  /** At a path: says whether it created the file it mounted onto. */
  pin(ref: NsRef, target: PinTarget): Promise<{ readonly madeFile: boolean } | void>;
  spawn(spec: SpawnSpec): Promise<Job | undefined>;
  jobs(): Promise<void>;
  wait(targets: readonly JobTarget[]): Promise<void>;
  kill(targets: readonly JobTarget[]): Promise<void>;
  print(text: string): Promise<void>;
  sleep(seconds: number): Promise<void>;
  /** Runs `body`, which is expected to fail; true when it did (or, when explaining, when it was wrapped so). */
  expectFailure(body: () => Promise<void>): Promise<boolean>;
  /** Removes what a lab made, last made first; what is already gone is not an error. */
  teardown?(objects: readonly LabObject[]): Promise<TeardownReport>;
  /** The live kernel state of the lab's namespaces and of the host (the REPL's `.save`). */
  snapshot?(lab: readonly string[]): Promise<LabSnapshot>;
}

/** A lab as the kernel holds it now: the host first, then the lab's namespaces in order. */
export interface LabSnapshot {
  readonly namespaces: readonly NsSnapshot[];
}

export interface NsSnapshot {
  /** A namespace name, or `host`. */
  readonly name: string;
  /** The hostname of the namespace's own UTS namespace, when it has one. */
  readonly hostname?: string;
  readonly forwarding: { readonly ipv4: boolean; readonly ipv6: boolean };
  readonly links: readonly LinkSnapshot[];
  /** Routes of the main table that were added (not the kernel's own routes for an address). */
  readonly routes: readonly RouteSnapshot[];
  /** The machine the namespace lives on, in a lab across machines (`local` for the one that runs it). */
  readonly machine?: string;
}

export interface LinkSnapshot {
  readonly name: string;
  /** `veth`, `bridge`, `loopback`, another kernel kind (`dummy`, `vlan` …), or `device`. */
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
  /** The shaping of what leaves the link, as the user wrote it (`delay 10ms` → `{ delay: '10ms' }`). */
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

/** The options of `shape`, each as written (`'10ms'`, `'1%'`, `'1mbit'`). */
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

/** A failure of an operation, said as one sentence about the statement's objects. */
export class OpError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    /**
     * The statement it belongs to (StatementInfo.origin) when that is not the one running: a
     * backend that sends an earlier statement's requests later finds their failures late.
     */
    readonly origin?: unknown,
  ) {
    super(message);
    this.name = 'OpError';
  }
}

// A pid known only when the commands run (explaining) travels inside strings as a marked shell
// variable name; the explain backend turns the mark back into "${name}".
const OPEN = '\uE000';
const CLOSE = '\uE001';

export function pidText(pid: Pid): string {
  return typeof pid === 'number' ? String(pid) : `${OPEN}${pid.shell}${CLOSE}`;
}

/** The pid a text names: digits, or a marked shell variable; undefined otherwise. */
export function pidFromText(text: string): Pid | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^\uE000([A-Za-z_][A-Za-z0-9_]*)\uE001$/.exec(text);
  return m ? { shell: m[1]! } : undefined;
}

/** Splits a text into plain pieces and shell-variable pieces. */
export function symbolicPieces(text: string): { text: string; shell: boolean }[] {
  return text.split(/(\uE000[A-Za-z_][A-Za-z0-9_]*\uE001)/).filter(Boolean).map(p =>
    p.startsWith(OPEN) ? { text: p.slice(1, -1), shell: true } : { text: p, shell: false },
  );
}
