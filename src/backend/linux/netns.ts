/**
 * Network (and UTS) namespace handles for the Linux backend.
 *
 * setns() and unshare(CLONE_NEWNET/CLONE_NEWUTS) act on the calling *thread*. Node runs all
 * JavaScript on one OS thread, so a synchronous block bracketed by setns(target) ... setns(back)
 * runs entirely inside the target namespace; nothing else can interleave because there is no
 * await inside. Every helper here restores the thread's namespaces in `finally`.
 *
 * Named namespaces are persisted exactly as `ip netns add` does (iproute2 ip/ipnetns.c,
 * netns_add): /run/netns is made a shared mount point (so an unmount there propagates to every
 * mount namespace that saw it), an empty file /run/netns/NAME is created, the thread unshares a
 * fresh network namespace and /proc/thread-self/ns/net is bind-mounted onto that file.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import {
  CLONE_NEWNET, CLONE_NEWUTS, MNT_DETACH, MS_BIND, MS_REC, MS_SHARED, O_CREAT, O_EXCL, O_RDONLY,
  SysError, close, mount, open, sethostname, setns, umount2, unlink, unshare,
} from './libc.js';

export const NETNS_RUN_DIR = '/run/netns';
export const UTS_RUN_DIR = '/run/nsh/uts';

const SELF_NET = '/proc/thread-self/ns/net';
const SELF_UTS = '/proc/thread-self/ns/uts';

// ---- the namespace nsh started in ("host") ----
let hostNetFd: number | undefined;
let hostUts: number | undefined;

/** An fd to the network namespace this process started in (opened once, kept open). */
export function hostNetnsFd(): number {
  hostNetFd ??= open(SELF_NET, O_RDONLY);
  return hostNetFd;
}
/** An fd to the UTS namespace this process started in (opened once, kept open). */
export function hostUtsFd(): number {
  hostUts ??= open(SELF_UTS, O_RDONLY);
  return hostUts;
}

// ---- running code inside a namespace ----

/**
 * Run fn with this thread inside the network namespace `fd`, then switch back. fn must be
 * synchronous (an await would let other code run in the wrong namespace).
 */
export function withNetns<T>(fd: number, fn: () => T): T {
  return withNamespaces({ net: fd }, fn);
}

/**
 * Like withNetns for network and/or UTS namespaces at once. Calls may nest. The namespace to
 * return to is tracked in JS (`current`), so no fd is opened per call; this assumes every
 * setns() of this thread goes through this module.
 */
export function withNamespaces<T>(fds: { net?: number; uts?: number }, fn: () => T): T {
  const prevNet = current.net ?? hostNetnsFd();
  const prevUts = current.uts ?? hostUtsFd();
  let enteredNet = false;
  let enteredUts = false;
  try {
    if (fds.net !== undefined) {
      setns(fds.net, CLONE_NEWNET);
      enteredNet = true;
      current.net = fds.net;
    }
    if (fds.uts !== undefined) {
      setns(fds.uts, CLONE_NEWUTS);
      enteredUts = true;
      current.uts = fds.uts;
    }
    const r = fn();
    if (r instanceof Promise) {
      throw new Error('withNamespaces: fn must be synchronous (it returned a Promise)');
    }
    return r;
  } finally {
    // Failing to return would leave every later operation of this process in the wrong
    // namespace: the error propagates (setns on a valid ns fd does not fail in practice).
    if (enteredUts) {
      setns(prevUts, CLONE_NEWUTS);
      current.uts = prevUts;
    }
    if (enteredNet) {
      setns(prevNet, CLONE_NEWNET);
      current.net = prevNet;
    }
  }
}

/** The namespaces this thread is in, as fds owned by callers up the stack (undefined: host). */
const current: { net?: number; uts?: number } = {};

// ---- the shared mount point that holds namespace files ----

