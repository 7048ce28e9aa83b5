/** The plan of a lab across machines as data: the machines, each machine's statements, the tunnels between them, the coordinator's steps. */
import type { Env } from '../core/io.js';
import type { Span } from '../core/span.js';
import type { Text } from '../core/text.js';
import type { Cidr } from '../core/net.js';
import type { ShowQuery } from '../backend/show-render.js';

/** `machine NAME ssh [USER@]HOST [port N]`, and where it was declared. */
export interface MachineDecl {
  readonly name: string;
  readonly user?: string;
  readonly host: string;
  readonly port: number;
  readonly span: Span;
}

/** One statement for one machine. */
export interface PlanLine {
  readonly text: string;
  /** The statement of the script it comes from. */
  readonly span: Span;
  /** It starts the coordinator's job N on its machine. */
  readonly job?: number;
}

export interface TunnelEnd {
  readonly machine: string;
  readonly ns: string;
  readonly ifname: string;
  /** The addresses the veth gave this end. */
  readonly addrs: readonly Cidr[];
}

export interface Tunnel {
  readonly span: Span;
  /** `a.v0 <-> b.v0`, as the script wrote the link. */
  readonly link: string;
  /** Drawn when planned; drawn again at run time when a machine refuses it. */
  vni: number;
  readonly mtu: number;
  readonly ends: readonly [TunnelEnd, TunnelEnd];
}

/** A tunnel with its ends where they are at a step (a later `move` takes an end elsewhere). */
export interface TunnelAt {
  readonly tunnel: Tunnel;
  readonly ends: readonly [TunnelEnd, TunnelEnd];
}

/** The lab as the coordinator knows it at a step: the namespaces in order with their machines, and which tunnel ends are pairs. */
export interface LabView {
  readonly namespaces: readonly { readonly name: string; readonly machine: string }[];
  readonly tunnels: readonly TunnelAt[];
}

export type Step =
  /** every machine its statements, in parallel */
  | { readonly kind: 'build'; readonly parts: Map<string, PlanLine[]> }
  /**
   * tunnel ends made in their namespaces, every machine its ends at once (a VNI a machine refuses
   * as taken is drawn again), before the build steps after it
   */
  | { readonly kind: 'tunnels'; readonly tunnels: TunnelAt[] }
  /** one statement on one machine */
  | { readonly kind: 'run'; readonly machine: string; readonly line: PlanLine }
  /** the same statement on several machines at once (`wait` for every job) */
  | { readonly kind: 'all'; readonly lines: ReadonlyMap<string, PlanLine> }
  | { readonly kind: 'show'; readonly span: Span; readonly query: ShowQuery; readonly view: LabView }
  | { readonly kind: 'pingall'; readonly span: Span; readonly view: LabView; readonly negated: boolean }
  | { readonly kind: 'print'; readonly span: Span; readonly text: Text }
  | { readonly kind: 'sleep'; readonly span: Span; readonly seconds: number };

export interface Plan {
  readonly machines: ReadonlyMap<string, MachineDecl>;
  /** The machines that hold a part of the lab, in the order the script first uses them (`local` first). */
  readonly used: readonly string[];
  readonly tunnels: readonly Tunnel[];
  readonly steps: readonly Step[];
}

export interface PlanOptions {
  readonly env: Env;
  readonly labName?: string;
  /** A VNI not in `taken` (random in a run; tests give their own). */
  readonly drawVni: (taken: ReadonlySet<number>) => number;
}
