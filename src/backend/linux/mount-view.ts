/**
 * What `ip netns exec NAME` gives a program besides the network namespace, and so what `in NAME`
 * gives it: a mount namespace of its own (propagation slave: the host's later mounts reach it,
 * its own reach nobody) in which /sys is a sysfs mounted afresh inside the network namespace, so
 * /sys/class/net, ethtool and routing daemons see that namespace's links, and every entry of
 * /etc/netns/NAME is bind-mounted over the same name in /etc (/etc/netns/a/hosts over /etc/hosts).
 *
 * Node cannot make a mount namespace for a child itself: unshare(CLONE_NEWNS) refuses a threaded
 * caller, and a fork from node runs no code of nsh's before exec. So the program is started
 * through util-linux's `unshare --mount --propagation slave`, which execs a short `sh -c` that
 * mounts /sys and binds the files, then execs the program. Every name (the namespace's, each
 * file's, the program's words) reaches that shell as an argument, never as part of its code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NsRef } from '../backend.js';

export const ETC_NETNS = '/etc/netns';

/**
 * $1: sysfs mount options (ro or rw), $2: the mount's source name, $3: how many pairs follow,
 * then that many pairs FILE TARGET, then the program and its arguments.
 */
const SCRIPT = [
  'o=$1 s=$2 n=$3; shift 3',
  'mount -t sysfs -o "$o" "$s" /sys || { echo "nsh: cannot mount /sys for namespace $s" >&2; exit 125; }',
  'while [ "$n" -gt 0 ]; do',
  '  mount --bind "$1" "$2" || echo "nsh: cannot bind $1 over $2" >&2',
  '  shift 2; n=$((n - 1))',
  'done',
  'exec "$@"',
].join('\n');

/** Whether /sys is mounted read-only here (then the fresh one is too, as `ip netns exec` does). */
let sysReadOnly: boolean | undefined;
function sysOptions(): string {
  if (sysReadOnly === undefined) {
    sysReadOnly = false;
    try {
      for (const line of fs.readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
        const [, at, , opts] = line.split(' ');
        if (at === '/sys') sysReadOnly = (opts ?? '').split(',').includes('ro');
      }
    } catch {
      /* no /proc: rw */
    }
  }
  return sysReadOnly ? 'ro' : 'rw';
}

/** The pairs (file under /etc/netns/NAME, the /etc entry it covers), as `ip netns exec` binds them. */
export function etcBinds(name: string): [string, string][] {
  const dir = path.join(ETC_NETNS, name);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return entries.sort().map(e => [path.join(dir, e), path.join('/etc', e)]);
}

/**
 * The words to put before a program's own for it to see `ref`'s namespace as `ip netns exec` shows
 * it: /sys for any namespace other than nsh's own, and /etc/netns/NAME for a named one. None for
 * the host.
 */
export function mountView(ref: NsRef): string[] {
  if (ref.kind === 'name' && ref.name === 'host') return [];
  const name = ref.kind === 'name' ? ref.name : undefined;
  return ['unshare', '--mount', '--propagation', 'slave', '--', ...viewScript(name)];
}

/** `sh -c SCRIPT …` that mounts /sys (and binds /etc/netns/NAME when named), then execs what follows it. */
export function viewScript(name: string | undefined): string[] {
  const binds = name === undefined ? [] : etcBinds(name);
  return ['sh', '-c', SCRIPT, 'sh', sysOptions(), name ?? 'sysfs', String(binds.length), ...binds.flat()];
}

/**
 * What running `program` would fail with before it starts (as execvp looks it up on PATH):
 * ENOENT, EACCES, or undefined when it can be run. Through the launcher, a missing program would
 * only be a shell's complaint and an exit status.
 */
export function cannotRun(program: string, pathVar = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'): 'ENOENT' | 'EACCES' | undefined {
  const candidates = program.includes('/') ? [program] : pathVar.split(':').map(d => path.join(d || '.', program));
  let denied = false;
  for (const c of candidates) {
    let st: fs.Stats;
    try {
      st = fs.statSync(c);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      denied = true;
      continue;
    }
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return undefined;
    } catch {
      denied = true;
    }
  }
  return denied ? 'EACCES' : 'ENOENT';
}
