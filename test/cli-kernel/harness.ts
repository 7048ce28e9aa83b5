/** Running bin/nsh inside the test sandbox, and reading the kernel's state back with iproute2. */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ip, ipJson } from '../backend-linux/kernel-sandbox.js';

export { describeKernel, ip, ipJson } from '../backend-linux/kernel-sandbox.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const nshBin = path.join(root, 'bin/nsh');

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs bin/nsh to its end. Its output goes to files, not pipes: a background job the lab leaves
 * running (`in a sleep 300 &`) inherits nsh's stdout and stderr, and a pipe would stay open
 * until that job ends. After `timeoutMs` nsh is killed (SIGKILL: a hung run may not act on
 * SIGTERM) and `stderr` ends with a line saying so.
 */
export function nsh(args: string[], opts: { input?: string; cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Ran {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return withOutputFiles((out, err) => {
    const r = spawnSync(nshBin, args, {
      input: opts.input ?? '',
      stdio: ['pipe', out, err],
      cwd: opts.cwd ?? root,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    return { code: timedOut ? null : r.status, note: timedOut ? `\n[test harness: nsh ${args.join(' ')} killed after ${timeoutMs} ms]\n` : '' };
  });
}

/** Calls `run` with two fresh files for stdout and stderr, and reads them back afterwards. */
function withOutputFiles(run: (out: number, err: number) => { code: number | null; note: string }): Ran {
  const dir = fs.mkdtempSync('/tmp/nsh-out-');
  const out = fs.openSync(path.join(dir, 'stdout'), 'w+');
  const err = fs.openSync(path.join(dir, 'stderr'), 'w+');
  try {
    const { code, note } = run(out, err);
    return { code, stdout: fs.readFileSync(path.join(dir, 'stdout'), 'utf8'), stderr: fs.readFileSync(path.join(dir, 'stderr'), 'utf8') + note };
  } finally {
    fs.closeSync(out);
    fs.closeSync(err);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface TimedRun extends Ran {
  readonly signal: NodeJS.Signals | null;
  /** Set when nsh ran past its time: what the sandbox looked like then (processes, journals). */
  readonly hung?: string;
}

/**
 * Starts bin/nsh in the background; `result` settles when it exits (not when its output pipes
 * close: its output goes to files, see nsh()). Past `timeoutMs` the run counts as hung: the
 * processes of the sandbox and the journals are recorded, nsh gets SIGINT (so it names the
 * statement it was in: "FILE:LINE:COL: error: interrupted") and SIGKILL 5 s later if it is
 * still there.
 */
export function startNsh(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): { child: ChildProcess; result: Promise<TimedRun> } {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const dir = fs.mkdtempSync('/tmp/nsh-out-');
  const out = fs.openSync(path.join(dir, 'stdout'), 'w+');
  const err = fs.openSync(path.join(dir, 'stderr'), 'w+');
  let child: ChildProcess;
  try {
    child = spawn(nshBin, args, { cwd: opts.cwd ?? root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', out, err] });
  } finally {
    // the child has its own copies
    fs.closeSync(out);
    fs.closeSync(err);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const result = (async (): Promise<TimedRun> => {
    let hung: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    const after = (ms: number) => new Promise<'late'>(r => (timer = setTimeout(() => r('late'), ms)));
    let end = await Promise.race([exited, after(timeoutMs)]);
    clearTimeout(timer);
    if (end === 'late') {
      hung = `nsh ${args.join(' ')} (pid ${child.pid}) still running after ${timeoutMs} ms\n${sandboxState(child.pid)}`;
      child.kill('SIGINT');
      end = await Promise.race([exited, after(5000)]);
      clearTimeout(timer);
      if (end === 'late') {
        hung += '\nnsh did not end on SIGINT within 5 s: SIGKILL';
        child.kill('SIGKILL');
        end = await exited;
      }
    }
    const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
    const ran = { code: end.code, signal: end.signal, stdout: read('stdout'), stderr: read('stderr'), ...(hung ? { hung } : {}) };
    fs.rmSync(dir, { recursive: true, force: true });
    return ran;
  })();
  return { child, result };
}

/** startNsh's result. */
export function nshTimed(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<TimedRun> {
  return startNsh(args, opts).result;
}

/** The processes of the sandbox (with what each waits in, and nsh's kernel stacks) and the journals' last lines. */
export function sandboxState(pid?: number): string {
  const parts: string[] = [];
  try {
    parts.push(spawnSync('ps', ['-eo', 'pid,ppid,stat,wchan:28,etime,args'], { encoding: 'utf8', timeout: 10_000 }).stdout);
  } catch (e) {
    parts.push(`ps: ${(e as Error).message}`);
  }
  if (pid !== undefined) {
    try {
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        const comm = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        let stack = '';
        try {
          stack = fs.readFileSync(`/proc/${pid}/task/${tid}/stack`, 'utf8');
        } catch {
          /* not readable here */
        }
        parts.push(`thread ${tid} (${comm}): ${fs.readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8')}\n${stack}`);
      }
    } catch {
      /* gone meanwhile */
    }
  }
  const dir = '/run/nsh/labs';
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').trimEnd().split('\n');
    parts.push(`journal ${f} (${lines.length} lines), the last:\n${lines.slice(-6).join('\n')}`);
  }
  return parts.join('\n');
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
