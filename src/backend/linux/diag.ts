/**
 * sock_diag (NETLINK_SOCK_DIAG): which sockets of a namespace listen, as `ss -ltn` / `ss -lun`
 * find them. One SOCK_DIAG_BY_FAMILY dump per address family (struct inet_diag_req_v2 with the
 * wanted states as a bit mask); each answer is a struct inet_diag_msg. A TCP server is a socket
 * in state LISTEN; a UDP server a socket bound and not connected, in state CLOSE (the inet
 * protocols share TCP's state numbers). The socket is opened inside the namespace and answers
 * for it wherever it is used from.
 *
 * The API is that of the netlink layer's diag module (openDiag, listeners, listensOn), so this
 * file can give way to it.
 */
import ipaddr from 'ipaddr.js';
import { AF_NETLINK, SOCK_RAW, bind, getsockname, sockaddrNl } from './libc.js';
import { closeQuietly, socketIn } from './sockets.js';
import { AF_INET, AF_INET6, NLM_F_DUMP, NLM_F_REQUEST, RtnlSocket, type NlMessage, type NlRequest } from './netlink/index.js';

export const NETLINK_SOCK_DIAG = 4;
export const SOCK_DIAG_BY_FAMILY = 20;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
export const TCP_CLOSE = 7;
export const TCP_LISTEN = 10;

/** struct inet_diag_req_v2: family, protocol, ext, pad, states; the socket id (48 bytes) left zero. */
export function inetDiagDump(family: number, protocol: number, states: number): NlRequest {
  const header = Buffer.alloc(56);
  header.writeUInt8(family, 0);
  header.writeUInt8(protocol, 1);
  header.writeUInt32LE(states >>> 0, 4);
  return { type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_REQUEST | NLM_F_DUMP, header, attrs: [] };
}

export interface InetSocket {
  family: number;
  state: number;
  /** local port */
  port: number;
  /** local address ('0.0.0.0', '::', …) */
  address: string;
  inode: number;
}

/** One answer: struct inet_diag_msg (family, state, …, id: sport, dport, src[16], dst[16], if, cookie; …, inode). */
export function decodeInetDiag(m: NlMessage): InetSocket | undefined {
  const b = m.body;
  if (m.type !== SOCK_DIAG_BY_FAMILY || b.length < 72) return undefined;
  const family = b.readUInt8(0);
  const bytes = [...b.subarray(8, family === AF_INET ? 12 : 24)];
  return { family, state: b.readUInt8(1), port: b.readUInt16BE(4), address: ipaddr.fromByteArray(bytes).toString(), inode: b.readUInt32LE(68) };
}

/** A NETLINK_SOCK_DIAG socket opened inside the namespace `netnsFd`. */
export function openDiag(netnsFd: number): RtnlSocket {
  const fd = socketIn(netnsFd, AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
  try {
    bind(fd, sockaddrNl());
    return RtnlSocket.adopt(fd, getsockname(fd).readUInt32LE(4));
  } catch (e) {
    closeQuietly(fd);
    throw e;
  }
}

/** The sockets that listen for `proto` in the socket's namespace, IPv4 and IPv6. */
export function listeners(sock: RtnlSocket, proto: 'tcp' | 'udp'): InetSocket[] {
  const protocol = proto === 'tcp' ? IPPROTO_TCP : IPPROTO_UDP;
  const state = proto === 'tcp' ? TCP_LISTEN : TCP_CLOSE;
  return [AF_INET, AF_INET6].flatMap(family =>
    sock
      .dump(inetDiagDump(family, protocol, 1 << state))
      .map(decodeInetDiag)
      .filter((s): s is InetSocket => s !== undefined && s.state === state),
  );
}

/** Whether something listens on `port` (`await NS tcp|udp PORT`). */
export function listensOn(sock: RtnlSocket, proto: 'tcp' | 'udp', port: number): boolean {
  return listeners(sock, proto).some(s => s.port === port);
}
