/**
 * The one seam between the interpreter and the system. The interpreter hands over checked, typed
 * operations (ops.ts); a backend carries them out (on the kernel), describes them (as iproute2
 * commands), or follows them in a model (the dry run). Backends import nothing from the runtime.
 */
import type { LabObject, TeardownReport } from '../core/lab.js';
import type { LabSnapshot } from '../core/snapshot.js';
import type { Span } from '../core/span.js';
import type { Text } from '../core/text.js';
import type { OpKind, OpOf, ResultOf } from './ops.js';

export type { Cidr, NsType } from '../core/net.js';
export type { Endpoint, Job, JobTarget, LabObject, NsRef, Pid, SavedQdisc, ShellPid, TeardownReport } from '../core/lab.js';
export type { LabSnapshot, LinkSnapshot, LinkStats, NsSnapshot, RouteSnapshot, ShapeSnapshot, TunnelSnapshot, VlanSnapshot } from '../core/snapshot.js';
export type * from '../core/results.js';
export type * from './ops.js';

/** The statement whose operations come next, for backends that annotate their output or send requests later. */
export interface StatementInfo {
  readonly span: Span;
  /** The statement's kind (Statement['kind'] of the AST: 'ns', 'veth', 'link-state' …). */
  readonly kind: string;
  /** The statement's text on one line. */
  readonly text: string;
}

export interface Backend {
  /** Carries out one operation. A failure is an OpError (one sentence about the statement's objects). */
  apply<K extends OpKind>(op: OpOf<K>): Promise<ResultOf<K>>;
  /** Runs `body`, which is expected to fail; true when it did (or, when explaining, when it was wrapped so). */
  expectFailure(body: () => Promise<void>): Promise<boolean>;
  /** Called before the operations of each statement. */
  begin?(stmt: StatementInfo): void;
  /**
   * At the end of a run: sends the requests a backend kept back to send in bulk (the Linux
   * backend's write-behind), throwing the first failure (an OpError `at` its statement).
   */
  flush?(): Promise<void>;
  /** Before a script runs: how many namespaces its text says it will make (a hint, for speed); 0 once it has ended. */
  prepare?(hint: { readonly namespaces: number }): void;
  /** The lab the backend acts for (its nftables table, `nsh_NAME`, is part of the lab's state). */
  forLab?(name: string): void;

  // ---- what a lab's life needs --------------------------------------------------------------------
  /** A mark in the environment (NSH_RUN=…) of every program the backend starts, to find them at teardown. */
  readonly runMarker?: string;
  /** The link group that links made outside the backend's own namespaces join. */
  readonly linkGroup?: number;
  /** Removes what a lab made, last made first; what is already gone is not an error. */
  teardown?(objects: readonly LabObject[]): Promise<TeardownReport>;
  /** Ctrl-C: ends what runs in the foreground. */
  interrupt?(): void;
  /** Closes what the backend holds open; background programs go on without it. */
  close?(): void;

  // ---- queries ------------------------------------------------------------------------------------
  /** The state of the lab's namespaces and of the host. */
  snapshot?(lab: readonly string[]): Promise<LabSnapshot>;
  /** Named network namespaces that exist now (`ip netns list`). */
  namespaces?(): string[];
  /** The interfaces of a namespace now. */
  interfaces?(ns: string): string[];
  /**
   * Calls onChange soon after a link, address or route changes in the host or in one of the lab's
   * namespaces (`lab` gives them as they are now: a namespace added later is watched too), or a
   * namespace is made or deleted; returns the function that stops watching.
   */
  watch?(lab: () => readonly string[], onChange: () => void): () => void;
}

/** A failure of an operation, said as one sentence about the statement's objects. */
export class OpError extends Error {
  readonly hint: string | undefined;
  /**
   * Where it belongs when that is not the whole running statement: a word of it (the dry run
   * points at the endpoint it does not know), or an earlier statement whose requests a backend
   * sent late.
   */
  readonly at: Span | undefined;
  /** What kind of failure it is, for a program that acts on it (`vni-taken`: draw another VNI). */
  readonly reason: string | undefined;

  constructor(message: string, opts: { readonly hint?: string | undefined; readonly at?: Span | undefined; readonly reason?: string | undefined } = {}) {
    super(message);
    this.name = 'OpError';
    this.hint = opts.hint;
    this.at = opts.at;
    this.reason = opts.reason;
  }
}

export const SHELL_ONLY = 'a process id known only to the shell cannot be used here';

/** A text's characters, on a backend that acts (where every pid is a number). */
export function plainText(t: Text): string {
  if (typeof t !== 'string') throw new OpError(SHELL_ONLY);
  return t;
}

/** `!` on a backend that acts: true when the body failed with an OpError (any other error is a fault). */
export async function failsWithOpError(body: () => Promise<void>): Promise<boolean> {
  try {
    await body();
    return false;
  } catch (e) {
    if (e instanceof OpError) return true;
    throw e;
  }
}
