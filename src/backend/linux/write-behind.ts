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
 */
import type { Span } from '../../core/span.js';
import { OpError } from '../backend.js';
import { translate, type Doing } from './errors.js';
import type { BatchResult, NlRequest } from './netlink/index.js';

interface Queued {
  readonly req: NlRequest;
  readonly doing: () => Doing;
  readonly origin: Span | undefined;
}

export class WriteBehind {
  private readonly queues = new Map<string, Queued[]>();
  /** Requests and batches sent so far (NSH_DEBUG reports them). */
  readonly sent = { requests: 0, batches: 0 };

  constructor(
    /** Sends requests over the socket of namespace `ns` in one batch. */
    private readonly send: (ns: string, reqs: readonly NlRequest[]) => readonly BatchResult[],
    /** Whether `ns` is one of the backend's own namespaces: the others' queues go first. */
    private readonly own: (ns: string) => boolean,
  ) {}

  /** Queues requests for namespace `ns`; `doing(i)` tells what the i-th was doing. */
  add(ns: string, reqs: readonly NlRequest[], doing: (i: number) => Doing, origin: Span | undefined): void {
    let queue = this.queues.get(ns);
    if (!queue) this.queues.set(ns, (queue = []));
    reqs.forEach((req, i) => queue.push({ req, doing: () => doing(i), origin }));
  }

  /** Sends everything queued, one batch per namespace; throws the first failure. */
  sendAll(): void {
    if (this.queues.size === 0) return;
    const batches = [...this.queues].sort(([a], [b]) => Number(this.own(a)) - Number(this.own(b)));
    this.queues.clear();
    let first: OpError | undefined;
    for (const [ns, queue] of batches) {
      this.sent.requests += queue.length;
      this.sent.batches++;
      try {
        const results = this.send(ns, queue.map(q => q.req));
        const bad = results.findIndex(r => !r.ok);
        const r = results[bad];
        if (r && !r.ok) first ??= failure(r.error, queue[bad]!);
      } catch (e) {
        first ??= failure(e, queue[0]!);
      }
    }
    if (first) throw first;
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
