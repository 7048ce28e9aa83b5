/**
 * Waiting until a namespace is ready (`await`): until a socket listens on a port there (asked of
 * sock_diag every 10 ms, netlink/diag.ts), or until an address answers a ping sent from there (the
 * built-in ping, one probe at a time). Each ends as soon as it is so, at its timeout, or at once
 * on abort (Ctrl-C).
 */
import { listensOn, openDiag } from './netlink/index.js';
import { ping } from './ping.js';

export type Readiness = 'ready' | 'timeout' | 'aborted';

/** How often the sockets are looked at. */
export const LISTEN_POLL_MS = 10;
/** The first probe's wait for its reply; each probe that goes unanswered waits twice as long, up to a second. */
const FIRST_PROBE_MS = 50;
const LAST_PROBE_MS = 1000;
/** Between probes that could not even be sent (no route yet). */
const RETRY_MS = 10;

export interface ListenWait {
  readonly netFd: number;
  readonly proto: 'tcp' | 'udp';
  readonly port: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Until something listens on `port` in the namespace (TCP: LISTEN; UDP: bound, not connected). */
export async function untilListening(o: ListenWait): Promise<Readiness> {
  const sock = openDiag(o.netFd);
  try {
    const end = performance.now() + o.timeoutMs;
    for (;;) {
      if (o.signal?.aborted) return 'aborted';
      if (listensOn(sock, o.proto, o.port)) return 'ready';
      const left = end - performance.now();
      if (left <= 0) return 'timeout';
      await pause(Math.min(LISTEN_POLL_MS, left), o.signal);
    }
  } finally {
    sock.close();
  }
}

export interface ReachWait {
  readonly netFd: number;
  readonly address: string;
  readonly family: 4 | 6;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Until `address` answers an ICMP echo sent from the namespace. */
export async function untilAnswers(o: ReachWait): Promise<Readiness> {
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  const end = performance.now() + o.timeoutMs;
  let wait = FIRST_PROBE_MS;
  for (;;) {
    if (o.signal?.aborted) return 'aborted';
    const left = end - performance.now();
    if (left <= 0) return 'timeout';
    const probe = Math.min(wait, left);
    const r = await ping({
      netFd: o.netFd, address: o.address, family: o.family, count: 1, interval: 0, timeout: probe / 1000, out: sink, quiet: true,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (r.received > 0) return 'ready';
    if (r.transmitted === 0) await pause(Math.min(RETRY_MS, Math.max(0, end - performance.now())), o.signal);
    wait = Math.min(wait * 2, LAST_PROBE_MS);
  }
}

/** Resolves after `ms`, or at once on abort. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
