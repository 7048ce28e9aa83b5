/**
 * The one write that turns IPv6 duplicate address detection off for the links a new namespace
 * will hold (dad.ts says why), without the rest of the backend: the worker that makes
 * namespaces ahead (netns-pool-worker.ts) loads this alone.
 */
import * as fs from 'node:fs';
import { close, detachedMount } from './libc.js';

/** `default` of the namespace of the thread that opens it (/proc/sys/net/* files are per namespace). */
const DEFAULT_ACCEPT_DAD = 'sys/net/ipv6/conf/default/accept_dad';

/**
 * How many new namespaces look up their `default` through one procfs instance of nsh's own.
 * Every network namespace that has looked up /proc/sys/net leaves a dentry "net" under /proc/sys,
 * all of the same name under the same parent, so in one hash chain of the dentry cache, which
 * each lookup walks (a comparison each): through /proc/sys the lab's k-th namespace would pay
 * for the k − 1 before it (0.4 ms a write at a thousand namespaces). An instance mounted nowhere
 * (libc.ts detachedMount) has a /proc/sys of its own, and a new one every PROC_SPAN namespaces
 * keeps its chain short; making one costs about as much as ten lookups in it.
 */
const PROC_SPAN = 64;
/**
 * The first namespaces a thread makes (after releaseProc(), a run's) look up their `default`
 * through /proc itself: they lengthen its chain by as many, and a lab of one or a few namespaces
 * then makes no instance at all.
 */
const THROUGH_PROC = 4;
/** this thread's instance (undefined: none yet, null: the kernel makes none, /proc it is) */
let proc: number | null | undefined;
let served = 0;
/** namespaces that looked up their `default` through /proc since the thread's instance went */
let throughProc = 0;

/** The `default/accept_dad` file of the namespace this thread is in. */
function defaultAcceptDad(): string {
  if (proc === undefined && throughProc < THROUGH_PROC) {
    throughProc++;
    return `/proc/${DEFAULT_ACCEPT_DAD}`;
  }
  if (proc !== null && (proc === undefined || served === PROC_SPAN)) {
    if (proc !== undefined) close(proc);
    try {
      proc = detachedMount('proc');
      served = 0;
    } catch {
      proc = null; // (ENOSYS, EPERM in a user namespace that does not own its pid namespace …)
    }
  }
  if (proc === null) return `/proc/${DEFAULT_ACCEPT_DAD}`;
  served++;
  return `/proc/self/fd/${proc}/${DEFAULT_ACCEPT_DAD}`;
}

/** In a namespace just made, with this thread inside it: links made there from now on start without DAD. */
export function noDadByDefaultHere(): void {
  const file = defaultAcceptDad();
  if (proc === null) {
    writeZero(file);
    return;
  }
  try {
    if (writeZero(file)) return;
  } catch {
    // an instance that does not answer as /proc does: /proc it is from now on
    releaseProc();
    proc = null;
  }
  writeZero(`/proc/${DEFAULT_ACCEPT_DAD}`);
}

/** Writes 0 to a /proc/sys file; false when there is no such file (a kernel without IPv6, a link gone). */
export function writeZero(file: string): boolean {
  try {
    fs.writeFileSync(file, '0\n');
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Lets this thread's procfs instance go (a run's namespaces are made): the next new namespace makes another. */
export function releaseProc(): void {
  if (typeof proc === 'number') close(proc);
  if (proc !== null) proc = undefined;
  throughProc = 0;
}