/**
 * mkdir -p DIR, then make DIR a shared mount point: try `mount --make-rshared DIR`; if DIR is
 * not a mount point (EINVAL), bind-mount it onto itself first and retry, as ip netns add does.
 */
const prepared = new Set<string>();

function prepareRunDir(dir: string, mode: number): void {
  // once per process: a lab of a thousand namespaces need not remount it a thousand times (if
  // the directory goes meanwhile, creating a file in it fails with ENOENT and we come back here)
  if (prepared.has(dir)) return;
  mkdirSync(dir, { recursive: true, mode });
  let madeMount = false;
  for (;;) {
    try {
      mount('', dir, 'none', MS_SHARED | MS_REC);
      prepared.add(dir);
      return;
    } catch (e) {
      if (!(e instanceof SysError) || e.code !== 'EINVAL' || madeMount) throw e;
    }
    mount(dir, dir, 'none', MS_BIND | MS_REC);
    madeMount = true;
  }
}

export function nsPath(dir: string, name: string): string {
  if (!name || name.includes('/') || name === '.' || name === '..' || name.length > 255) {
    throw new Error(`invalid namespace name "${name}"`);
  }
  return `${dir}/${name}`;
}

/** Types for which this process has shown that it may setns() back (see createPinned). */
const mayReturn = new Set<number>();

/**
 * Create a new namespace of `type` on this thread (unshare), run `setup` inside it, and pin it by
 * bind-mounting /proc/thread-self/ns/KIND onto PATH (created empty with O_EXCL: EEXIST if the
 * name is taken). The thread always returns to the namespace it was in; on failure, the file and
 * mount are removed.
 */
function createPinned(path: string, type: number, selfPath: string, setup?: () => void): void {
  const back = type === CLONE_NEWNET ? (current.net ?? hostNetnsFd()) : (current.uts ?? hostUtsFd());
  if (!mayReturn.has(type)) {
    // Probe (once) that we may come back: setns() into our own namespace is a no-op, but needs
    // the same privilege as the way back (CAP_SYS_ADMIN over the user namespace owning it). In a
    // user namespace that did not also unshare this type (e.g. `unshare --user --net` and UTS)
    // it fails, and we must not strand the thread in the new namespace.
    setns(back, type);
    mayReturn.add(type);
  }
  createEmpty(path);
  let mounted = false;
  try {
    try {
      unshare(type);
      setup?.();
      mount(selfPath, path, 'none', MS_BIND);
      mounted = true;
    } finally {
      setns(back, type);
    }
  } catch (e) {
    if (mounted) tryUmount(path);
    tryUnlink(path);
    throw e;
  }
}

/** An empty file at PATH (SysError EEXIST if there is one); its directory is made again if it went. */
function createEmpty(path: string): void {
  try {
    close(open(path, O_RDONLY | O_CREAT | O_EXCL, 0));
  } catch (e) {
    if (!(e instanceof SysError) || e.code !== 'ENOENT') throw e;
    const dir = path.slice(0, path.lastIndexOf('/'));
    prepared.delete(dir);
    prepareRunDir(dir, dir === NETNS_RUN_DIR ? 0o755 : 0o700);
    close(open(path, O_RDONLY | O_CREAT | O_EXCL, 0));
  }
}

function tryUmount(path: string): void {
  try {
    umount2(path, MNT_DETACH);
  } catch {
    /* not mounted */
  }
}
function tryUnlink(path: string): void {
  try {
    unlink(path);
  } catch {
    /* already gone */
  }
}

/** Unmount (lazily, MNT_DETACH) and remove a pinned namespace file, as `ip netns del` does. */
function deletePinned(path: string): void {
  try {
    umount2(path, MNT_DETACH);
  } catch (e) {
    // ENOENT: no such name. EINVAL: a plain file, not a mount point; remove it anyway.
    if (!(e instanceof SysError) || e.code !== 'EINVAL') throw e;
  }
  unlink(path);
}

// ---- named network namespaces (/run/netns/NAME) ----

