/**
 * Socket helpers shared by ping and nc: socket addresses, sockets created inside a network
 * namespace, and a reactor that waits for fds without blocking the event loop.
 *
 * A socket belongs to the network namespace of the thread that created it, for its whole life:
 * it is created inside withNetns(), and everything after (bind, connect, send, and node's
 * handles wrapping the fd) may then run in any namespace.
 */
import ipaddr from 'ipaddr.js';
import { readSync, writeSync } from 'node:fs';
import { POLLIN, SOL_SOCKET, SysError, close, eventfd, setsockoptBuf, socket, strerrorText } from './libc.js';
import { AF_INET, AF_INET6, SO_BINDTODEVICE, ifNameToIndex, pollAsync } from './libc-inet.js';
import { withNetns } from './netns.js';

// ---- addresses ----

export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: Buffer;
  /** IPv6 scope id (the interface of a link-local address, `fe80::1%eth0`), else 0 */
  readonly scopeId: number;
}

/**
 * Parses an IPv4 or IPv6 address. A zone (`fe80::1%eth0` or `%3`) is resolved to an interface
 * index in the namespace `netFd` (if_nametoindex works in the calling thread's namespace).
 */
export function parseAddress(text: string, netFd?: number): IpAddress {
  const [host, zone] = text.split('%', 2) as [string, string | undefined];
  if (!ipaddr.isValid(host)) throw new Error(`"${text}" is not an IP address`);
  const a = ipaddr.parse(host);
  let scopeId = 0;
  if (zone !== undefined && a.kind() === 'ipv6') {
    scopeId = /^\d+$/.test(zone) ? Number(zone) : netFd === undefined ? 0 : withNetns(netFd, () => ifNameToIndex(zone));
    if (scopeId === 0) throw new Error(`no interface "${zone}" for address ${text}`);
  }
  return { family: a.kind() === 'ipv4' ? 4 : 6, bytes: Buffer.from(a.toByteArray()), scopeId };
}

/** struct sockaddr_in (16 bytes) or sockaddr_in6 (28 bytes); the port in network byte order. */
export function sockaddr(addr: IpAddress, port = 0): Buffer {
  if (addr.family === 4) {
    const b = Buffer.alloc(16);
    b.writeUInt16LE(AF_INET, 0);
    b.writeUInt16BE(port, 2);
    addr.bytes.copy(b, 4);
    return b;
  }
  const b = Buffer.alloc(28);
  b.writeUInt16LE(AF_INET6, 0);
  b.writeUInt16BE(port, 2);
  addr.bytes.copy(b, 8); // after sin6_flowinfo
  b.writeUInt32LE(addr.scopeId, 24);
  return b;
}

/** The any-address (0.0.0.0 or ::) of a family. */
export function anyAddress(family: 4 | 6): IpAddress {
  return { family, bytes: Buffer.alloc(family === 4 ? 4 : 16), scopeId: 0 };
}

/** The address and port of a sockaddr_in / sockaddr_in6 as text ('10.1.1.2', 'fd00::2'). */
export function sockaddrText(sa: Buffer): { address: string; port: number } {
  const family = sa.length >= 2 ? sa.readUInt16LE(0) : 0;
  if (family === AF_INET && sa.length >= 8) {
    return { address: [...sa.subarray(4, 8)].join('.'), port: sa.readUInt16BE(2) };
  }
  if (family === AF_INET6 && sa.length >= 24) {
    return { address: ipaddr.fromByteArray([...sa.subarray(8, 24)]).toString(), port: sa.readUInt16BE(2) };
  }
  return { address: '?', port: 0 };
}

/** A socket created in network namespace netFd (close-on-exec; type may include SOCK_NONBLOCK). */
export function socketIn(netFd: number, domain: number, type: number, protocol: number): number {
  return withNetns(netFd, () => socket(domain, type, protocol));
}

/** SO_BINDTODEVICE: the socket sends and receives through interface `ifname` only (iputils' -I). */
export function bindToDevice(fd: number, ifname: string): void {
  setsockoptBuf(fd, SOL_SOCKET, SO_BINDTODEVICE, Buffer.from(`${ifname}\0`));
}

