/**
 * The built-in ping: ICMP / ICMPv6 echo from inside a network namespace, printing what iputils
 * ping (20221126) prints. No ping binary is run; the socket is opened inside the namespace
 * (icmp.ts) and waited on through the shared reactor (sockets.ts), so the event loop runs on.
 */
import { ECHO_DATA, type IcmpSocket, echoRequest, openIcmpSocket, parseEchoReply } from './icmp.js';
import {
  AF_INET, AF_INET6, IPPROTO_UDP, MsgBuffer, POLLIN, type Received, SOCK_DGRAM, SysError, connect, realtimeNs, sendto,
} from './libc.js';
import { closeQuietly, errText, parseAddress, reactor, sockaddr, socketIn } from './sockets.js';

export interface PingOptions {
  readonly netFd: number;
  readonly address: string;
  readonly family: 4 | 6;
  readonly count: number;
  /** seconds between probes */
  readonly interval: number;
  /** seconds to wait for a reply; the ping ends at most this long after the last probe */
  readonly timeout: number;
  readonly out: NodeJS.WritableStream;
  /** write nothing at all (pingall) */
  readonly quiet?: boolean;
  /** ends the ping at once (statistics are still printed, as on Ctrl-C with iputils) */
  readonly signal?: AbortSignal;
}

export interface PingResult {
  readonly transmitted: number;
  readonly received: number;
  /** Probes the kernel refused to send (iputils' "+N errors"), or all of them when there was no route at all. */
  readonly errors: number;
}

export async function ping(o: PingOptions): Promise<PingResult> {
  const say = (s: string): void => {
    if (!o.quiet) o.out.write(s);
  };
  const target = parseAddress(o.address, o.netFd);
  if (target.family !== o.family) throw new Error(`${o.address} is not an IPv${o.family} address`);
  const to = sockaddr(target);

  // Like iputils: first connect() a UDP socket to the target (no packet is sent) to learn
  // whether there is a route at all. With lo down, 127.0.0.1 gives ENETUNREACH and ::1
  // EADDRNOTAVAIL; iputils then prints "ping: connect: ..." and nothing else.
  const unroutable = routeError(o.netFd, target.family, to);
  if (unroutable) {
    say(`ping: connect: ${unroutable}\n`);
    return { transmitted: 0, received: 0, errors: 0 };
  }

  let sock: IcmpSocket;
  try {
    sock = openIcmpSocket(o.netFd, o.family);
  } catch (e) {
    throw new Error(`cannot open an ICMP socket: ${errText(e)}${e instanceof SysError && e.code === 'EPERM' ? ' (ping needs CAP_NET_RAW)' : ''}`);
  }
  if (o.family === 4) say(`PING ${o.address} (${o.address}) ${ECHO_DATA}(${ECHO_DATA + 28}) bytes of data.\n`);
  else say(`PING ${o.address}(${o.address}) ${ECHO_DATA} data bytes\n`);

  const st = new Stats();
  const sentAt = new Map<number, bigint>(); // seq → CLOCK_REALTIME ns of the send
  const msg = new MsgBuffer(2048);
  const t0 = performance.now();
  let lastEvent = t0;
  let nextSend = t0;
  let lastSend = t0;
  try {
    for (;;) {
      if (o.signal?.aborted) break;
      let now = performance.now();
      if (st.transmitted < o.count && now >= nextSend) {
        const seq = (st.transmitted + 1) & 0xffff;
        const packet = echoRequest(sock, seq);
        const stamp = realtimeNs();
        try {
          sendto(sock.fd, packet, 0, to);
          sentAt.set(seq, stamp);
        } catch (e) {
          // iputils: "Hard local error. Pretend we sent packet." and count it as an error
          st.errors++;
          say(`ping: sendmsg: ${errText(e)}\n`);
        }
        st.transmitted++;
        lastSend = lastEvent = now;
        nextSend = Math.max(nextSend + o.interval * 1000, now); // keep the pace; never burst to catch up
        continue;
      }
      const outstanding = [...sentAt.keys()].some((seq) => !st.answered.has(seq));
      const end = lastSend + o.timeout * 1000;
      if (st.transmitted >= o.count && (!outstanding || now >= end)) break;
      const until = st.transmitted < o.count ? nextSend : end;
      const revents = await reactor.wait(sock.fd, POLLIN, until - now, o.signal);
      if (revents === 0) continue;
      now = performance.now();
      for (let r = nextPacket(sock, msg); r; r = nextPacket(sock, msg)) {
        const reply = parseEchoReply(sock, r);
        const sent = reply ? sentAt.get(reply.seq) : undefined;
        if (!reply || sent === undefined) continue;
        const us = Math.max(0, Number(((reply.stamp ?? realtimeNs()) - sent) / 1000n));
        const dup = st.reply(reply.seq, us);
        lastEvent = now;
        const ttl = reply.ttl === undefined ? '' : ` ttl=${reply.ttl}`;
        say(`${reply.bytes} bytes from ${reply.from}: icmp_seq=${reply.seq}${ttl} time=${replyTime(us)} ms${dup ? ' (DUP!)' : ''}\n`);
      }
    }
  } finally {
    closeQuietly(sock.fd);
    msg.free();
  }
  say(st.summary(o.address, Math.round(lastEvent - t0)));
  return { transmitted: st.transmitted, received: st.received, errors: st.errors };
}

