/**
 * `spawn`: a program as the first process of new namespaces, as the classic clone() demo does.
 *
 * Node cannot make the mount or user namespace of a new process itself: it is multi-threaded,
 * and unshare(CLONE_NEWNS/CLONE_NEWUSER) refuses a threaded caller; a fork from node runs no code
 * of ours before exec. So the new process is started through util-linux's `unshare --fork`,
 * a small helper made for exactly this: it unshares, forks the program as PID 1 of the new PID
 * namespace, mounts its /proc, and waits. A hostname with spaces ("In Namespace") is written to
 * /proc/sys/kernel/hostname by `sh` inside the new UTS namespace before the program is exec'd.
 */
import * as fs from 'node:fs';
import { OpError, type SpawnSpec } from '../backend.js';
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
export function unshareArgv(s: SpawnSpec): string[] {
  const argv = ['unshare', ...s.flags.flatMap(f => FLAG[f]!)];
  // --fork: the program is PID 1 of the new PID namespace; --kill-child: ending unshare ends it
  argv.push('--fork', '--kill-child');
  if (s.flags.includes('pid') && s.flags.includes('mnt')) argv.push('--mount-proc');
  argv.push('--');
  if (s.hostname !== undefined) {
    argv.push('/bin/sh', '-c', 'printf %s "$0" > /proc/sys/kernel/hostname && exec "$@"', s.hostname);
  }
  return [...argv, ...s.argv];
}

/**
 * Once unshare has made the new namespaces (its own network namespace is no longer nsh's), pins
 * that namespace at /run/netns/NAME, so the lab can use it by name while the program lives. The
 * program, forked after the unshare(2) call, shares it.
 */
export async function pinWhenReady(unsharePid: number, name: string): Promise<void> {
  const deadline = Date.now() + 5000;
  const ours = fs.readlinkSync(`/proc/self/fd/${hostNetnsFd()}`);
  for (;;) {
    let theirs: string | undefined;
    try {
      theirs = fs.readlinkSync(`/proc/${unsharePid}/ns/net`);
    } catch {
      throw new OpError('the program of spawn ended before its namespace could be pinned');
    }
    if (theirs !== ours) {
      pinNetns(name, `/proc/${unsharePid}/ns/net`);
      return;
    }
    if (Date.now() > deadline) throw new OpError(`the program of spawn did not start in time to be pinned as ${JSON.stringify(name)}`);
    await new Promise(r => setTimeout(r, 2));
  }
}
