/**
 * Reaching machines with OpenSSH: the user's own ssh, configuration and keys, never a password
 * (BatchMode), one connection per machine that every session to it reuses (ControlMaster, under a
 * directory of nsh's own that only root reads), and where a machine is as an address.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import * as fs from 'node:fs';
import { isIP } from 'node:net';

/** Where the connections' sockets live (ControlPath). */
export const CONTROL_DIR = '/run/nsh/ssh';

/** How long a connection stays open once its last session ended: a `nsh down` right after a run reuses it. */
const PERSIST = '60';

export interface SshTarget {
  readonly user?: string;
  readonly host: string;
  readonly port: number;
}

/** `[USER@]HOST` as the machine statement wrote it. */
export function targetText(t: SshTarget): string {
  return `${t.user === undefined ? '' : `${t.user}@`}${t.host}`;
}

/** The options of every ssh nsh runs, before the destination. */
export function sshOptions(t: SshTarget): string[] {
  return [
    '-T',
    '-o', 'BatchMode=yes',
    '-o', 'ControlMaster=auto',
    '-o', `ControlPath=${CONTROL_DIR}/%C`,
    '-o', `ControlPersist=${PERSIST}`,
    ...(t.port === 22 ? [] : ['-p', String(t.port)]),
    ...(t.user === undefined ? [] : ['-l', t.user]),
  ];
}

/** The control directory, made private. */
export function prepareControlDir(): void {
  fs.mkdirSync(CONTROL_DIR, { recursive: true, mode: 0o700 });
  fs.chmodSync(CONTROL_DIR, 0o700);
}

/** The argv of ssh running `command` (nsh's words: no quoting needed) on the machine. */
export function sshArgv(t: SshTarget, command: readonly string[]): string[] {
  return [...sshOptions(t), '--', t.host, ...command];
}

/**
 * The address of a machine as this machine reaches it: the host name ssh's configuration gives
 * (`ssh -G`: a Host alias may name another HostName), resolved.
 */
export async function resolveMachine(t: SshTarget): Promise<{ address: string; family: 4 | 6 }> {
  let host = t.host;
  if (!isIP(host)) {
    host = await new Promise<string>(resolve => {
      execFile('ssh', ['-G', ...(t.port === 22 ? [] : ['-p', String(t.port)]), t.host], { timeout: 10_000 }, (err, out) => {
        const m = err ? null : /^hostname (\S+)$/m.exec(out);
        resolve(m ? m[1]! : t.host);
      });
    });
  }
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return { address: bare, family: isIP(bare) === 6 ? 6 : 4 };
  const r = await lookup(bare);
  return { address: r.address, family: r.family === 6 ? 6 : 4 };
}

/** ssh's own words about why it could not connect: its last line on standard error. */
export function sshProblem(stderr: string): string {
  const lines = stderr.split('\n').map(l => l.trim()).filter(Boolean);
  const own = lines.filter(l => /^ssh:|Permission denied|Host key|host key|Connection|Could not|No route|timed out/i.test(l));
  return (own[own.length - 1] ?? lines[lines.length - 1] ?? 'ssh ended without a word').replace(/\.$/, '');
}

/** Logins started ahead (warmUpFor), by `[USER@]HOST:PORT`: each one's ssh, settled when it ended. */
const warming = new Map<string, { readonly ssh: ChildProcess; readonly ended: Promise<void> }>();
const warmKey = (t: SshTarget) => `${targetText(t)}:${t.port}`;

/** `machine NAME ssh [USER@]HOST [port N]` on a line of its own, its words written plainly. */
const PLAIN_MACHINE = /^[ \t]*machine[ \t]+[A-Za-z_][\w-]*[ \t]+ssh[ \t]+(?:([A-Za-z_][\w.-]*)@)?([\w.:[\]-]+)(?:[ \t]+port[ \t]+(\d+))?[ \t]*(?:#.*)?$/gm;

/**
 * Opens the connection to each machine a script's text declares plainly, while the script is
 * parsed and checked: the login, most of what starting a machine's part costs, is then under way
 * or over when the part starts, over the same connection (ControlMaster). It runs nothing there
 * (`true`); a machine it cannot reach is said when its part starts. Without the privileges to make
 * the control directory it does nothing (nsh says so next).
 */
export function warmUpFor(text: string): void {
  const targets = [...text.matchAll(PLAIN_MACHINE)].map(m => ({ host: m[2]!, port: m[3] === undefined ? 22 : Number(m[3]), ...(m[1] === undefined ? {} : { user: m[1] }) }));
  if (targets.length === 0) return;
  try {
    prepareControlDir();
  } catch {
    return;
  }
  for (const t of targets) {
    if (warming.has(warmKey(t))) continue;
    const ssh = spawn('ssh', sshArgv(t, ['true']), { stdio: 'ignore' });
    const ended = new Promise<void>(done => {
      ssh.once('exit', () => done());
      ssh.once('error', () => done());
    });
    ssh.unref(); // a script with errors ends at once, without waiting for it
    warming.set(warmKey(t), { ssh, ended });
  }
}

/** Settles when the login warmUpFor started to the machine, if any, ended. */
export function warmedUp(t: SshTarget): Promise<void> {
  const w = warming.get(warmKey(t));
  if (!w) return Promise.resolve();
  w.ssh.ref(); // waited for now: nsh lives until it ends
  return w.ended;
}