/**
 * `ip netns add NAME`: a new, persistent network namespace. SysError EEXIST if it exists.
 * `inside` runs in the new namespace before the thread returns (to open sockets there). Returns
 * an fd of the namespace, opened while inside, which the caller keeps (handles.ts).
 */
export function createNamedNetns(name: string, inside?: () => void): number {
  const path = nsPath(NETNS_RUN_DIR, name);
  prepareRunDir(NETNS_RUN_DIR, 0o755);
  let fd: number | undefined;
  try {
    createPinned(path, CLONE_NEWNET, SELF_NET, () => {
      fd = open(SELF_NET, O_RDONLY);
      inside?.();
    });
  } catch (e) {
    if (fd !== undefined) close(fd);
    throw e;
  }
  return fd!;
}

/**
 * `ip netns add NAME` for a namespace made already (unnamed, held by `fd`): pinned by a bind
 * mount of the fd. SysError EEXIST if the name is taken. The caller keeps `fd` (handles.ts).
 */
export function nameNetns(name: string, fd: number): void {
  pinNetns(name, `/proc/self/fd/${fd}`);
}

/** `ip netns del NAME` (the caller first closes what it holds open of it). SysError ENOENT if there is no such namespace. */
export function deleteNamedNetns(name: string): void {
  deletePinned(nsPath(NETNS_RUN_DIR, name));
}

/** `ip netns attach NAME PID`-like: pin an existing namespace file (e.g. /proc/PID/ns/net) as NAME. */
export function pinNetns(name: string, source: string): void {
  const path = nsPath(NETNS_RUN_DIR, name);
  prepareRunDir(NETNS_RUN_DIR, 0o755);
  createEmpty(path);
  try {
    mount(source, path, 'none', MS_BIND);
  } catch (e) {
    tryUnlink(path);
    throw e;
  }
}

/** Names under /run/netns (as `ip netns list` shows them, unordered). */
export function listNamedNetns(): string[] {
  return existsSync(NETNS_RUN_DIR) ? readdirSync(NETNS_RUN_DIR) : [];
}

export function namedNetnsExists(name: string): boolean {
  return existsSync(nsPath(NETNS_RUN_DIR, name));
}

// ---- named UTS namespaces (/run/nsh/uts/NAME) ----

/** A new persistent UTS namespace with `hostname`, pinned at /run/nsh/uts/NAME. */
export function createNamedUts(name: string, hostname: string): void {
  const path = nsPath(UTS_RUN_DIR, name);
  mkdirSync('/run/nsh', { recursive: true, mode: 0o700 });
  prepareRunDir(UTS_RUN_DIR, 0o700);
  createPinned(path, CLONE_NEWUTS, SELF_UTS, () => sethostname(hostname));
}

export function deleteNamedUts(name: string): void {
  deletePinned(nsPath(UTS_RUN_DIR, name));
}

export function namedUtsExists(name: string): boolean {
  return existsSync(nsPath(UTS_RUN_DIR, name));
}

// ---- opening namespace references ----

export type NetnsRef =
  | { kind: 'host' }
  | { kind: 'name'; name: string }
  | { kind: 'pid'; pid: number }
  | { kind: 'path'; path: string };

/**
 * A new fd (O_CLOEXEC) for the network namespace behind ref; the caller closes it. `host` is a
 * dup of the namespace nsh started in (opened via /proc/self/fd so the kept fd is never closed).
 */
export function openNetns(ref: NetnsRef): number {
  switch (ref.kind) {
    case 'host':
      return open(`/proc/self/fd/${hostNetnsFd()}`, O_RDONLY);
    case 'name':
      return open(nsPath(NETNS_RUN_DIR, ref.name), O_RDONLY);
    case 'pid':
      return open(`/proc/${ref.pid}/ns/net`, O_RDONLY);
    case 'path':
      return open(ref.path, O_RDONLY);
  }
}
