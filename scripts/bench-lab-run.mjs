// One method-run of scripts/bench-lab, executed INSIDE a private sandbox (network + mount + pid
// namespaces, tmpfs on /run) that bench-lab made for it. Prints one JSON line on stdout:
//   { method, n, settleIdleMs, setupMs, teardownCmdMs, settleMs, peakKb, downPeakKb, error? }
// Usage (by bench-lab only): node bench-lab-run.mjs '<json: {method, n, dir, ref, root, group, parseFloor}>'
// (parseFloor: the parser floor's loader, for node-floor-parse and node-floor-par-parse)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

const a = JSON.parse(process.argv[2]);
const { method, n, dir, ref, root, group, parseFloor } = a;
const TIMEOUT_MS = 30 * 60_000;
const haveTime = existsSync('/usr/bin/time');

if (process.env.NSH_BENCH_SANDBOX !== '1') fail('not inside a bench sandbox');

function fail(why, extra = {}) {
  process.stdout.write(`${JSON.stringify({ method, n, error: why, ...extra })}\n`);
  process.exit(0);
}

/** Runs argv, returns its wall time in ms (and max RSS in kB when measured); fails the run on error. */
function run(what, argv, { rss = false, env } = {}) {
  const timeFile = join(dir, `time-${process.pid}.txt`);
  const full = rss && haveTime ? ['/usr/bin/time', '-f', '%M', '-o', timeFile, ...argv] : argv;
  const t0 = performance.now();
  const r = spawnSync(full[0], full.slice(1), {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: TIMEOUT_MS,
    maxBuffer: 64 << 20,
    env: env ?? process.env,
  });
  const ms = performance.now() - t0;
  if (r.error || r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-6).join('\n');
    fail(`${what} failed (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`})${out ? `: ${out}` : ''}`);
  }
  let kb = null;
  if (rss && haveTime) {
    const m = /(\d+)\s*$/.exec(readFileSync(timeFile, 'utf8'));
    kb = m ? Number(m[1]) : null;
  }
  return { ms, kb };
}

const files = {
  c: {
    setup: [[ref, 'setup', String(n), String(group)]],
    teardown: [[ref, 'teardown', String(n), String(group)]],
  },
  nsh: {
    setup: [[join(root, 'bin/nsh'), '--name', 'bench', join(dir, `lab-${n}.ns`)]],
    teardown: [[join(root, 'bin/nsh'), 'down', 'bench']],
  },
  // the least a node program pays for the C reference's work (scripts/bench-ref-node.mjs)
  'node-floor': {
    setup: [[process.execPath, join(root, 'scripts/bench-ref-node.mjs'), 'setup', String(n), String(group)]],
    teardown: [[process.execPath, join(root, 'scripts/bench-ref-node.mjs'), 'teardown', String(n), String(group)]],
  },
  'node-floor-par': {
    setup: [[process.execPath, join(root, 'scripts/bench-ref-node.mjs'), 'setup-par', String(n), String(group)]],
    teardown: [[process.execPath, join(root, 'scripts/bench-ref-node.mjs'), 'teardown', String(n), String(group)]],
  },
  // each with the lab's text parsed first by nsh's parser (Chevrotain); in -par while the worker
  // makes namespaces
  'node-floor-parse': {
    setup: [[process.execPath, join(root, 'scripts/bench-ref-node.mjs'), 'setup', String(n), String(group), '--parse', parseFloor, join(dir, `lab-${n}.ns`)]],
    teardown: [[process.execPath, join(root, 'scripts/bench-ref-node.mjs'), 'teardown', String(n), String(group)]],
  },
  'node-floor-par-parse': {
    setup: [[process.execPath, join(root, 'scripts/bench-ref-node.mjs'), 'setup-par', String(n), String(group), '--parse', parseFloor, join(dir, `lab-${n}.ns`)]],
    teardown: [[process.execPath, join(root, 'scripts/bench-ref-node.mjs'), 'teardown', String(n), String(group)]],
  },
  // one process that has loaded the library before (scripts/bench-lab-warm.mjs): run below
  'nsh-warm': { setup: [], teardown: [] },
  'nsh-hot': { setup: [], teardown: [] },
  batch: {
    setup: [['sh', join(dir, `batch-setup-${n}.sh`)]],
    teardown: [['sh', join(dir, `batch-teardown-${n}.sh`)]],
  },
  shell: {
    setup: [['sh', join(dir, `shell-setup-${n}.sh`)]],
    teardown: [['sh', join(dir, `shell-teardown-links-${n}.sh`)]],
  },
  'shell-nsdel': {
    setup: [['sh', join(dir, `shell-setup-${n}.sh`)]],
    teardown: [['sh', join(dir, `shell-teardown-netns-${n}.sh`)]],
  },
}[method];
if (!files) fail(`unknown method ${method}`);

/**
 * The warm method: bench-lab-warm.mjs builds the lab in a process that has loaded nsh already,
 * says so, waits while the lab is checked here, then takes it down and waits for the cleanup.
 */
async function warm() {
  const child = spawn(process.execPath, [join(root, 'scripts/bench-lab-warm.mjs'), JSON.stringify({ file: join(dir, `lab-${n}.ns`), ref, root, hot: method === 'nsh-hot' })], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    const r = done ? { error: 'the warm process ended early' } : JSON.parse(value);
    if (r.error) {
      child.kill();
      fail(`${method}: ${r.error}`);
    }
    return r;
  };
  const { setupMs } = await next();
  validate();
  child.stdin.write('go\n');
  const { teardownCmdMs, settleMs, peakKb } = await next();
  return { setupMs, teardownCmdMs, settleMs, peakKb, downPeakKb: null };
}

// ---- before: wait out the kernel's cleanup of whatever died before us, then time an idle settle
run('settle (before)', [ref, 'settle']);
const idle = [0, 1, 2].map(() => run('settle (idle)', [ref, 'settle']).ms).sort((x, y) => x - y);
const settleIdle = idle[1]; // the median of three: the probe's own cost, subtracted by bench-lab

// ---- setup
let setupMs = 0;
let peakKb = null;
for (const argv of files.setup) {
  const r = run('setup', argv, { rss: method === 'nsh' });
  setupMs += r.ms;
  if (r.kb !== null) peakKb = Math.max(peakKb ?? 0, r.kb);
}

// ---- check that the lab is what the workload says (untimed)
function ipJson(args) {
  const r = spawnSync('ip', ['-j', ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) fail(`validation: ip ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout);
}
const addrOf = i => {
  const base = (10 << 24) + 4 * (i - 1);
  return k => [(base + k) >>> 24, ((base + k) >>> 16) & 255, ((base + k) >>> 8) & 255, (base + k) & 255].join('.');
};
const hasAddr = (link, ip) => (link.addr_info ?? []).some(x => x.family === 'inet' && x.local === ip && x.prefixlen === 30);
const isUp = link => (link.flags ?? []).includes('UP');
function validate() {
  const names = readdirSync('/run/netns');
  if (names.length !== n) fail(`validation: ${names.length} namespaces in /run/netns, expected ${n}`);
  const host = ipJson(['addr', 'show']);
  const byName = new Map(host.map(l => [l.ifname, l]));
  if (host.length !== n + 1) fail(`validation: ${host.length} links in the host namespace, expected ${n + 1}`);
  for (let i = 1; i <= n; i++) {
    const l = byName.get(`h${i}`);
    if (!l || !isUp(l) || !hasAddr(l, addrOf(i)(2))) fail(`validation: host.h${i} missing, down or without ${addrOf(i)(2)}/30`);
  }
  for (const i of [...new Set([1, Math.ceil(n / 2), n])]) {
    const links = new Map(ipJson(['-n', `n${i}`, 'addr', 'show']).map(l => [l.ifname, l]));
    const lo = links.get('lo');
    const v0 = links.get('v0');
    if (!lo || !isUp(lo)) fail(`validation: n${i}.lo is not up`);
    if (!v0 || !isUp(v0) || !hasAddr(v0, addrOf(i)(1))) fail(`validation: n${i}.v0 missing, down or without ${addrOf(i)(1)}/30`);
  }
}

if (method === 'nsh-warm' || method === 'nsh-hot') {
  const r = await warm();
  process.stdout.write(`${JSON.stringify({ method, n, settleIdleMs: settleIdle, ...r })}\n`);
  process.exit(0);
}
validate();

// ---- teardown, then until the kernel's cleanup is done
let teardownCmdMs = 0;
let downPeakKb = null;
for (const argv of files.teardown) {
  const r = run('teardown', argv, { rss: method === 'nsh' });
  teardownCmdMs += r.ms;
  if (r.kb !== null) downPeakKb = Math.max(downPeakKb ?? 0, r.kb);
}
const settleMs = run('settle (after teardown)', [ref, 'settle']).ms;

process.stdout.write(`${JSON.stringify({ method, n, settleIdleMs: settleIdle, setupMs, teardownCmdMs, settleMs, peakKb, downPeakKb })}\n`);