/** close() that ignores errors (for cleanup paths). */
export function closeQuietly(fd: number): void {
  try {
    close(fd);
  } catch {
    /* already closed */
  }
}

/** strerror()-like text of a SysError, for iputils/netcat-like messages. */
export function errText(e: unknown): string {
  if (!(e instanceof SysError)) return e instanceof Error ? e.message : String(e);
  return MORE_TEXT[e.code] ?? strerrorText(e.errno);
}
const MORE_TEXT: Record<string, string> = {
  EHOSTUNREACH: 'No route to host',
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  EADDRINUSE: 'Address already in use',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EMSGSIZE: 'Message too long',
  EPROTONOSUPPORT: 'Protocol not supported',
};

// ---- waiting for fds: one shared poll() on a worker thread ----

interface Waiter {
  readonly fd: number;
  readonly events: number;
  readonly deadline: number; // performance.now() ms; Infinity for none
  readonly signal: AbortSignal | undefined;
  readonly resolve: (revents: number) => void;
}

/**
 * Waits for many fds with ONE poll() at a time, run on a koffi worker thread (a libuv pool
 * thread): concurrent pings (pingall) take one pool thread, not one each. An eventfd in every
 * poll set lets a new waiter, or an abort, interrupt the poll in flight so the set is rebuilt.
 * Waiters are resolved only by the loop, between polls: once wait() resolves, no poll lists the
 * fd any more, and when nobody waits the loop ends and closes the eventfd (an idle process
 * holds no extra fd).
 */
class Reactor {
  private readonly waiters = new Set<Waiter>();
  private wakeFd: number | undefined;
  private running = false;
  private polling = false;

  /** Resolves with the fd's revents, or 0 on timeout or abort. */
  wait(fd: number, events: number, timeoutMs: number, signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) return Promise.resolve(0);
    return new Promise((resolve) => {
      const onAbort = (): void => this.wake(); // the loop sees signal.aborted and resolves with 0
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add({
        fd, events, signal, deadline: performance.now() + Math.max(0, timeoutMs),
        resolve: (r) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
      });
      if (this.running) this.wake();
      else void this.loop();
    });
  }

  /** Interrupts the poll in flight, if any (otherwise the loop rebuilds its set anyway). */
  private wake(): void {
    if (this.polling && this.wakeFd !== undefined) writeSync(this.wakeFd, WAKE);
  }

  private settle(w: Waiter, revents: number): void {
    this.waiters.delete(w);
    w.resolve(revents);
  }

  private async loop(): Promise<void> {
    this.running = true;
    const wakeFd = (this.wakeFd = eventfd());
    try {
      for (;;) {
        for (const w of this.waiters) if (w.signal?.aborted) this.settle(w, 0);
        if (this.waiters.size === 0) break;
        const list = [...this.waiters];
        const now = performance.now();
        const timeout = Math.min(...list.map((w) => w.deadline - now));
        const fds = [{ fd: wakeFd, events: POLLIN }, ...list.map((w) => ({ fd: w.fd, events: w.events }))];
        this.polling = true;
        const revents = await pollAsync(fds, timeout === Infinity ? -1 : Math.max(0, timeout));
        this.polling = false;
        if (revents[0]) drain(wakeFd);
        const after = performance.now();
        list.forEach((w, i) => {
          const r = revents[i + 1] ?? 0;
          if (r !== 0) this.settle(w, r);
          else if (w.deadline <= after) this.settle(w, 0);
        });
      }
    } finally {
      // runs in the same tick as the last settle(), before any waiter's continuation
      this.wakeFd = undefined;
      this.running = false;
      close(wakeFd);
    }
  }
}

const WAKE = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]); // an eventfd write is one u64
const SINK = Buffer.alloc(8);
function drain(fd: number): void {
  try {
    readSync(fd, SINK);
  } catch {
    /* EAGAIN: already drained */
  }
}

export const reactor = new Reactor();
