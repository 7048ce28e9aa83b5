/**
 * The few libc calls the Linux backend needs, through koffi (an FFI). koffi is loaded on first
 * use only, so importing this module costs nothing on machines (or commands) that never touch
 * the kernel. Every wrapper throws a SysError on failure, with errno read right after the call
 * (koffi keeps the errno of the last foreign call; nothing runs in between on this thread).
 *
 * Buffers are passed as `void *`: koffi hands the Buffer's own memory to C for the duration of
 * the (synchronous) call, so recv() fills the Buffer in place.
 */
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';

// ---- constants (x86-64 / aarch64 Linux values; identical on both) ----
export const CLONE_NEWNS = 0x00020000;
export const CLONE_NEWUTS = 0x04000000;
export const CLONE_NEWIPC = 0x08000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;

export const MS_RDONLY = 0x1;
export const MS_BIND = 0x1000;
export const MS_REC = 0x4000;
export const MS_PRIVATE = 1 << 18;
export const MS_SLAVE = 1 << 19;
export const MS_SHARED = 1 << 20;
export const MNT_DETACH = 2;

export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_DIRECTORY = 0o200000;
export const O_CLOEXEC = 0o2000000;

export const AF_NETLINK = 16;
export const NETLINK_ROUTE = 0;
export const SOCK_RAW = 3;
export const SOCK_DGRAM = 2;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_SNDBUFFORCE = 32;
export const SO_RCVBUFFORCE = 33;
export const SOL_NETLINK = 270;
export const NETLINK_CAP_ACK = 10;
export const NETLINK_EXT_ACK = 11;
export const NETLINK_GET_STRICT_CHK = 12;

export const MSG_PEEK = 0x2;
export const MSG_TRUNC = 0x20;
export const MSG_DONTWAIT = 0x40;

export const POLLIN = 0x1;

export const F_GETFD = 1;
export const F_SETFD = 2;
export const FD_CLOEXEC = 1;

// ---- errors ----
const errnoNames = new Map<number, string>();
for (const [name, num] of Object.entries(osConstants.errno)) {
  if (!errnoNames.has(num)) errnoNames.set(num, name);
}

/** The name of an errno value ('EEXIST'), or 'E' + number when unknown. */
export function errnoCode(errno: number): string {
  return errnoNames.get(errno) ?? `E${errno}`;
}

export class SysError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly syscall: string;
  readonly path: string | undefined;
  constructor(syscall: string, errno: number, path?: string) {
    const code = errnoCode(errno);
    super(`${syscall}${path === undefined ? '' : ` ${path}`}: ${code} (${strerrorText(errno)})`);
    this.name = 'SysError';
    this.errno = errno;
    this.code = code;
    this.syscall = syscall;
    this.path = path;
  }
}

const ERRNO_TEXT: Record<string, string> = {
  EPERM: 'Operation not permitted', ENOENT: 'No such file or directory', EEXIST: 'File exists',
  EINVAL: 'Invalid argument', EBUSY: 'Device or resource busy', EACCES: 'Permission denied',
  ENODEV: 'No such device', EBADF: 'Bad file descriptor', EAGAIN: 'Resource temporarily unavailable',
  ENOBUFS: 'No buffer space available', EOPNOTSUPP: 'Operation not supported',
  ENETUNREACH: 'Network is unreachable', EADDRNOTAVAIL: 'Cannot assign requested address',
  ESRCH: 'No such process', ENOTDIR: 'Not a directory', ERANGE: 'Numerical result out of range',
};
/** A short English description of an errno value, as strerror() gives it. */
export function strerrorText(errno: number): string {
  return ERRNO_TEXT[errnoCode(errno)] ?? `errno ${errno}`;
}

