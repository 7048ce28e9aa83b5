/**
 * The built-in netcat. Sockets are created with libc inside the namespace (node's net and dgram
 * create theirs on a later tick, when this thread is long back in its own namespace), then
 * handed to node as fds: net.Server.listen({ fd }), new net.Socket({ fd }), dgram bind({ fd }).
 * Node owns a handed-over fd from then on and closes it with its handle.
 *
 * UDP listening ends (openbsd nc -l -u runs until killed, which makes no statement):
 *  - 1 s (or -w) after the last datagram from the first sender (the "peer"; others are ignored,
 *    as nc does once it has a peer), or at once on an empty datagram, or on abort.
 * UDP connecting sends the input as one datagram and returns; nothing is read back.
 * -z connects only (a UDP port is probed, see udpScan); -w bounds the connect and ends a
 * connection that stays quiet that long (a listener still waits for its connection: -w has no
 * effect on listening, as with OpenBSD's nc).
 * An abort (Ctrl-C, kill of the job) ends either side quietly: the promise resolves.
 */
import type { Socket } from 'node:net';
import { dgram, net } from './builtins.js';
import { constants as osConstants } from 'node:os';
import {
  POLLERR, POLLOUT, SOCK_DGRAM, SOL_SOCKET, SO_ERROR, SysError, bind, getsockoptInt, send, sendto, setsockoptInt,
} from './libc.js';
import {
  AF_INET, AF_INET6, IPPROTO_IPV6, IPPROTO_UDP, IPV6_V6ONLY, SOCK_NONBLOCK, SOCK_STREAM, SO_REUSEADDR, connect, listen,
} from './libc-inet.js';
import { anyAddress, closeQuietly, errText, parseAddress, reactor, sockaddr, socketIn } from './sockets.js';

export interface NcListenOptions {
  readonly netFd: number;
  readonly udp: boolean;
  readonly port: number;
  /** -w: seconds a connection (or a UDP peer) may stay quiet before the listener ends; none by default for TCP, 1 s for UDP */
  readonly wait?: number;
  readonly out: NodeJS.WritableStream;
  readonly signal?: AbortSignal;
  /** called once the socket is bound (UDP) or listening (TCP) */
  readonly onListening?: () => void;
}

export interface NcConnectOptions {
  readonly netFd: number;
  readonly udp: boolean;
  readonly address: string;
  readonly port: number;
  /** what to send (the caller appends the newline of `<<< "text"`) */
  readonly input?: string;
  /** -z: only see whether the port answers; send and print nothing */
  readonly scan?: boolean;
  /** -w: seconds for the connection to be made, and then for the peer to stay quiet */
  readonly wait?: number;
  readonly out: NodeJS.WritableStream;
  readonly signal?: AbortSignal;
}

/** UDP: how long the peer may stay quiet before the listener ends. */
export const UDP_QUIET_MS = 1000;

/** `nc -l [-u] PORT`: accept one connection (or a peer's datagrams), print what arrives. */
export async function ncListen(o: NcListenOptions): Promise<void> {
  if (o.signal?.aborted) return;
  const { fd, family } = boundSocket(o.netFd, o.udp, o.port);
  return o.udp ? udpListen(fd, family, o) : tcpListen(fd, o);
}

