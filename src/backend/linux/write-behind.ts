/**
 * Requests kept back to be sent in bulk: in a large lab the Linux backend does not bring each
 * new veth end up (with its addresses) when its statement runs, nor run `up`/`down` statements
 * at once; it queues them here, per namespace, and sends them before the next statement of any
 * other kind and at the end of the run. The kernel then works as a C program that batches
 * everything does: it makes every pair while all are down, then brings up the ends outside
 * nsh's namespaces (no carrier yet: cheap), then each namespace's (carrier on both ends, whose
 * IPv6 set-up the kernel's link worker does on the other core).
 *
 * Nothing here needs an answer to go on: the requests only change links that nsh just made, by
 * index or name. A failure is reported as its own statement's (OpError.at), after every
 * queued batch was sent, so the links of the other namespaces still come up.
 *
 * A veth pair's carrier comes on when its second end comes up. The end whose batch goes last
 * has its carrier event settled there (RTM_GETLINK after its up, as LinuxContext.settle() would
 * ask later in a round trip of its own); the other end, up before its carrier came, is left to
 * settle().
 */
import type { Span } from '../../core/span.js';
import { OpError, type Endpoint } from '../backend.js';
import { translate, type Doing } from './errors.js';
import { linkGetByName, type BatchResult, type NlRequest } from './netlink/index.js';

interface Queued {
  readonly req: NlRequest;
  readonly doing: () => Doing;
  readonly origin: Span | undefined;
}

export class WriteBehind {
  private readonly queues = new Map<string, Queued[]>();
  /** veth pairs whose ends come up with what is queued */
  private readonly pairs: (readonly [Endpoint, Endpoint])[] = [];
  /** Requests and batches sent so far (NSH_DEBUG reports them). */
  readonly sent = { requests: 0, batches: 0 };

  constructor(
    /** Sends requests over the socket of namespace `ns` in one batch. */
    private readonly send: (ns: string, reqs: readonly NlRequest[]) => readonly BatchResult[],
    /** Whether `ns` is one of the backend's own namespaces: the others' queues go first. */
    private readonly own: (ns: string) => boolean,
    /** A link of a pair sent: its carrier event settled in its batch (`synced`), or still to settle. */
    private readonly sent1: (ep: Endpoint, synced: boolean) => void,
  ) {}

  /** Queues requests for namespace `ns`; `doing(i)` tells what the i-th was doing. */
  add(ns: string, reqs: readonly NlRequest[], doing: (i: number) => Doing, origin: Span | undefined): void {
    let queue = this.queues.get(ns);
    if (!queue) this.queues.set(ns, (queue = []));
    reqs.forEach((req, i) => queue.push({ req, doing: () => doing(i), origin }));
  }

  /** The two ends of a veth pair whose ups are queued (both, or the one not up at creation). */
  pair(a: Endpoint, b: Endpoint): void {
    this.pairs.push([a, b]);
  }

  /** Sends everything queued, one batch per namespace; throws the first failure. */
  sendAll(): void {
    if (this.queues.size === 0) return;
    const batches = [...this.queues].sort(([a], [b]) => Number(this.own(a)) - Number(this.own(b)));
    this.queues.clear();
    const settles = this.lastUp(batches.map(([ns]) => ns));
    let first: OpError | undefined;
    for (const [ns, queue] of batches) {
      this.sent.requests += queue.length;
      this.sent.batches++;
      const reqs = queue.map(q => q.req);
      for (const ep of settles.get(ns) ?? []) reqs.push(linkGetByName(ep.ifname));
      try {
        const results = this.send(ns, reqs);
        // (a link's RTM_GETLINK failing says nothing about the statements: it is gone since)
        const bad = results.findIndex((r, i) => !r.ok && i < queue.length);
        const r = results[bad];
        if (r && !r.ok) first ??= failure(r.error, queue[bad]!);
      } catch (e) {
        first ??= failure(e, queue[0]!);
      }
    }
    if (first) throw first;
  }

  /**
   * Of each pair, the end whose namespace's batch goes last (`order`: the namespaces' batches in
   * the order they go) is settled in it; the other end is handed back to settle.
   */
  private lastUp(order: readonly string[]): Map<string, Endpoint[]> {
    const at = new Map(order.map((ns, i) => [ns, i]));
    const settles = new Map<string, Endpoint[]>();
    const inBatch = (ep: Endpoint): void => {
      const list = settles.get(ep.ns);
      if (list) list.push(ep);
      else settles.set(ep.ns, [ep]);
      this.sent1(ep, true);
    };
    for (const [a, b] of this.pairs.splice(0)) {
      const ia = at.get(a.ns) ?? -1;
      const ib = at.get(b.ns) ?? -1;
      if (ia < 0 && ib < 0) {
        this.sent1(a, false);
        this.sent1(b, false);
      } else if (ia === ib) {
        inBatch(a);
        inBatch(b);
      } else {
        const [early, late] = ia < ib ? [a, b] : [b, a];
        this.sent1(early, false);
        inBatch(late);
      }
    }
    return settles;
  }
}

/** A kernel error as the OpError of the statement that queued the request (anything else is a bug: thrown). */
function failure(e: unknown, q: Queued): OpError {
  try {
    translate(e, q.doing());
  } catch (t) {
    if (!(t instanceof OpError)) throw t;
    return new OpError(t.message, { hint: t.hint, at: q.origin });
  }
}