// ---- the lazily bound functions ----
/* eslint-disable @typescript-eslint/no-explicit-any */
type Fn = (...args: any[]) => any;
/** A C function bound through koffi. */
export type ForeignFunction = Fn;
interface Bound {
  koffi: any;
  open: Fn; close: Fn; setns: Fn; unshare: Fn; mount: Fn; umount2: Fn; socket: Fn; bind: Fn;
  send: Fn; sendto: Fn; recv: Fn; recvfrom: Fn; setsockopt: Fn; getsockopt: Fn; getpid: Fn; gettid: Fn;
  sethostname: Fn; gethostname: Fn; fcntl: Fn; poll: Fn; getsockname: Fn; unlink: Fn; mkdir: Fn;
}
let bound: Bound | undefined;

/**
 * koffi's native module. Its index.js would first load node:crypto, node:https and node:zlib (for
 * its installer: ~15 ms of nsh's start-up) and then this same file, adding only deprecated
 * aliases; so nsh loads the prebuilt file for this platform itself, checks it is the version of
 * koffi's package, and falls back on index.js for anything else (another platform, musl, a
 * different layout).
 */
function loadKoffi(): any {
  const require = createRequire(import.meta.url);
  try {
    const native = require(`koffi/build/koffi/${process.platform}_${process.arch}/koffi.node`);
    if (native.version === require('koffi/package.json').version && typeof native.load === 'function') return native;
  } catch {
    // not there: koffi's own loader knows the other layouts
  }
  return require('koffi');
}

function lib(): Bound {
  if (bound) return bound;
  const koffi = loadKoffi();
  const c = koffi.load('libc.so.6');
  bound = {
    koffi,
    open: c.func('int open(const char *path, int flags, uint32_t mode)'),
    close: c.func('int close(int fd)'),
    setns: c.func('int setns(int fd, int nstype)'),
    unshare: c.func('int unshare(int flags)'),
    mount: c.func('int mount(const char *src, const char *target, const char *fstype, unsigned long flags, const char *data)'),
    umount2: c.func('int umount2(const char *target, int flags)'),
    socket: c.func('int socket(int domain, int type, int protocol)'),
    bind: c.func('int bind(int fd, void *addr, uint32_t addrlen)'),
    send: c.func('intptr_t send(int fd, void *buf, size_t len, int flags)'),
    sendto: c.func('intptr_t sendto(int fd, void *buf, size_t len, int flags, void *addr, uint32_t addrlen)'),
    recv: c.func('intptr_t recv(int fd, void *buf, size_t len, int flags)'),
    recvfrom: c.func('intptr_t recvfrom(int fd, void *buf, size_t len, int flags, void *addr, _Inout_ uint32_t *addrlen)'),
    setsockopt: c.func('int setsockopt(int fd, int level, int name, void *val, uint32_t len)'),
    getsockopt: c.func('int getsockopt(int fd, int level, int name, void *val, _Inout_ uint32_t *len)'),
    getsockname: c.func('int getsockname(int fd, void *addr, _Inout_ uint32_t *len)'),
    getpid: c.func('int getpid()'),
    gettid: c.func('int gettid()'),
    sethostname: c.func('int sethostname(const char *name, size_t len)'),
    gethostname: c.func('int gethostname(void *name, size_t len)'),
    fcntl: c.func('int fcntl(int fd, int cmd, int arg)'),
    poll: c.func('int poll(void *fds, unsigned long nfds, int timeout)'),
    unlink: c.func('int unlink(const char *path)'),
    mkdir: c.func('int mkdir(const char *path, uint32_t mode)'),
  };
  return bound;
}

/**
 * Functions of another shared library, bound through koffi (which only this file loads): each
 * entry is the function's C prototype (`int f(void *ctx, const char *s)`; `void *` passes opaque
 * pointers through, `const char *` returns come back as strings). Throws when the library cannot
 * be loaded or lacks a function.
 */
export function bindLibrary<K extends string>(file: string, prototypes: Readonly<Record<K, string>>): Record<K, ForeignFunction> {
  const l = lib().koffi.load(file);
  const bound = {} as Record<K, ForeignFunction>;
  for (const name of Object.keys(prototypes) as K[]) bound[name] = l.func(prototypes[name]);
  return bound;
}

