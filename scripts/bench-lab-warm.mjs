// The `nsh-warm` and `nsh-hot` methods of scripts/bench-lab, run INSIDE its sandbox by
// bench-lab-run.mjs: one node process that has loaded nsh's library (`import { lab } from 'nsh'`,
// dist/api.js) and built and taken down a small lab first (nsh-hot: a lab of the benchmark's size),
// then builds the benchmark's lab from its text (parse, check, run) and takes it down, as a
// program that uses the library, or the REPL, does.
//   node bench-lab-warm.mjs '<json: {file, ref, root, hot}>'
// Prints a JSON line { setupMs } once the lab is up, then waits for a line on its standard input
// (bench-lab-run checks the lab meanwhile), takes the lab down and prints { teardownCmdMs,
// settleMs, peakKb } (settleMs: `bench-ref settle` run right after down(), until the kernel's
// cleanup is done); or { error } at any point.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const { file, ref, root, hot } = JSON.parse(process.argv[2]);

function fail(why) {
  process.stdout.write(`${JSON.stringify({ error: why })}\n`);
  process.exit(0);
}

/** nsh text as a tagged template of no values. */
const template = text => Object.assign([text], { raw: [text] });

function settle() {
  const t0 = performance.now();
  const r = spawnSync(ref, ['settle'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) fail(`settle failed: ${r.stderr.trim()}`);
  return performance.now() - t0;
}

try {
  const { lab } = await import(pathToFileURL(join(root, 'dist/api.js')).href);
  // the warm-up: everything a lab needs is loaded and compiled once; `hot` (the nsh-hot method):
  // a lab of the same size, under other names and addresses, so that V8 has optimised what the
  // build runs (what is left is nsh's work, not the youth of its code)
  const small = 'ns w1\nveth w1.v0 <-> host.w1 10.255.0.0/30\nup w1.lo\n';
  const same = () => readFileSync(file, 'utf8').replace(/\bn(\d+)/g, 'w$1').replace(/host\.h/g, 'host.g').replace(/ 10\./g, ' 11.');
  const warm = await lab({ name: 'warmup', stdout: null, stderr: null })(template(hot ? same() : small));
  await warm.down();
  settle();

  const text = readFileSync(file, 'utf8');
  let t0 = performance.now();
  const l = await lab({ name: 'bench', stdout: null, stderr: null })(template(text));
  const setupMs = performance.now() - t0;
  process.stdout.write(`${JSON.stringify({ setupMs })}\n`);
  await once(createInterface({ input: process.stdin }), 'line');
  t0 = performance.now();
  await l.down();
  const teardownCmdMs = performance.now() - t0;
  const settleMs = settle();
  process.stdout.write(`${JSON.stringify({ teardownCmdMs, settleMs, peakKb: process.resourceUsage().maxRSS })}\n`);
  process.exit(0);
} catch (e) {
  fail(e?.message ?? String(e));
}
