/**
 * What the Linux backend's handlers share: the streams, the per-namespace handles, the programs,
 * the namespaces made ahead and the requests written behind, and the helpers that send requests
 * and turn the kernel's refusals into sentences. One per backend: nothing here is a module singleton.
 */
import type { Span } from '../../core/span.js';
import { OpError, SHELL_ONLY, type Endpoint, type NsRef, type Pid } from '../backend.js';
import { untilNotTentative } from './dad.js';
import { attempt, translate } from './errors.js';
import { close } from './libc.js';
import { hostNetnsFd, openNetns } from './netns.js';
import { NsHandles } from './handles.js';
import { linkGetByName, type BatchResult, type NlRequest } from './netlink/index.js';
import type { NetnsPool } from './netns-pool.js';
import { Processes, type Streams } from './processes.js';
import type { WriteBehind } from './write-behind.js';

export interface LinuxOptions extends Streams {
  readonly color: boolean;
}

const q = JSON.stringify;

export class LinuxContext {
  readonly handles = new NsHandles();
  readonly procs: Processes;
  /** Namespaces made ahead on a worker (netns-pool.ts), in a large lab. */
  pool: NetnsPool | undefined;
  /** Requests kept back to send in bulk (write-behind.ts), in a large lab. */
  behind: WriteBehind | undefined;
  /** The statement running: what a request queued now belongs to. */
  origin: Span | undefined;
  /** The lab's nftables table (`nsh_LAB`), once known: the snapshot reads it. */
  table: string | undefined;
  /**
   * Namespaces where this process set up NAT, with the table: links it makes there later join
   * the table's set of the lab's links (nat.ts).
   */
  readonly natTables = new Map<string, string>();

  constructor(
    readonly opts: LinuxOptions,
    /** The link group of the links this process makes outside the namespaces it made (host ends). */
    readonly linkGroup: number,
    /** In the environment of every program this process starts (NSH_RUN): teardown finds them by it. */
    readonly runMarker: string,
  ) {
    this.procs = new Processes(opts, runMarker);
  }