function check(syscall: string, r: number | bigint, path?: string): number {
  const n = Number(r);
  if (n < 0) throw new SysError(syscall, lib().koffi.errno() as number, path);
  return n;
}

// ---- wrappers ----
export function open(path: string, flags: number, mode = 0): number {
  return check('open', lib().open(path, flags | O_CLOEXEC, mode), path);
}
export function close(fd: number): void {
  check('close', lib().close(fd));
}
export function setns(fd: number, nstype: number): void {
  check('setns', lib().setns(fd, nstype));
}
export function unshare(flags: number): void {
  check('unshare', lib().unshare(flags));
}
export function mount(src: string | null, target: string, fstype: string | null, flags: number, data: string | null = null): void {
  check('mount', lib().mount(src, target, fstype, flags, data), target);
}
export function umount2(target: string, flags: number): void {
  check('umount2', lib().umount2(target, flags), target);
}
export function unlink(path: string): void {
  check('unlink', lib().unlink(path), path);
}
export function mkdir(path: string, mode: number): void {
  check('mkdir', lib().mkdir(path, mode), path);
}
export function socket(domain: number, type: number, protocol: number): number {
  return check('socket', lib().socket(domain, type | SOCK_CLOEXEC, protocol));
}
/** struct sockaddr_nl: family(u16) pad(u16) pid(u32) groups(u32). */
export function sockaddrNl(pid = 0, groups = 0): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16LE(AF_NETLINK, 0);
  b.writeUInt32LE(pid, 4);
  b.writeUInt32LE(groups, 8);
  return b;
}
export function bind(fd: number, addr: Buffer): void {
  check('bind', lib().bind(fd, addr, addr.length));
}
export function getsockname(fd: number, size = 128): Buffer {
  const b = Buffer.alloc(size);
  const len = [size];
  check('getsockname', lib().getsockname(fd, b, len));
  return b.subarray(0, len[0]);
}
export function send(fd: number, buf: Buffer, flags = 0): number {
  return check('send', lib().send(fd, buf, buf.length, flags));
}
export function sendto(fd: number, buf: Buffer, flags: number, addr: Buffer | null): number {
  return check('sendto', lib().sendto(fd, buf, buf.length, flags, addr, addr ? addr.length : 0));
}
/** recv into buf; returns the byte count (with MSG_TRUNC: the datagram's real length). */
export function recv(fd: number, buf: Buffer, flags = 0): number {
  return check('recv', lib().recv(fd, buf, buf.length, flags));
}
/** recv with MSG_DONTWAIT: returns null instead of throwing EAGAIN when nothing is queued. */
export function recvNonBlocking(fd: number, buf: Buffer, flags = 0): number | null {
  try {
    return recv(fd, buf, flags | MSG_DONTWAIT);
  } catch (e) {
    if (e instanceof SysError && e.code === 'EAGAIN') return null;
    throw e;
  }
}
export function recvfrom(fd: number, buf: Buffer, flags = 0): { n: number; from: Buffer } {
  const from = Buffer.alloc(128);
  const len = [from.length];
  const n = check('recvfrom', lib().recvfrom(fd, buf, buf.length, flags, from, len));
  return { n, from: from.subarray(0, len[0]) };
}
export function setsockoptInt(fd: number, level: number, name: number, value: number): void {
  const b = Buffer.alloc(4);
  b.writeInt32LE(value, 0);
  check('setsockopt', lib().setsockopt(fd, level, name, b, 4));
}
export function getsockoptInt(fd: number, level: number, name: number): number {
  const b = Buffer.alloc(4);
  const len = [4];
  check('getsockopt', lib().getsockopt(fd, level, name, b, len));
  return b.readInt32LE(0);
}
export function fcntl(fd: number, cmd: number, arg = 0): number {
  return check('fcntl', lib().fcntl(fd, cmd, arg));
}
/** poll() one fd; returns revents (0 on timeout). */
export function pollOne(fd: number, events: number, timeoutMs: number): number {
  const b = Buffer.alloc(8); // struct pollfd { int fd; short events; short revents; }
  b.writeInt32LE(fd, 0);
  b.writeInt16LE(events, 4);
  const n = check('poll', lib().poll(b, 1, timeoutMs));
  return n === 0 ? 0 : b.readInt16LE(6);
}
export function getpid(): number {
  return lib().getpid() as number;
}
export function gettid(): number {
  return lib().gettid() as number;
}
export function sethostname(name: string): void {
  check('sethostname', lib().sethostname(name, Buffer.byteLength(name)));
}
export function gethostname(): string {
  const b = Buffer.alloc(257);
  check('gethostname', lib().gethostname(b, b.length));
  const end = b.indexOf(0);
  return b.toString('utf8', 0, end < 0 ? b.length : end);
}

