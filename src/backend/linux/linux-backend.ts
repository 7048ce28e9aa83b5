/**
 * The Linux backend: every operation in-process, on the real kernel. Links, addresses and routes
 * go through one rtnetlink socket per namespace; namespaces are made and pinned as `ip netns add`
 * does; programs are spawned from inside the namespaces. The handlers live in rooms of their own
 * by concern (namespaces, links, programs, identities, capture, await, teardown); this file puts
 * them together.
 */
import * as fs from 'node:fs';
import { failsWithOpError, OpError, type Backend, type LabObject, type LabSnapshot, type StatementInfo, type TeardownReport } from '../backend.js';
import { labTable } from '../../core/lab.js';
import { dispatch, type Handlers, type OpKind, type OpOf, type ResultOf } from '../ops.js';
import { awaitHandlers } from './await.js';
import { captureHandlers } from './capture.js';
import { LinuxContext, type LinuxOptions } from './context.js';
import { releaseProc } from './dad-default.js';
import { identityHandlers } from './identities.js';
import { linkHandlers } from './links.js';
import { vlanHandlers } from './vlan.js';
import { namespaceHandlers } from './namespaces.js';
import { natHandlers } from './nat.js';
import { listNamedNetns } from './netns.js';
import { NetnsPool, POOL_MIN } from './netns-pool.js';
import { launcher, programHandlers } from './programs.js';
import { renderShow, showJson } from '../show-render.js';
import { shapeHandlers } from './shape.js';
import { interfaceNames, readSnapshot } from './snapshot.js';
import { teardown } from './teardown.js';
import { LabWatch } from './watch.js';
import { WriteBehind } from './write-behind.js';
import { vxlanHandlers } from './vxlan.js';
import { otherMachineOf } from '../../core/machines.js';

export type { LinuxOptions };

/** `n` random bytes from the kernel's pool (node:crypto would cost ~8 ms of start-up to load). */
function randomBytes(n: number): Buffer {
  const buf = Buffer.alloc(n);
  const fd = fs.openSync('/dev/urandom', 'r');
  try {
    for (let got = 0; got < n; ) got += fs.readSync(fd, buf, got, n - got, null);
  } finally {
    fs.closeSync(fd);
  }
  return buf;
}

/** Statements whose requests may wait (links up, with their addresses): any other sends them first. */
const KEPT_BACK = new Set(['ns', 'veth', 'link-state']);

export class LinuxBackend implements Backend {
  private readonly x: LinuxContext;
  private readonly handlers: Handlers;

  constructor(opts: LinuxOptions) {
    const random = randomBytes(20);
    // a link group in [2^20, 2^31): clear of the small numbers people give their own link groups
    const group = (1 << 20) + (random.readUInt32LE(0) % (2 ** 31 - (1 << 20)));
    this.x = new LinuxContext(opts, group, random.subarray(4).toString('hex'));
    const x = this.x;
    this.handlers = {
      ...namespaceHandlers(x),
      ...linkHandlers(x),
      ...vlanHandlers(x),
      ...programHandlers(x),
      ...identityHandlers(x),
      ...natHandlers(x),
      ...captureHandlers(x),
      ...awaitHandlers(x),
      ...vxlanHandlers(x),
      machine: async () => {
        throw new OpError('a lab across machines runs as a script (nsh FILE), which sends each machine its part', {
          hint: 'machine declares a machine for the coordinator of such a run; this session acts on this machine alone',
        });
      },
      ...shapeHandlers(x),
      show: async q => {
        x.settle();
        const snap = readSnapshot(q.ns === undefined ? q.lab : [...q.lab, q.ns], x.table);
        if (q.collect) return showJson(snap, q);
        x.out(renderShow(snap, q, x.opts.color));
        return undefined;
      },
    };
  }

  get linkGroup(): number {
    return this.x.linkGroup;
  }

  get runMarker(): string {
    return this.x.runMarker;
  }

