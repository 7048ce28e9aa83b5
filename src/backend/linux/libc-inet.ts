/**
 * The libc calls of IP sockets, for ping, nc and the await statement: the address families and
 * IP options, connect, listen, poll() on a worker thread, and recvmsg() with its control messages.
 * The functions are bound lazily through libc.ts (which alone loads koffi); struct layouts are
 * those of 64-bit Linux (x86-64, aarch64): pointers and size_t are 8 bytes.
 */
import { MSG_DONTWAIT, SysError, check, ffi, libcFunctions, type ForeignFunction } from './libc.js';

export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const SOCK_NONBLOCK = 0o4000;
export const IPPROTO_IP = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_ICMPV6 = 58;
export const SO_REUSEADDR = 2;
export const SO_TIMESTAMPNS = 35; // SO_TIMESTAMPNS_OLD: cmsg SCM_TIMESTAMPNS with a 64-bit struct timespec
export const IP_TTL = 2;
export const IP_RECVTTL = 12;
export const IP_MTU_DISCOVER = 10;
export const IP_MTU = 14;
/** IP_MTU_DISCOVER and IPV6_MTU_DISCOVER take the same values */
export const IP_PMTUDISC_DONT = 0;
export const IP_PMTUDISC_DO = 2;
export const IPV6_MTU_DISCOVER = 23;
export const IPV6_MTU = 24;
export const SO_BINDTODEVICE = 25;
export const IPV6_V6ONLY = 26;
export const IPV6_RECVHOPLIMIT = 51;
export const IPV6_HOPLIMIT = 52;

const inetLib = libcFunctions({
  connect: 'int connect(int fd, void *addr, uint32_t addrlen)',
  listen: 'int listen(int fd, int backlog)',
  recvmsg: 'intptr_t recvmsg(int fd, void *msg, int flags)',
  poll: 'int poll(void *fds, unsigned long nfds, int timeout)',
  if_nametoindex: 'unsigned int if_nametoindex(const char *name)',
});

/** connect(); a non-blocking socket throws SysError EINPROGRESS while the connection is under way. */
export function connect(fd: number, addr: Buffer): void {
  check('connect', inetLib().connect(fd, addr, addr.length));
}
export function listen(fd: number, backlog: number): void {
  check('listen', inetLib().listen(fd, backlog));
}
/** The interface index of `name` in the calling thread's network namespace (0: no such interface). */
export function ifNameToIndex(name: string): number {
  return inetLib().if_nametoindex(name) as number;
}

/**
 * poll() on a koffi worker thread, so the event loop keeps running while it waits. Resolves with
 * the revents of each fd (all 0 on timeout, or when poll failed, e.g. EINTR: callers re-check
 * and poll again); a negative timeout waits without limit. The pollfd array lives in
 * koffi-allocated memory, freed when the call returns.
 * Closing an fd while a poll lists it is safe (poll holds its own reference to the file) but
 * does not end that poll: put an eventfd in the set and write to it to interrupt the wait.
 */
export function pollAsync(fds: ReadonlyArray<{ fd: number; events: number }>, timeoutMs: number): Promise<number[]> {
  const k = ffi();
  const mem = k.alloc('uint8_t', 8 * fds.length);
  const view = Buffer.from(k.view(mem, 8 * fds.length));
  fds.forEach((p, i) => {
    view.writeInt32LE(p.fd, 8 * i);
    view.writeInt16LE(p.events, 8 * i + 4);
    view.writeInt16LE(0, 8 * i + 6);
  });
  const poll = inetLib().poll as ForeignFunction & { async: ForeignFunction };
  return new Promise((resolve) => {
    poll.async(mem, fds.length, timeoutMs < 0 ? -1 : Math.min(0x7fffffff, Math.ceil(timeoutMs)), (err: unknown, n: number) => {
      const revents = fds.map((_, i) => (err || n <= 0 ? 0 : view.readInt16LE(8 * i + 6)));
      k.free(mem);
      resolve(revents);
    });
  });
}

/** One control message of recvmsg(). */
export interface Cmsg { level: number; type: number; data: Buffer }
export interface Received { n: number; flags: number; data: Buffer; from: Buffer; cmsgs: Cmsg[] }

/**
 * A reusable recvmsg() buffer: struct msghdr, one iovec, the source address and the control
 * buffer live in one block of koffi-allocated (stable, non-moving) memory whose pointers are
 * written once. Call free() when done.
 */
export class MsgBuffer {
  private static readonly NAME = 128;
  private static readonly CONTROL = 256;
  private readonly mem: unknown;
  private readonly view: Buffer;
  private freed = false;

  constructor(readonly dataSize = 65536) {
    const k = ffi();
    const size = 64 + 16 + MsgBuffer.NAME + MsgBuffer.CONTROL + dataSize;
    this.mem = k.alloc('uint8_t', size);
    this.view = Buffer.from(k.view(this.mem, size));
    const base = BigInt(k.address(this.mem));
    // msghdr: name@0 namelen@8 iov@16 iovlen@24 control@32 controllen@40 flags@48; iovec at 64
    this.view.writeBigUInt64LE(base + 80n, 0);
    this.view.writeBigUInt64LE(base + 64n, 16);
    this.view.writeBigUInt64LE(1n, 24);
    this.view.writeBigUInt64LE(base + 80n + BigInt(MsgBuffer.NAME), 32);
    this.view.writeBigUInt64LE(base + 80n + BigInt(MsgBuffer.NAME + MsgBuffer.CONTROL), 64);
  }

  /** recvmsg(fd, flags); with MSG_DONTWAIT returns null when nothing is queued (EAGAIN). */
  recv(fd: number, flags = MSG_DONTWAIT): Received | null {
    if (this.freed) throw new Error('MsgBuffer used after free()');
    const v = this.view;
    v.writeUInt32LE(MsgBuffer.NAME, 8);
    v.writeBigUInt64LE(BigInt(MsgBuffer.CONTROL), 40);
    v.writeInt32LE(0, 48);
    v.writeBigUInt64LE(BigInt(this.dataSize), 72);
    let n: number;
    try {
      n = check('recvmsg', inetLib().recvmsg(fd, this.mem, flags));
    } catch (e) {
      if (e instanceof SysError && e.code === 'EAGAIN') return null;
      throw e;
    }
    const nameStart = 80;
    const ctlStart = nameStart + MsgBuffer.NAME;
    const dataStart = ctlStart + MsgBuffer.CONTROL;
    const from = Buffer.from(v.subarray(nameStart, nameStart + v.readUInt32LE(8)));
    const ctlLen = Number(v.readBigUInt64LE(40));
    const cmsgs: Cmsg[] = [];
    // struct cmsghdr { size_t len; int level; int type; data... }, each aligned to 8 bytes
    for (let off = 0; off + 16 <= ctlLen; ) {
      const len = Number(v.readBigUInt64LE(ctlStart + off));
      if (len < 16 || off + len > ctlLen) break;
      cmsgs.push({
        level: v.readInt32LE(ctlStart + off + 8),
        type: v.readInt32LE(ctlStart + off + 12),
        data: Buffer.from(v.subarray(ctlStart + off + 16, ctlStart + off + len)),
      });
      off += (len + 7) & ~7;
    }
    const data = Buffer.from(v.subarray(dataStart, dataStart + Math.min(n, this.dataSize)));
    return { n, flags: v.readInt32LE(48), data, from, cmsgs };
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    ffi().free(this.mem);
  }
}