// ---- sockets for ping and nc (appended; bound lazily, separately from lib()) ----
// struct layouts below are those of 64-bit Linux (x86-64, aarch64): pointers and size_t are 8 bytes.

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
export const SO_ERROR = 4;
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
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const EFD_NONBLOCK = 0o4000;
export const EFD_CLOEXEC = 0o2000000;
export const CLOCK_REALTIME = 0;

interface SockBound {
  connect: Fn; listen: Fn; eventfd: Fn; recvmsg: Fn; poll: Fn & { async: Fn }; clock_gettime: Fn; if_nametoindex: Fn;
}
let sockBound: SockBound | undefined;
function sockLib(): SockBound {
  if (sockBound) return sockBound;
  const c = lib().koffi.load('libc.so.6');
  sockBound = {
    connect: c.func('int connect(int fd, void *addr, uint32_t addrlen)'),
    listen: c.func('int listen(int fd, int backlog)'),
    eventfd: c.func('int eventfd(unsigned int initval, int flags)'),
    recvmsg: c.func('intptr_t recvmsg(int fd, void *msg, int flags)'),
    poll: c.func('int poll(void *fds, unsigned long nfds, int timeout)'),
    clock_gettime: c.func('int clock_gettime(int clk, void *ts)'),
    if_nametoindex: c.func('unsigned int if_nametoindex(const char *name)'),
  };
  return sockBound;
}

