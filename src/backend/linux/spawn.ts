/**
 * `spawn`: a program as the first process of new namespaces, as the classic clone() demo does.
 *
 * Node cannot make the mount or user namespace of a new process itself: it is multi-threaded,
 * and unshare(CLONE_NEWNS/CLONE_NEWUSER) refuses a threaded caller; a fork from node runs no code
 * of ours before exec. So the new process is started through util-linux's `unshare --fork`,
 * a small helper made for exactly this: it unshares, forks the program as PID 1 of the new PID
 * namespace, mounts its /proc, and waits. A hostname with spaces ("In Namespace") is written to
 * /proc/sys/kernel/hostname by `sh` inside the new UTS namespace before the program is exec'd.
 * A new network namespace's program sees that namespace's /sys, as `in` gives it (mount-view.ts).
 */
import * as fs from 'node:fs';
import { OpError, plainText, type SpawnOp } from '../backend.js';
import { viewScript } from './mount-view.js';
import { hostNetnsFd, pinNetns } from './netns.js';

const FLAG: Record<string, string[]> = {
  uts: ['--uts'],
  ipc: ['--ipc'],
  pid: ['--pid'],
  mnt: ['--mount'],
  net: ['--net'],
  user: ['--user', '--map-root-user'],
};

/** The command line that starts `s` through unshare. */
export function unshareArgv(s: SpawnOp): string[] {
  const argv = ['unshare', ...s.flags.flatMap(f => FLAG[f]!)];
  // a new network namespace gets its own /sys (and /etc/netns/NAME with `as NAME`), as `in` does
  // (mount-view.ts): in a mount namespace of its own, propagation slave unless mnt asked for one
  const net = s.flags.includes('net');
  if (net && !s.flags.includes('mnt')) argv.push('--mount', '--propagation', 'slave');
  // --fork: the program is PID 1 of the new PID namespace; --kill-child: ending unshare ends it
  argv.push('--fork', '--kill-child');
  if (s.flags.includes('pid') && s.flags.includes('mnt')) argv.push('--mount-proc');
  argv.push('--');
  if (s.hostname !== undefined) {
    argv.push('/bin/sh', '-c', 'printf %s "$0" > /proc/sys/kernel/hostname && exec "$@"', s.hostname);
  }
  if (net) argv.push(...viewScript(s.as));
  return [...argv, ...s.argv.map(plainText)];
}

/** The /proc/PID/ns entry that shows a spawn flag's new namespace (a new PID namespace is for children). */
const ENTRY: Record<string, string> = { uts: 'uts', ipc: 'ipc', pid: 'pid_for_children', mnt: 'mnt', net: 'net', user: 'user' };

/**
 * Waits until unshare has made every namespace of `flags` (its own namespaces are no longer
 * nsh's), so that `$!`, `info pid $!` or a pin right after the statement see the new ones. The
 * program, forked after the unshare(2) call, shares them.
 */
export async function whenUnshared(unsharePid: number, flags: readonly string[]): Promise<void> {
  const deadline = Date.now() + 5000;
  const ours = (entry: string) => fs.readlinkSync(entry === 'net' ? `/proc/self/fd/${hostNetnsFd()}` : `/proc/self/ns/${entry}`);
  const entries = flags.map(f => ENTRY[f]!);
  const mine = new Map(entries.map(e => [e, ours(e)]));
  for (;;) {
    let made: boolean;
    try {
      made = entries.every(e => fs.readlinkSync(`/proc/${unsharePid}/ns/${e}`) !== mine.get(e));
    } catch {
      throw new OpError('the program of spawn ended before its namespaces were made');
    }
    if (made) return;
    if (Date.now() > deadline) throw new OpError('the program of spawn did not start in time');
    await new Promise(r => setTimeout(r, 2));
  }
}

/** Pins the network namespace of a spawned program at /run/netns/NAME, once it exists. */
export async function pinWhenReady(unsharePid: number, name: string): Promise<void> {
  await whenUnshared(unsharePid, ['net']);
  pinNetns(name, `/proc/${unsharePid}/ns/net`);
}