/** `nc [-u] ADDR PORT`: send the input, half-close, print the answer until the peer closes. */
export async function ncConnect(o: NcConnectOptions): Promise<void> {
  if (o.signal?.aborted) return;
  const target = parseAddress(o.address, o.netFd);
  const to = sockaddr(target, o.port);
  const domain = target.family === 4 ? AF_INET : AF_INET6;
  if (o.udp && o.scan) return udpScan(o, domain, to);
  if (o.udp) {
    const fd = socketIn(o.netFd, domain, SOCK_DGRAM | SOCK_NONBLOCK, IPPROTO_UDP);
    try {
      if (o.input) sendto(fd, Buffer.from(o.input), 0, to);
    } catch (e) {
      throw new Error(`cannot send to ${o.address} port ${o.port}: ${lower(errText(e))}`);
    } finally {
      closeQuietly(fd);
    }
    return;
  }
  const fd = socketIn(o.netFd, domain, SOCK_STREAM | SOCK_NONBLOCK, 0);
  try {
    await connectNonBlocking(fd, to, o.signal, o.wait);
  } catch (e) {
    closeQuietly(fd);
    throw connectError(e, o.address, o.port);
  }
  if (o.signal?.aborted || o.scan) {
    closeQuietly(fd); // -z: the port answered; that is all
    return;
  }
  const sock = new (net().Socket)({ fd, readable: true, writable: true, allowHalfOpen: true });
  await new Promise<void>((resolve) => {
    const onAbort = (): void => void sock.destroy();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.wait !== undefined) quietEnds(sock, o.wait);
    sock.on('data', (d: Buffer) => o.out.write(d));
    sock.on('error', () => {}); // a reset after the exchange ends it like a close
    sock.on('close', () => {
      o.signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    if (o.input) sock.write(o.input);
    sock.end(); // shutdown(SHUT_WR): the peer sees end of input, we keep reading
  });
}

/** -w: a connection quiet (nothing sent or received) for `seconds` is closed, which ends it quietly. */
function quietEnds(sock: Socket, seconds: number): void {
  sock.setTimeout(seconds * 1000, () => void sock.destroy());
}

/** connect() on a non-blocking socket; waits for the handshake through the reactor (at most `seconds`: ETIMEDOUT). */
async function connectNonBlocking(fd: number, to: Buffer, signal?: AbortSignal, seconds?: number): Promise<void> {
  try {
    connect(fd, to);
    return;
  } catch (e) {
    if (!(e instanceof SysError) || e.code !== 'EINPROGRESS') throw e;
  }
  const revents = await reactor.wait(fd, POLLOUT, seconds === undefined ? Infinity : seconds * 1000, signal);
  if (signal?.aborted) return;
  if (revents === 0) throw new SysError('connect', osConstants.errno.ETIMEDOUT);
  const err = getsockoptInt(fd, SOL_SOCKET, SO_ERROR); // the outcome of the connect
  if (err !== 0) throw new SysError('connect', err);
}

/**
 * `nc -z -u`: UDP has no handshake, so, as OpenBSD's nc does, a few one-byte datagrams ("X") go to
 * the port; a closed port makes the kernel of the other side answer with ICMP port unreachable,
 * which a later send (or the wait after them, -w, default 0.2 s) sees as ECONNREFUSED. Anything
 * else counts as answering.
 */
async function udpScan(o: NcConnectOptions, domain: number, to: Buffer): Promise<void> {
  const fd = socketIn(o.netFd, domain, SOCK_DGRAM | SOCK_NONBLOCK, IPPROTO_UDP);
  try {
    connect(fd, to);
    for (let i = 0; i < 4; i++) send(fd, UDP_PROBE);
    await reactor.wait(fd, POLLERR, (o.wait ?? UDP_SCAN_WAIT) * 1000, o.signal);
    const err = getsockoptInt(fd, SOL_SOCKET, SO_ERROR); // a refusal that came after the sends
    if (err !== 0) throw new SysError('send', err);
  } catch (e) {
    throw connectError(e, o.address, o.port);
  } finally {
    closeQuietly(fd);
  }
}
const UDP_PROBE = Buffer.from('X');
const UDP_SCAN_WAIT = 0.2;

function connectError(e: unknown, address: string, port: number): Error {
  if (e instanceof SysError && e.code === 'ECONNREFUSED') return new Error(`connection to ${address} port ${port} refused`);
  return new Error(`cannot connect to ${address} port ${port}: ${lower(errText(e))}`);
}

const lower = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * A TCP (listening) or UDP socket bound to PORT on all addresses of the namespace: IPv6
 * dual-stack (IPV6_V6ONLY off, so IPv4 peers arrive as ::ffff:a.b.c.d), or IPv4 only when the
 * namespace has no IPv6.
 */
function boundSocket(netFd: number, udp: boolean, port: number): { fd: number; family: 4 | 6 } {
  const type = (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK;
  let family: 4 | 6 = 6;
  let fd: number;
  try {
    fd = socketIn(netFd, AF_INET6, type, 0);
  } catch (e) {
    if (!(e instanceof SysError) || e.code !== 'EAFNOSUPPORT') throw e;
    family = 4;
    fd = socketIn(netFd, AF_INET, type, 0);
  }
  try {
    if (family === 6) setsockoptInt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 0);
    setsockoptInt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
    bind(fd, sockaddr(anyAddress(family), port));
    if (!udp) listen(fd, 1);
  } catch (e) {
    closeQuietly(fd);
    if (e instanceof SysError && e.code === 'EADDRINUSE') throw new Error(`port ${port} is already in use`);
    if (e instanceof SysError && (e.code === 'EACCES' || e.code === 'EPERM')) {
      throw new Error(`cannot listen on port ${port}: permission denied`);
    }
    throw new Error(`cannot listen on port ${port}: ${e instanceof SysError ? lower(errText(e)) : String(e)}`);
  }
  return { fd, family };
}

function tcpListen(fd: number, o: NcListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    let conn: Socket | undefined;
    const finish = (): void => {
      o.signal?.removeEventListener('abort', onAbort);
      server.close();
      resolve();
    };
    const onAbort = (): void => {
      if (conn) conn.destroy(); // its 'close' finishes
      else finish();
    };
    const server = net().createServer((c) => {
      if (conn) return void c.destroy();
      conn = c;
      server.close(); // one connection, as nc: stop listening (closes the listening fd)
      if (o.wait !== undefined) quietEnds(c, o.wait);
      c.on('data', (d: Buffer) => o.out.write(d));
      c.on('error', () => {}); // a reset ends it like a close
      c.on('close', finish);
    });
    server.on('error', (e: NodeJS.ErrnoException) => {
      o.signal?.removeEventListener('abort', onAbort);
      server.close();
      reject(new Error(`cannot listen on port ${o.port}: ${e.code ? lower(errTextOf(e.code)) : e.message}`));
    });
    o.signal?.addEventListener('abort', onAbort, { once: true });
    server.listen({ fd }, () => o.onListening?.());
  });
}

function udpListen(fd: number, family: 4 | 6, o: NcListenOptions): Promise<void> {
  return new Promise((resolve) => {
    const sock = dgram().createSocket(family === 6 ? 'udp6' : 'udp4');
    let peer: string | undefined;
    let quiet: NodeJS.Timeout | undefined;
    const finish = (): void => {
      o.signal?.removeEventListener('abort', finish);
      clearTimeout(quiet);
      sock.close();
      resolve();
    };
    sock.on('message', (msg, from) => {
      const who = `[${from.address}]:${from.port}`;
      peer ??= who;
      if (who !== peer) return;
      if (msg.length === 0) return finish();
      o.out.write(msg);
      clearTimeout(quiet);
      quiet = setTimeout(finish, o.wait === undefined ? UDP_QUIET_MS : o.wait * 1000);
    });
    sock.on('error', finish);
    o.signal?.addEventListener('abort', finish, { once: true });
    sock.bind({ fd }, () => o.onListening?.());
  });
}

/** strerror-like text of an errno name from a node error ('EADDRINUSE' → 'Address already in use'). */
function errTextOf(code: string): string {
  const errno = (osConstants.errno as Record<string, number | undefined>)[code];
  return errno === undefined ? code : errText(new SysError('listen', errno));
}
