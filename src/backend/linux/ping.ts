/**
 * The built-in ping: ICMP / ICMPv6 echo from inside a network namespace, printing what iputils
 * ping (20221126) prints. No ping binary is run; the socket is opened inside the namespace
 * (icmp.ts) and waited on through the shared reactor (sockets.ts), so the event loop runs on.
 */
import { ECHO_DATA, type IcmpSocket, echoRequest, openIcmpSocket, parseEchoReply } from './icmp.js';
import { POLLIN, SOCK_DGRAM, SysError, getsockname, getsockoptInt, realtimeNs, sendto, setsockoptInt } from './libc.js';
import {
  AF_INET, AF_INET6, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_UDP, IPV6_MTU, IPV6_MTU_DISCOVER, IP_MTU, IP_MTU_DISCOVER,
  IP_PMTUDISC_DO, IP_PMTUDISC_DONT, MsgBuffer, type Received, connect,
} from './libc-inet.js';
import { bindToDevice, closeQuietly, errText, parseAddress, reactor, sockaddr, sockaddrText, socketIn } from './sockets.js';
import type { PingOp, PingReply, PingReport } from '../backend.js';

/** A ping's settings as the ping statement gives them (PingOp: -c, -i, -W, -s, -M, -I), and where it runs. */
export interface PingOptions extends Pick<PingOp, 'address' | 'family' | 'count' | 'interval' | 'timeout' | 'size' | 'dontFragment' | 'iface'> {
  readonly netFd: number;
  readonly out: NodeJS.WritableStream;
  /** write nothing at all (pingall) */
  readonly quiet?: boolean;
  /** ends the ping at once (statistics are still printed, as on Ctrl-C with iputils) */
  readonly signal?: AbortSignal;
}

export async function ping(o: PingOptions): Promise<PingReport> {
  const say = (s: string): void => {
    if (!o.quiet) o.out.write(s);
  };
  const target = parseAddress(o.address, o.netFd);
  if (target.family !== o.family) throw new Error(`${o.address} is not an IPv${o.family} address`);
  const to = sockaddr(target);
  const size = o.size ?? ECHO_DATA;
  // iputils times a probe only when its data holds a struct timeval (16 bytes)
  const timing = size >= 16;

  // Like iputils: first connect() a UDP socket to the target (no packet is sent) to learn
  // whether there is a route at all (and, with -I, the source address). With lo down, 127.0.0.1
  // gives ENETUNREACH and ::1 EADDRNOTAVAIL; iputils then prints "ping: connect: ..." and
  // nothing else.
  const route = probeRoute(o.netFd, target.family, to, o.iface);
  if ('error' in route) {
    say(`ping: ${route.error}\n`);
    return { ...new Stats().report(o.address, []), unreachable: route.error };
  }

  let sock: IcmpSocket;
  try {
    sock = openIcmpSocket(o.netFd, o.family);
  } catch (e) {
    throw new Error(`cannot open an ICMP socket: ${errText(e)}${e instanceof SysError && e.code === 'EPERM' ? ' (ping needs CAP_NET_RAW)' : ''}`);
  }
  try {
    if (o.iface !== undefined) bindToDevice(sock.fd, o.iface);
    if (o.dontFragment !== undefined) {
      const [level, name] = o.family === 4 ? [IPPROTO_IP, IP_MTU_DISCOVER] : [IPPROTO_IPV6, IPV6_MTU_DISCOVER];
      setsockoptInt(sock.fd, level, name, o.dontFragment ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT);
    }
  } catch (e) {
    closeQuietly(sock.fd);
    throw e;
  }
  const from = o.iface === undefined ? '' : `from ${route.source} ${o.iface}: `;
  if (o.family === 4) say(`PING ${o.address} (${o.address}) ${from}${size}(${size + 28}) bytes of data.\n`);
  else say(`PING ${o.address}(${o.address}) ${from}${size} data bytes\n`);

  const st = new Stats();
  const replies: PingReply[] = [];
  const sentAt = new Map<number, bigint>(); // seq → CLOCK_REALTIME ns of the send
  const msg = new MsgBuffer(Math.max(2048, size + 128)); // an echo reply, with an IPv4 header on a raw socket
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
        const packet = echoRequest(sock, seq, size);
        const stamp = realtimeNs();
        try {
          sendto(sock.fd, packet, 0, to);
          sentAt.set(seq, stamp);
        } catch (e) {
          // iputils: "Hard local error. Pretend we sent packet." and count it as an error
          st.errors++;
          if (e instanceof SysError && e.code === 'EMSGSIZE') {
            // larger than the path's MTU with -M do: iputils reports the MTU the kernel gave
            const mtu = pathMtu(o.netFd, target.family, to, o.iface);
            say(`ping: local error: message too long, mtu${o.family === 4 ? '=' : ': '}${mtu}\n`);
          } else say(`ping: sendmsg: ${errText(e)}\n`);
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
        replies.push({ seq: reply.seq, from: reply.from, bytes: reply.bytes, ...(reply.ttl === undefined ? {} : { ttl: reply.ttl }), time: us / 1000, duplicate: dup });
        lastEvent = now;
        const ttl = reply.ttl === undefined ? '' : ` ttl=${reply.ttl}`;
        const time = timing ? ` time=${replyTime(us)} ms` : '';
        say(`${reply.bytes} bytes from ${reply.from}: icmp_seq=${reply.seq}${ttl}${time}${dup ? ' (DUP!)' : ''}\n`);
      }
    }
  } finally {
    closeQuietly(sock.fd);
    msg.free();
  }
  say(st.summary(o.address, Math.round(lastEvent - t0), timing));
  return st.report(o.address, replies);
}