/** The strerror text of connecting a UDP socket to `to` in the namespace, or undefined if routable. */
function routeError(netFd: number, family: 4 | 6, to: Buffer): string | undefined {
  const fd = socketIn(netFd, family === 4 ? AF_INET : AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
  try {
    const probe = Buffer.from(to);
    probe.writeUInt16BE(1025, 2); // iputils connects to port 1025
    connect(fd, probe);
    return undefined;
  } catch (e) {
    if (e instanceof SysError) return errText(e);
    throw e;
  } finally {
    closeQuietly(fd);
  }
}

/**
 * The next queued packet, or undefined when the queue is empty. A pending socket error (a raw
 * socket reports e.g. EHOSTUNREACH once, from a local ICMP error) is consumed by this read and
 * ends the batch; the next readability wakes us again.
 */
function nextPacket(sock: IcmpSocket, msg: MsgBuffer): Received | undefined {
  try {
    return msg.recv(sock.fd) ?? undefined;
  } catch (e) {
    if (e instanceof SysError) return undefined;
    throw e;
  }
}

/** iputils' reply time: 3 decimals below 1 ms, 2 below 10 ms, 1 below 100 ms, then none (µs in). */
export function replyTime(us: number): string {
  if (us >= 100000 - 50) return `${Math.floor((us + 500) / 1000)}`;
  if (us >= 10000 - 5) return `${Math.floor((us + 50) / 1000)}.${Math.floor(((us + 50) % 1000) / 100)}`;
  if (us >= 1000) return `${Math.floor((us + 5) / 1000)}.${String(Math.floor(((us + 5) % 1000) / 10)).padStart(2, '0')}`;
  return `0.${String(us).padStart(3, '0')}`;
}

/** µs as iputils' "%ld.%03ld" of milliseconds. */
const ms3 = (us: number): string => `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;

/** %g of a percentage, as C's printf prints it (6 significant digits, no trailing zeros). */
const g = (x: number): string => String(Number(x.toPrecision(6)));

/** Counters and round-trip statistics, summarized as iputils does (integer µs arithmetic). */
export class Stats {
  transmitted = 0;
  received = 0;
  errors = 0;
  dups = 0;
  readonly answered = new Set<number>();
  private min = Infinity;
  private max = 0;
  private sum = 0;
  private sum2 = 0;

  /** Records a reply; true if it is a duplicate. */
  reply(seq: number, us: number): boolean {
    if (this.answered.has(seq)) {
      this.dups++;
      return true;
    }
    this.answered.add(seq);
    this.received++;
    this.min = Math.min(this.min, us);
    this.max = Math.max(this.max, us);
    this.sum += us;
    this.sum2 += us * us;
    return false;
  }

  summary(address: string, elapsedMs: number): string {
    let s = `\n--- ${address} ping statistics ---\n${this.transmitted} packets transmitted, ${this.received} received`;
    if (this.dups) s += `, +${this.dups} duplicates`;
    if (this.errors) s += `, +${this.errors} errors`;
    if (this.transmitted) s += `, ${g(((this.transmitted - this.received) * 100) / this.transmitted)}% packet loss`;
    s += `, time ${elapsedMs}ms\n`;
    if (this.received === 0) return `${s}\n`;
    const avg = Math.floor(this.sum / this.received);
    const mdev = Math.floor(Math.sqrt(Math.max(0, Math.floor(this.sum2 / this.received) - avg * avg)));
    return `${s}rtt min/avg/max/mdev = ${ms3(this.min)}/${ms3(avg)}/${ms3(this.max)}/${ms3(mdev)} ms\n`;
  }
}