/** connect(); a non-blocking socket throws SysError EINPROGRESS while the connection is under way. */
export function connect(fd: number, addr: Buffer): void {
  check('connect', sockLib().connect(fd, addr, addr.length));
}
export function listen(fd: number, backlog: number): void {
  check('listen', sockLib().listen(fd, backlog));
}
/** eventfd(0, flags): an fd that turns readable once anything is written to it. */
export function eventfd(flags = EFD_CLOEXEC | EFD_NONBLOCK): number {
  return check('eventfd', sockLib().eventfd(0, flags));
}
/** The interface index of `name` in the calling thread's network namespace (0: no such interface). */
export function ifNameToIndex(name: string): number {
  return sockLib().if_nametoindex(name) as number;
}
/** clock_gettime(CLOCK_REALTIME) in nanoseconds: the clock of SO_TIMESTAMPNS receive stamps. */
export function realtimeNs(): bigint {
  const ts = Buffer.alloc(16);
  check('clock_gettime', sockLib().clock_gettime(CLOCK_REALTIME, ts));
  return ts.readBigInt64LE(0) * 1_000_000_000n + ts.readBigInt64LE(8);
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
  const k = lib().koffi;
  const mem = k.alloc('uint8_t', 8 * fds.length);
  const view = Buffer.from(k.view(mem, 8 * fds.length) as ArrayBuffer);
  fds.forEach((p, i) => {
    view.writeInt32LE(p.fd, 8 * i);
    view.writeInt16LE(p.events, 8 * i + 4);
    view.writeInt16LE(0, 8 * i + 6);
  });
  return new Promise((resolve) => {
    sockLib().poll.async(mem, fds.length, timeoutMs < 0 ? -1 : Math.min(0x7fffffff, Math.ceil(timeoutMs)), (err: unknown, n: number) => {
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
    const k = lib().koffi;
    const size = 64 + 16 + MsgBuffer.NAME + MsgBuffer.CONTROL + dataSize;
    this.mem = k.alloc('uint8_t', size);
    this.view = Buffer.from(k.view(this.mem, size) as ArrayBuffer);
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
      n = check('recvmsg', sockLib().recvmsg(fd, this.mem, flags));
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
    lib().koffi.free(this.mem);
  }
}

/** setsockopt() with an arbitrary option value (e.g. the 32-byte ICMP6_FILTER). */
export function setsockoptBuf(fd: number, level: number, name: number, value: Buffer): void {
  check('setsockopt', lib().setsockopt(fd, level, name, value, value.length));
}

// ---- packet capture: AF_PACKET sockets and their mmap()ed ring (appended; bound lazily) ----

export const AF_PACKET = 17;
export const ETH_P_ALL = 0x0003;
export const SOL_PACKET = 263;
export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;
export const MAP_SHARED = 0x1;

interface PacketBound {
  mmap: Fn; munmap: Fn; writev: Fn;
}
let packetBound: PacketBound | undefined;
function packetLib(): PacketBound {
  if (packetBound) return packetBound;
  const c = lib().koffi.load('libc.so.6');
  packetBound = {
    mmap: c.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, int64_t off)'),
    munmap: c.func('int munmap(void *addr, size_t len)'),
    writev: c.func('intptr_t writev(int fd, void *iov, int iovcnt)'),
  };
  return packetBound;
}

/** Memory outside the JS heap: its address (for iovecs), and a view of it that copies nothing. */
export interface Mapped {
  readonly ptr: unknown;
  readonly address: number;
  readonly size: number;
  readonly buffer: ArrayBuffer;
}

/** mmap(NULL, size, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0): a packet socket's ring. */
export function mmapShared(fd: number, size: number): Mapped {
  const k = lib().koffi;
  const ptr = packetLib().mmap(null, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const address = ptr === null ? -1n : BigInt(k.address(ptr));
  if (address === -1n || address === 0xffffffffffffffffn) throw new SysError('mmap', k.errno() as number);
  return { ptr, address: Number(address), size, buffer: k.view(ptr, size) as ArrayBuffer };
}
export function munmap(m: Mapped): void {
  check('munmap', packetLib().munmap(m.ptr, m.size));
}
/** koffi-allocated memory (stable, never moved by the GC); free it with freeMapped. */
export function allocStable(size: number): Mapped {
  const k = lib().koffi;
  const ptr = k.alloc('uint8_t', size);
  return { ptr, address: Number(BigInt(k.address(ptr))), size, buffer: k.view(ptr, size) as ArrayBuffer };
}
export function freeStable(m: Mapped): void {
  lib().koffi.free(m.ptr);
}
/** writev(fd, iov, count) with the iovec array in stable memory; returns the bytes written. */
export function writev(fd: number, iov: Mapped, count: number): number {
  return check('writev', packetLib().writev(fd, iov.ptr, count));
}
/** getsockopt() into a buffer; returns the length the kernel wrote. */
export function getsockoptBuf(fd: number, level: number, name: number, value: Buffer): number {
  const len = [value.length];
  check('getsockopt', lib().getsockopt(fd, level, name, value, len));
  return len[0]!;
}
/** poll() several fds, blocking the calling thread (a worker's); revents per fd, all 0 on timeout or EINTR. */
export function pollSync(fds: ReadonlyArray<{ fd: number; events: number }>, timeoutMs: number): number[] {
  const b = Buffer.alloc(8 * fds.length);
  fds.forEach((p, i) => {
    b.writeInt32LE(p.fd, 8 * i);
    b.writeInt16LE(p.events, 8 * i + 4);
  });
  const n = Number(lib().poll(b, fds.length, timeoutMs < 0 ? -1 : Math.min(0x7fffffff, Math.ceil(timeoutMs))));
  return fds.map((_, i) => (n <= 0 ? 0 : b.readInt16LE(8 * i + 6)));
}
