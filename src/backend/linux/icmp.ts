/**
 * ICMP / ICMPv6 echo sockets and packets for ping.
 *
 * Two kinds of socket can send echo requests:
 *  - the "ping socket" (SOCK_DGRAM, IPPROTO_ICMP[V6]): unprivileged, but only for groups in
 *    net.ipv4.ping_group_range (also governs IPv6), which is "1 0" (nobody) in a new namespace.
 *    The kernel picks the echo identifier (the socket's "port"), fills the checksum and hands
 *    this socket only the replies to its own requests, without the IP header.
 *  - a raw socket (SOCK_RAW), needing CAP_NET_RAW in the namespace's user namespace. It sees
 *    every ICMP packet of the namespace (so replies are matched by identifier and sequence),
 *    IPv4 ones WITH their IP header (TTL at byte 8); we compute the IPv4 checksum, while the
 *    kernel always computes the ICMPv6 one (RFC 3542 §3.1).
 * TTL / hop limit comes from the IPv4 header (raw) or from IP_RECVTTL / IPV6_RECVHOPLIMIT
 * ancillary data; the receive time from SO_TIMESTAMPNS (the kernel's CLOCK_REALTIME stamp when
 * the packet arrived), so RTTs do not include the time it takes us to get to the packet.
 */
import { SOCK_DGRAM, SOCK_RAW, SOL_SOCKET, SysError, setsockoptBuf, setsockoptInt } from './libc.js';
import {
  AF_INET, AF_INET6, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_IP, IPPROTO_IPV6, IPV6_HOPLIMIT, IPV6_RECVHOPLIMIT,
  IP_RECVTTL, IP_TTL, type Received, SOCK_NONBLOCK, SO_TIMESTAMPNS,
} from './libc-inet.js';
import { closeQuietly, socketIn, sockaddrText } from './sockets.js';

const ICMP_ECHOREPLY = 0;
const ICMP_ECHO = 8;
const ICMP6_ECHO_REQUEST = 128;
const ICMP6_ECHO_REPLY = 129;
const SOL_RAW = 255;
const ICMP_FILTER = 1; // u32: bit N set = drop ICMP type N (raw IPv4 sockets)
const ICMP6_FILTER = 1; // 256 bits: bit N set = drop ICMPv6 type N (raw IPv6 sockets)

/** bytes of echo data, as iputils sends by default (-s): 56 + 8 (ICMP header) = 64 bytes */
export const ECHO_DATA = 56;

export interface IcmpSocket {
  readonly fd: number;
  readonly family: 4 | 6;
  /** a raw socket (else a ping socket) */
  readonly raw: boolean;
  /** our echo identifier (raw sockets; a ping socket's is set by the kernel) */
  readonly ident: number;
}

export interface EchoReply {
  readonly seq: number;
  /** ICMP bytes (header + data), as ping prints them */
  readonly bytes: number;
  readonly ttl: number | undefined;
  readonly from: string;
  /** kernel receive time, CLOCK_REALTIME ns (undefined if the stamp was missing) */
  readonly stamp: bigint | undefined;
}

/** Opens an echo socket inside namespace netFd: a ping socket if allowed, else a raw one. */
export function openIcmpSocket(netFd: number, family: 4 | 6): IcmpSocket {
  const domain = family === 4 ? AF_INET : AF_INET6;
  const proto = family === 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
  let fd: number;
  let raw = false;
  try {
    fd = socketIn(netFd, domain, SOCK_DGRAM | SOCK_NONBLOCK, proto);
  } catch (e) {
    // EACCES: our gid is outside ping_group_range; EPERM/EPROTONOSUPPORT on older setups
    if (!(e instanceof SysError) || !['EACCES', 'EPERM', 'EPROTONOSUPPORT'].includes(e.code)) throw e;
    fd = socketIn(netFd, domain, SOCK_RAW | SOCK_NONBLOCK, proto);
    raw = true;
  }
  try {
    setsockoptInt(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1);
    if (family === 6) setsockoptInt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1);
    else if (!raw) setsockoptInt(fd, IPPROTO_IP, IP_RECVTTL, 1);
    if (raw && family === 4) setsockoptInt(fd, SOL_RAW, ICMP_FILTER, ~(1 << ICMP_ECHOREPLY));
    if (raw && family === 6) {
      const filter = Buffer.alloc(32, 0xff); // block all types...
      filter[ICMP6_ECHO_REPLY >> 3]! &= ~(1 << (ICMP6_ECHO_REPLY & 7)); // ...but echo replies
      setsockoptBuf(fd, IPPROTO_ICMPV6, ICMP6_FILTER, filter);
    }
  } catch (e) {
    closeQuietly(fd);
    throw e;
  }
  return { fd, family, raw, ident: raw ? nextIdent() : 0 };
}

// Identifiers of raw sockets must differ between pings running at once (pingall), since each
// raw socket sees the replies of all of them.
let identCounter = Math.floor(Math.random() * 0x10000);
function nextIdent(): number {
  identCounter = (identCounter + 1) & 0xffff;
  return identCounter;
}

/** An echo request: 8-byte header + `size` bytes of data (0, 1, 2, ...). */
export function echoRequest(s: IcmpSocket, seq: number, size = ECHO_DATA): Buffer {
  const b = Buffer.alloc(8 + size);
  b[0] = s.family === 4 ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
  b.writeUInt16BE(s.ident, 4);
  b.writeUInt16BE(seq & 0xffff, 6);
  for (let i = 0; i < size; i++) b[8 + i] = i & 0xff;
  // Ping sockets fill in the checksum (and identifier) themselves; raw IPv6 ones too.
  if (s.raw && s.family === 4) b.writeUInt16BE(inetChecksum(b), 2);
  return b;
}

/** The Internet checksum (RFC 1071) of b. */
export function inetChecksum(b: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < b.length; i += 2) sum += b.readUInt16BE(i);
  if (b.length % 2) sum += b[b.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The echo reply in a received packet, or null if it is not a reply to this socket. */
export function parseEchoReply(s: IcmpSocket, r: Received): EchoReply | null {
  let icmp = r.data;
  let ttl: number | undefined;
  if (s.raw && s.family === 4) {
    const ihl = ((icmp[0] ?? 0) & 0x0f) * 4;
    ttl = icmp[8];
    icmp = icmp.subarray(ihl);
  }
  if (icmp.length < 8) return null;
  if (icmp[0] !== (s.family === 4 ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY) || icmp[1] !== 0) return null;
  if (s.raw && icmp.readUInt16BE(4) !== s.ident) return null;
  let stamp: bigint | undefined;
  for (const c of r.cmsgs) {
    if (c.level === SOL_SOCKET && c.type === SO_TIMESTAMPNS && c.data.length >= 16) {
      stamp = c.data.readBigInt64LE(0) * 1_000_000_000n + c.data.readBigInt64LE(8);
    } else if ((c.level === IPPROTO_IP && c.type === IP_TTL) || (c.level === IPPROTO_IPV6 && c.type === IPV6_HOPLIMIT)) {
      ttl = c.data.readInt32LE(0);
    }
  }
  return { seq: icmp.readUInt16BE(6), bytes: icmp.length, ttl, from: sockaddrText(r.from).address, stamp };
}