  apply<K extends OpKind>(op: OpOf<K>): Promise<ResultOf<K>> {
    const other = otherMachineOf(op);
    if (other !== undefined) {
      return Promise.reject(new OpError(`machine ${JSON.stringify(other)} is another machine: this session acts on this machine alone`, {
        hint: 'a lab across machines runs as a script: nsh FILE',
      }));
    }
    return dispatch(this.handlers, op);
  }

  /** The lab it acts for: its nftables table is read back into snapshots. */
  forLab(name: string): void {
    this.x.table = labTable(name);
  }

  /**
   * A script is about to run: when it will make many namespaces, a worker makes them ahead
   * (netns-pool.ts) and requests are written behind (write-behind.ts). With 0 (the script ended)
   * the namespaces nobody took go.
   */
  prepare(hint: { namespaces: number }): void {
    const x = this.x;
    if (hint.namespaces < POOL_MIN) NetnsPool.dismiss(); // a worker started on the script's look (cli), not needed after all
    if (hint.namespaces === 0) {
      x.pool?.close();
      x.pool = undefined;
      if (x.behind && process.env.NSH_DEBUG) {
        process.stderr.write(`nsh: debug: ${x.behind.sent.requests} requests written behind, in ${x.behind.sent.batches} batches\n`);
      }
      x.behind = undefined; // a run that ended well sent all in flush(); a failed one's links are going
    } else if (hint.namespaces >= POOL_MIN && !x.pool) {
      x.pool = NetnsPool.start(hint.namespaces);
      x.behind = new WriteBehind(
        (ns, reqs) => x.handles.socket(ns).batch(reqs),
        ns => x.handles.owns(ns),
        (ep, synced) => (synced ? x.addressesPending([ep]) : x.carrierPending([ep])),
      );
    }
  }

  begin(stmt: StatementInfo): void {
    this.x.origin = stmt.span;
    if (this.x.behind && !KEPT_BACK.has(stmt.kind)) this.x.behind.sendAll();
  }

  async flush(): Promise<void> {
    this.x.behind?.sendAll();
  }

  async expectFailure(body: () => Promise<void>): Promise<boolean> {
    // sent at once, as in a small lab: a failure undoes the statement's own work (begin() sent what was queued before)
    const behind = this.x.behind;
    this.x.behind = undefined;
    try {
      return await failsWithOpError(body);
    } finally {
      this.x.behind = behind;
    }
  }

  teardown(objects: readonly LabObject[]): Promise<TeardownReport> {
    return teardown(this.x, objects);
  }

  async snapshot(lab: readonly string[]): Promise<LabSnapshot> {
    this.x.settle();
    return readSnapshot(lab, this.x.table);
  }

  /**
   * `nsh exec`: argv in namespace `ns` as `in` runs it (with the namespace's own /sys and
   * /etc/netns files), on nsh's own standard streams; resolves with its exit status.
   */
  execute(ns: string, argv: readonly string[]): Promise<number> {
    const ref = { kind: 'name', name: ns } as const;
    const via = launcher(ref, argv[0]!);
    return this.x.inside(ref, fds => this.x.procs.status(fds, argv, via));
  }

  namespaces(): string[] {
    return listNamedNetns();
  }

  interfaces(ns: string): string[] {
    return interfaceNames(ns);
  }

  /** rtnetlink monitors in the host and the lab's namespaces (watch.ts); a namespace this backend deletes is let go first. */
  watch(lab: () => readonly string[], onChange: () => void): () => void {
    const w = new LabWatch(lab, onChange);
    const off = this.x.handles.onDrop(ns => w.forget(ns));
    return () => {
      off();
      w.stop();
    };
  }

  /** Ctrl-C: ends what runs in the foreground. */
  interrupt(): void {
    this.x.procs.interrupt();
  }

  /**
   * Closes sockets and namespace handles, and lets background programs go on without nsh. The
   * lab's links are settled first: what runs right after nsh (ip netns exec …) finds them working.
   */
  close(): void {
    this.x.pool?.close();
    this.x.settle();
    this.x.procs.release();
    this.x.handles.closeAll();
    releaseProc();
  }
}
