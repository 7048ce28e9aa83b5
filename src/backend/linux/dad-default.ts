/**
 * The one write that turns IPv6 duplicate address detection off for the links a new namespace
 * will hold (dad.ts says why), without the rest of the backend: the worker that makes
 * namespaces ahead (netns-pool-worker.ts) loads this alone.
 */
import * as fs from 'node:fs';

/** `default` of the namespace of the thread that opens it (/proc/sys/net/* files are per namespace). */
export const DEFAULT_ACCEPT_DAD = '/proc/sys/net/ipv6/conf/default/accept_dad';

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
