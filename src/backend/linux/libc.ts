/**
 * The few libc calls the Linux backend needs, through koffi (an FFI): namespaces, mounts, files,
 * netlink sockets and the socket calls every kind of socket shares. IP sockets (ping, nc) are in
 * libc-inet.ts, packet sockets and their ring in libc-packet.ts; both bind their functions
 * through this module, the only one that loads koffi. koffi is loaded on first
 * use only, so importing this module costs nothing on machines (or commands) that never touch
 * the kernel. Every wrapper throws a SysError on failure, with errno read right after the call
 * (koffi keeps the errno of the last foreign call; nothing runs in between on this thread).
 *
 * Buffers are passed as `void *`: koffi hands the Buffer's own memory to C for the duration of
 * the (synchronous) call, so recv() fills the Buffer in place.
 */
import { constants as osConstants } from 'node:os';
import { packageRequire } from './node-require.js';

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
export const SO_ERROR = 4;
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
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;

export const EFD_NONBLOCK = 0o4000;
export const EFD_CLOEXEC = 0o2000000;
export const CLOCK_REALTIME = 0;

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
  eventfd: Fn; clock_gettime: Fn;
}
let bound: Bound | undefined;

/**
 * Set by the build (scripts/build.mjs) for the bundle: koffi's native module for the platform it
 * ran on, relative to dist/chunks/, and koffi's version; undefined outside the bundle.
 */
declare const NSH_KOFFI_FILE: string | undefined;
declare const NSH_KOFFI_VERSION: string | undefined;

/**
 * koffi's native module. Its index.js would first load node:crypto, node:https and node:zlib (for
 * its installer: ~15 ms of nsh's start-up) and then this same file, adding only deprecated
 * aliases; so nsh loads the prebuilt file for this platform itself, checks it is the version of
 * koffi's package, and falls back on index.js for anything else (another platform, musl, a
 * different layout).
 */
function loadKoffi(): any {
  // The bundle: the file the build found, opened without resolving koffi's name (~1 ms: node's
  // resolution stats and realpaths the path, and reads nsh's and koffi's package.json); the
  // version it found stands in for reading koffi's package.json. Anything else: the way below.
  if (typeof NSH_KOFFI_FILE === 'string' && typeof NSH_KOFFI_VERSION === 'string' && typeof __dirname === 'string') {
    try {
      const m = { exports: {} as any };
      process.dlopen(m, `${__dirname}/${NSH_KOFFI_FILE}`);
      if (m.exports.version === NSH_KOFFI_VERSION && typeof m.exports.load === 'function') return m.exports;
    } catch {
      // moved, another platform: resolve it
    }
  }
  const require = packageRequire();
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
    eventfd: c.func('int eventfd(unsigned int initval, int flags)'),
    clock_gettime: c.func('int clock_gettime(int clk, void *ts)'),
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

/** More of libc's functions, bound on their first use (by libc-inet.ts and libc-packet.ts). */
export function libcFunctions<K extends string>(prototypes: Readonly<Record<K, string>>): () => Record<K, ForeignFunction> {
  let functions: Record<K, ForeignFunction> | undefined;
  return () => (functions ??= bindLibrary('libc.so.6', prototypes));
}

/** What libc-inet.ts and libc-packet.ts use of koffi itself: memory outside the JS heap, and errno. */
export interface Ffi {
  /** `count` bytes that the GC never moves (free them with free()). */
  alloc(type: 'uint8_t', count: number): unknown;
  free(ptr: unknown): void;
  /** The memory at a pointer, as an ArrayBuffer that copies nothing. */
  view(ptr: unknown, size: number): ArrayBuffer;
  address(ptr: unknown): bigint | number;
  /** The errno of the last foreign call on this thread. */
  errno(): number;
}
/** koffi, loaded on first use. */
export function ffi(): Ffi {
  return lib().koffi as Ffi;
}

/** A call's return value, or a SysError (with errno) when it is negative. */
export function check(syscall: string, r: number | bigint, path?: string): number {
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
/** fsopen / fsconfig / fsmount: numbered alike on every architecture (Linux 5.2 on); glibc wraps them only from 2.36. */
const SYS_FSOPEN = 430;
const SYS_FSCONFIG = 431;
const SYS_FSMOUNT = 432;
const FSOPEN_CLOEXEC = 1;
const FSCONFIG_CMD_CREATE = 6;
const FSMOUNT_CLOEXEC = 1;
const syscalls = libcFunctions({ syscall: 'long syscall(long nr, ...)' });

/**
 * A new instance of a filesystem (`proc`) mounted nowhere: an fd of its root, for paths through
 * /proc/self/fd/FD; it goes when the fd is closed. SysError where the kernel cannot (ENOSYS before
 * 5.2) or will not (EPERM) make one.
 */
export function detachedMount(fstype: string): number {
  const { syscall } = syscalls();
  const fc = check('fsopen', syscall(SYS_FSOPEN, 'const char *', fstype, 'unsigned int', FSOPEN_CLOEXEC));
  try {
    check('fsconfig', syscall(SYS_FSCONFIG, 'int', fc, 'unsigned int', FSCONFIG_CMD_CREATE, 'void *', null, 'void *', null, 'int', 0));
    return check('fsmount', syscall(SYS_FSMOUNT, 'int', fc, 'unsigned int', FSMOUNT_CLOEXEC, 'unsigned int', 0));
  } finally {
    close(fc);
  }
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
/** setsockopt() with an arbitrary option value (e.g. the 32-byte ICMP6_FILTER). */
export function setsockoptBuf(fd: number, level: number, name: number, value: Buffer): void {
  check('setsockopt', lib().setsockopt(fd, level, name, value, value.length));
}
/** getsockopt() into a buffer; returns the length the kernel wrote. */
export function getsockoptBuf(fd: number, level: number, name: number, value: Buffer): number {
  const len = [value.length];
  check('getsockopt', lib().getsockopt(fd, level, name, value, len));
  return len[0]!;
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
/** eventfd(0, flags): an fd that turns readable once anything is written to it. */
export function eventfd(flags = EFD_CLOEXEC | EFD_NONBLOCK): number {
  return check('eventfd', lib().eventfd(0, flags));
}
/** clock_gettime(CLOCK_REALTIME) in nanoseconds: the clock of SO_TIMESTAMPNS receive stamps. */
export function realtimeNs(): bigint {
  const ts = Buffer.alloc(16);
  check('clock_gettime', lib().clock_gettime(CLOCK_REALTIME, ts));
  return ts.readBigInt64LE(0) * 1_000_000_000n + ts.readBigInt64LE(8);
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