/**
 * Runs `fn` with a UDP socket of the namespace connected to `to` (bound to `iface`), as iputils
 * connects one to port 1025: no packet is sent, but the kernel chooses the route. A refusal is
 * said as iputils says it ("connect: Network is unreachable", "SO_BINDTODEVICE v9: No such device").
 */
function withProbe<T>(netFd: number, family: 4 | 6, to: Buffer, iface: string | undefined, fn: (fd: number) => T): T | { error: string } {
  const fd = socketIn(netFd, family === 4 ? AF_INET : AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
  let doing = 'connect';
  try {
    if (iface !== undefined) {
      doing = `SO_BINDTODEVICE ${iface}`;
      bindToDevice(fd, iface);
      doing = 'connect';
    }
    const probe = Buffer.from(to);
    probe.writeUInt16BE(1025, 2);
    connect(fd, probe);
    return fn(fd);
  } catch (e) {
    if (e instanceof SysError) return { error: `${doing}: ${errText(e)}` };
    throw e;
  } finally {
    closeQuietly(fd);
  }
}

/** Whether `to` can be reached at all, and from which source address; or iputils' sentence why not. */
function probeRoute(netFd: number, family: 4 | 6, to: Buffer, iface: string | undefined): { source: string } | { error: string } {
  return withProbe(netFd, family, to, iface, fd => ({ source: sockaddrText(getsockname(fd)).address }));
}

/** The MTU of the path to `to` as the kernel knows it now (IP_MTU of a connected socket), or '?'. */
function pathMtu(netFd: number, family: 4 | 6, to: Buffer, iface: string | undefined): string {
  const mtu = withProbe(netFd, family, to, iface, fd =>
    family === 4 ? getsockoptInt(fd, IPPROTO_IP, IP_MTU) : getsockoptInt(fd, IPPROTO_IPV6, IPV6_MTU),
  );
  return typeof mtu === 'number' ? String(mtu) : '?';
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

  /** Lost probes in percent. */
  private loss(): number {
    return this.transmitted ? ((this.transmitted - this.received) * 100) / this.transmitted : 0;
  }

  /** Average and mean deviation in µs, as iputils computes them (integer arithmetic). */
  private spread(): { avg: number; mdev: number } {
    const avg = Math.floor(this.sum / this.received);
    return { avg, mdev: Math.floor(Math.sqrt(Math.max(0, Math.floor(this.sum2 / this.received) - avg * avg))) };
  }

  /** The summary as numbers (times in ms). */
  report(address: string, replies: readonly PingReply[]): PingReport {
    const { avg, mdev } = this.spread();
    const rtt = this.received === 0 ? undefined : { min: this.min / 1000, avg: avg / 1000, max: this.max / 1000, mdev: mdev / 1000 };
    return {
      address, transmitted: this.transmitted, received: this.received, duplicates: this.dups, errors: this.errors, loss: this.loss(), replies,
      ...(rtt ? { rtt } : {}),
    };
  }

  /** The closing lines; `timing`: with the round-trip line (iputils leaves it out for data under 16 bytes). */
  summary(address: string, elapsedMs: number, timing = true): string {
    let s = `\n--- ${address} ping statistics ---\n${this.transmitted} packets transmitted, ${this.received} received`;
    if (this.dups) s += `, +${this.dups} duplicates`;
    if (this.errors) s += `, +${this.errors} errors`;
    if (this.transmitted) s += `, ${g(this.loss())}% packet loss`;
    s += `, time ${elapsedMs}ms\n`;
    if (this.received === 0 || !timing) return `${s}\n`;
    const { avg, mdev } = this.spread();
    return `${s}rtt min/avg/max/mdev = ${ms3(this.min)}/${ms3(avg)}/${ms3(this.max)}/${ms3(mdev)} ms\n`;
  }
}
