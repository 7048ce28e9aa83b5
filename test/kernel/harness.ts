/** Running bin/nsh inside the test sandbox, and reading the kernel's state back with iproute2. */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ip, ipJson } from '../linux/kernel-sandbox.js';

export { describeKernel, ip, ipJson } from '../linux/kernel-sandbox.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const nshBin = path.join(root, 'bin/nsh');

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function nsh(args: string[], opts: { input?: string; cwd?: string; timeoutMs?: number } = {}): Ran {
  const r = spawnSync(nshBin, args, {
    encoding: 'utf8',
    input: opts.input ?? '',
    cwd: opts.cwd ?? root,
    env: { ...process.env, NO_COLOR: '1' },
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** nsh in the background, for tests that kill or race it. */
export function nshAsync(args: string[]) {
  return spawn(nshBin, args, { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function netnsList(): string[] {
  return ipJson<{ name: string }[]>('netns', 'list').map(n => n.name).sort();
}

/** Links of the sandbox's own namespace besides lo. */
export function hostLinks(): string[] {
  return ipJson<{ ifname: string }[]>('link').map(l => l.ifname).filter(n => n !== 'lo');
}

export interface LinkState {
  ifname: string;
  kind?: string;
  up: boolean;
  mtu: number;
  master?: string;
  addrs: string[];
}

/** A namespace's links and addresses, normalised for comparison. */
export function linkStates(ns?: string): LinkState[] {
  const n = ns && ns !== 'host' ? ['-n', ns] : [];
  const links = ipJson<{ ifname: string; flags: string[]; mtu: number; master?: string; linkinfo?: { info_kind?: string } }[]>(...n, '-d', 'link');
  const addrs = ipJson<{ ifname: string; addr_info: { local: string; prefixlen: number; scope: string }[] }[]>(...n, 'addr');
  return links
    .map(l => ({
      ifname: l.ifname,
      ...(l.linkinfo?.info_kind ? { kind: l.linkinfo.info_kind } : {}),
      up: l.flags.includes('UP'),
      mtu: l.mtu,
      ...(l.master ? { master: l.master } : {}),
      addrs: (addrs.find(a => a.ifname === l.ifname)?.addr_info ?? [])
        .filter(a => a.scope !== 'link')
        .map(a => `${a.local}/${a.prefixlen}`)
        .sort(),
    }))
    .sort((a, b) => a.ifname.localeCompare(b.ifname));
}

export function routes(ns: string): string[] {
  const n = ns === 'host' ? [] : ['-n', ns];
  const all = [
    ...ipJson<{ dst: string; gateway?: string; dev?: string }[]>(...n, 'route'),
    ...ipJson<{ dst: string; gateway?: string; dev?: string }[]>(...n, '-6', 'route'),
  ];
  return all.filter(r => !r.dst.startsWith('fe80')).map(r => `${r.dst} via ${r.gateway ?? '-'} dev ${r.dev ?? '-'}`).sort();
}

/** The whole state of a lab: every namespace's links, addresses and routes. */
export function labState(namespaces: readonly string[]): Record<string, { links: LinkState[]; routes: string[] }> {
  const out: Record<string, { links: LinkState[]; routes: string[] }> = {};
  for (const ns of namespaces) out[ns] = { links: linkStates(ns), routes: routes(ns) };
  return out;
}

/** Nothing of nsh's is left: no namespaces, no links besides lo, no journal. */
export function assertClean(): void {
  assert.deepEqual(netnsList(), [], 'namespaces left behind');
  assert.deepEqual(hostLinks(), [], 'links left behind in the sandbox namespace');
  const labs = fs.existsSync('/run/nsh/labs') ? fs.readdirSync('/run/nsh/labs') : [];
  assert.deepEqual(labs, [], 'journals left behind');
}

/** Removes whatever a failed test left, so the next one starts clean. */
export function scrub(): void {
  nsh(['down', '--all']);
  for (const n of netnsList()) ip('netns', 'del', n);
  for (const l of hostLinks()) {
    try {
      ip('link', 'del', l);
    } catch {
      /* gone with its peer */
    }
  }
  fs.rmSync('/run/nsh/labs', { recursive: true, force: true });
}

export function writeScript(name: string, text: string): string {
  const dir = fs.mkdtempSync('/tmp/nsh-test-');
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}
