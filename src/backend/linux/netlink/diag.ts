/**
 * sock_diag (NETLINK_SOCK_DIAG): which sockets of a namespace listen, as `ss -ltn` / `ss -lun` ask
 * it. One SOCK_DIAG_BY_FAMILY dump per address family and protocol, struct inet_diag_req_v2 with
 * the socket states wanted as a bit mask; the answers are struct inet_diag_msg (+ attributes,
 * unused here). A TCP server listens in state LISTEN; a UDP server is a socket bound and not
 * connected, in state CLOSE (TCP's state names are shared by every inet protocol).
 */
import ipaddr from 'ipaddr.js';
import { AF_INET, AF_INET6, NETLINK_SOCK_DIAG, NLM_F_DUMP, NLM_F_REQUEST } from './constants.js';
import type { NlMessage, NlRequest } from './message.js';
import { RtnlSocket } from './socket.js';
import { struct } from './struct.js';

export const SOCK_DIAG_BY_FAMILY = 20;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const TCP_ESTABLISHED = 1;
export const TCP_CLOSE = 7;
export const TCP_LISTEN = 10;

/** Only the fields read or written here of struct inet_diag_sockid (48 bytes): ports, interface. */
const SOCKID = struct<{ sport: number; dport: number; ifindex: number }>(48, [['sport', 'be16', 0], ['dport', 'be16', 2], ['ifindex', 'u32', 36]]);
const SOCKID_SRC = 4; // __be32 idiag_src[4], then idiag_dst[4] at 20

/** struct inet_diag_req_v2: u8 family, protocol, ext, pad; u32 states; inet_diag_sockid (56 bytes). */
export const INET_DIAG_REQ_V2 = struct<{ family: number; protocol: number; ext: number; states: number }>(56, [
  ['family', 'u8', 0], ['protocol', 'u8', 1], ['ext', 'u8', 2], ['states', 'u32', 4],
]);

export interface InetDiagMsg {
  family: number;
  state: number;
  timer: number;
  retrans: number;
  id: { sport: number; dport: number; ifindex: number };
  expires: number;
  rqueue: number;
  wqueue: number;
  uid: number;
  inode: number;
}
/** struct inet_diag_msg (72 bytes). */
export const INET_DIAG_MSG = struct<InetDiagMsg>(72, [
  ['family', 'u8', 0], ['state', 'u8', 1], ['timer', 'u8', 2], ['retrans', 'u8', 3], ['id', SOCKID, 4],
  ['expires', 'u32', 52], ['rqueue', 'u32', 56], ['wqueue', 'u32', 60], ['uid', 'u32', 64], ['inode', 'u32', 68],
]);

/** What ss -l asks for: listening and closed (bound, unconnected) sockets. */
export const LISTEN_STATES = (1 << TCP_LISTEN) | (1 << TCP_CLOSE);

/** The dump of `protocol` sockets of one family in the given states (a mask of 1 << TCP_*). */
export function inetDiagDump(family: number, protocol: number, states = LISTEN_STATES): NlRequest {
  return {
    type: SOCK_DIAG_BY_FAMILY,
    flags: NLM_F_REQUEST | NLM_F_DUMP,
    header: INET_DIAG_REQ_V2.pack({ family, protocol, states }),
    attrs: [],
  };
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

const addressText = (family: number, b: Buffer): string => ipaddr.fromByteArray([...b.subarray(0, family === AF_INET ? 4 : 16)]).toString();

/** One SOCK_DIAG_BY_FAMILY answer. */
export function decodeInetDiag(m: NlMessage): InetSocket | undefined {
  if (m.type !== SOCK_DIAG_BY_FAMILY || m.body.length < INET_DIAG_MSG.size) return undefined;
  const d = INET_DIAG_MSG.unpack(m.body);
  return { family: d.family, state: d.state, port: d.id.sport, address: addressText(d.family, m.body.subarray(4 + SOCKID_SRC, 4 + SOCKID_SRC + 16)), inode: d.inode };
}

/** A NETLINK_SOCK_DIAG socket in the namespace `netnsFd` (default: the current one). */
export function openDiag(netnsFd?: number): RtnlSocket {
  return RtnlSocket.open(netnsFd, { protocol: NETLINK_SOCK_DIAG });
}

/**
 * The listening sockets of `proto` of the socket's namespace, IPv4 and IPv6: TCP in state
 * LISTEN, UDP bound and unconnected (CLOSE).
 */
export function listeners(sock: RtnlSocket, proto: 'tcp' | 'udp'): InetSocket[] {
  const protocol = proto === 'tcp' ? IPPROTO_TCP : IPPROTO_UDP;
  const want = proto === 'tcp' ? TCP_LISTEN : TCP_CLOSE;
  return [AF_INET, AF_INET6].flatMap((family) =>
    sock
      .dump(inetDiagDump(family, protocol))
      .map(decodeInetDiag)
      .filter((s): s is InetSocket => s !== undefined && s.state === want),
  );
}

/** Whether something listens on `port` (`await NS tcp|udp PORT`). */
export function listensOn(sock: RtnlSocket, proto: 'tcp' | 'udp', port: number): boolean {
  return listeners(sock, proto).some((s) => s.port === port);
}