  out(text: string): void {
    this.opts.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Requests in one namespace, as one batch; the first failure becomes a sentence. */
  send(ns: string, reqs: readonly NlRequest[], doing: (i: number) => Parameters<typeof attempt>[0]): void {
    throwFirst(this.handles.socket(ns).batch(reqs), doing);
  }

  /** The ifindex of an interface. While programs of the lab run in the background, links may change under nsh: it asks. */
  index(ep: Endpoint): number {
    if (this.procs.programsRunning()) this.handles.forgetLinks();
    return this.handles.index(ep.ns, ep.ifname);
  }

  /**
   * Requests about one interface, made from its ifindex: if the kernel no longer knows that
   * index (the link was renamed or deleted since nsh learned it), the name is looked up again.
   */
  sendAbout(ep: Endpoint, make: (index: number) => NlRequest[], doing: (i: number) => Parameters<typeof attempt>[0]): void {
    const results = this.handles.socket(ep.ns).batch(make(this.index(ep)));
    if (results.some(r => !r.ok && r.error.code === 'ENODEV')) {
      this.handles.forgetLinks(ep.ns);
      this.send(ep.ns, make(this.index(ep)), doing);
      return;
    }
    throwFirst(results, doing);
  }

  /**
   * Sends the request `plan` makes to create links in `ns`. When it numbered a link itself (from
   * choose()) and the kernel refuses — the index was taken by a program that made links there
   * (EEXIST on 6.x, EBUSY before), or a name is taken — the namespaces in `numbered` are looked
   * at again and a new plan is sent, once.
   */
  createLinks<P extends { req: NlRequest; chosen: boolean }>(ns: string, numbered: readonly string[], plan: () => P): [BatchResult, P] {
    let p = plan();
    let [r] = this.handles.socket(ns).batch([p.req]);
    if (!r!.ok && (r!.error.code === 'EEXIST' || r!.error.code === 'EBUSY') && p.chosen) {
      for (const n of numbered) this.handles.get(n).resync();
      p = plan();
      [r] = this.handles.socket(ns).batch([p.req]);
    }
    return [r!, p];
  }

  /** Namespace fds for running a program: network, plus UTS when the namespace has one. */
  fds(ref: NsRef): { net?: number; uts?: number; close?: () => void } {
    switch (ref.kind) {
      case 'name': {
        if (ref.name === 'host') return {};
        const h = this.handles.get(ref.name);
        const net = h.netFd();
        const uts = h.utsFd();
        return { net, ...(uts === undefined ? {} : { uts }) };
      }
      case 'pid':
      case 'path': {
        const fd = attempt(
          { what: `open the namespace of ${describeRef(ref)}`, codes: { ENOENT: `${describeRef(ref)} does not exist` } },
          () => openNetns(ref.kind === 'pid' ? { kind: 'pid', pid: pidOf(ref.pid) } : ref),
        );
        return { net: fd, close: () => close(fd) };
      }
    }
  }

  /** Runs `fn` with the namespace fds of `ref`, closing any it had to open. */
  async inside<T>(ref: NsRef, fn: (fds: { net?: number; uts?: number }) => Promise<T>): Promise<T> {
    const fds = this.fds(ref);
    try {
      return await fn(fds);
    } finally {
      fds.close?.();
    }
  }

  /**
   * Links just brought up. The kernel handles their carrier events later, in a worker: until then
   * a link drops what is sent through it — up to a second for a veth whose ifindex equals its
   * peer's (2 and 2 in two fresh namespaces), a few milliseconds otherwise, enough to lose a ping
   * sent at once. Asking for a link (RTM_GETLINK, not a dump) makes the kernel handle its event
   * at once; nsh does so before anything that sends traffic or shows links (settle()), so a lab
   * of a thousand namespaces pays nothing for it while it is built.
   */
  private readonly unsettled: Endpoint[] = [];

  carrierPending(eps: readonly Endpoint[]): void {
    for (const ep of eps) if (ep.ifname !== 'lo') this.unsettled.push(ep);
  }

  /**
   * Links that may hold fresh IPv6 addresses — brought up by `up` (the addresses kept while down
   * start again) or given one by `addr`: those are tentative until the kernel's address worker
   * has looked at them (dad.ts), which a busy machine can delay past a ping's first probe, so
   * settle() waits for that too, as for the links just made.
   */
  private readonly addressed: Endpoint[] = [];

  addressesPending(eps: readonly Endpoint[]): void {
    this.addressed.push(...eps);
  }

  settle(): void {
    // first every namespace's links are asked for (one batch each), so the kernel's workers set
    // their addresses up while nsh goes on to the next; a link gone since (deleted, moved, its
    // namespace deleted) has nothing to wait for, so the answers are not looked at
    const made = this.unsettled.splice(0);
    for (const [ns, list] of byNamespace(made)) {
      try {
        this.handles.socket(ns).batch(list.map(ep => linkGetByName(ep.ifname)));
      } catch {
        // the namespace itself is gone
      }
    }
    for (const [ns, list] of byNamespace([...made, ...this.addressed.splice(0)])) {
      const indexes = new Set<number>();
      for (const ep of list) {
        try {
          indexes.add(this.handles.index(ns, ep.ifname));
        } catch {
          // this link is gone since (or its namespace): nothing to wait for
        }
      }
      if (indexes.size === 0) continue;
      try {
        untilNotTentative(this.handles.socket(ns), indexes);
      } catch {
        // the namespace is gone since
      }
    }
  }
}

/** Endpoints grouped by namespace, in the order the namespaces first appear. */
export function byNamespace(eps: readonly Endpoint[]): Map<string, Endpoint[]> {
  const byNs = new Map<string, Endpoint[]>();
  for (const ep of eps) {
    const list = byNs.get(ep.ns);
    if (list) list.push(ep);
    else byNs.set(ep.ns, [ep]);
  }
  return byNs;
}

/** The first failure of a batch, as a sentence about what its request was doing. */
export function throwFirst(results: readonly BatchResult[], doing: (i: number) => Parameters<typeof attempt>[0]): void {
  results.forEach((r, i) => {
    if (!r.ok) translate(r.error, doing(i));
  });
}

export function pidOf(pid: Pid): number {
  if (typeof pid !== 'number') throw new OpError(SHELL_ONLY);
  return pid;
}

export function describeRef(ref: NsRef): string {
  switch (ref.kind) {
    case 'name':
      return ref.name === 'host' ? 'the host namespace' : `namespace ${q(ref.name)}`;
    case 'pid':
      return `process ${typeof ref.pid === 'number' ? ref.pid : ref.pid.name}`;
    case 'path':
      return `namespace file ${ref.path}`;
  }
}

/** The file that stands for a reference's network namespace. */
export function nsFile(ref: NsRef): string {
  switch (ref.kind) {
    case 'name':
      return ref.name === 'host' ? `/proc/self/fd/${hostNetnsFd()}` : `/run/netns/${ref.name}`;
    case 'pid':
      return `/proc/${pidOf(ref.pid)}/ns/net`;
    case 'path':
      return ref.path;
  }
}
