// Writes the V8 code caches of the bundle in dist/ (run by scripts/build.mjs, so by `npm install`;
// again by hand after changing node: `node scripts/code-cache.mjs`). It loads the bundle through
// dist/load.cjs, checks examples/hello.ns, loads the other chunks, and saves what V8 compiled
// meanwhile. Caches are per build and per V8 version (dist/code-cache/).
// A cache holds what a start of nsh runs, no more: V8 reads a whole cache at every start, and a
// function in it costs about what compiling it would, so code that only some runs need (the
// checker's rules for other statements, --explain, help) compiles when they need it. Trained on
// check and --explain of every example, help and ls, the caches made nsh check of a one-line
// file 6 % and nsh --rm -e 'ns a' 4 % dearer (instructions), and no example's check cheaper.
// They are trained on a lab too, `nsh --rm -e 'ns a'` (the Linux backend's functions, compiled
// at each run otherwise: -e 'ns a' 6 % faster), where that can run in a private sandbox: this
// script re-runs itself in new user, network and mount namespaces (`unshare --user
// --map-root-user --net --mount`, a tmpfs on /run), which a plain user may make where user
// namespaces are allowed; the lab never runs in the machine's own network namespace. Where the
// sandbox cannot be made, or anything in it fails, the caches are trained without the lab.
// --if-missing: nothing is done when this node's caches of this build exist.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);
const { load, saveCaches, haveCaches } = require(join(dist, 'load.cjs'));
if (process.argv.includes('--if-missing') && haveCaches()) process.exit(0);

/** This process's network namespace ('net:[INODE]'), or undefined where it cannot be read. */
function netns() {
  try {
    return readlinkSync('/proc/self/ns/net');
  } catch {
    return undefined;
  }
}
// --lab SANDBOXED-FROM: in the sandbox made below, away from the network namespace named
const labArg = process.argv.indexOf('--lab');
const outside = labArg < 0 ? undefined : process.argv[labArg + 1];
const lab = outside !== undefined && netns() !== undefined && netns() !== outside;
if (labArg >= 0 && !lab) process.exit(1);
if (labArg < 0 && netns() !== undefined) {
  const sandboxed = spawnSync(
    'unshare',
    ['--user', '--map-root-user', '--net', '--mount', 'sh', '-c', 'mount -t tmpfs -o mode=755 nsh-code-cache /run && exec "$@"',
      'sh', process.execPath, fileURLToPath(import.meta.url), '--lab', netns()],
    { stdio: ['ignore', 'inherit', 'ignore'], timeout: 120_000, killSignal: 'SIGKILL' },
  );
  if (sandboxed.status === 0) process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'nsh-code-cache-'));
try {
  const sink = { write: () => true, isTTY: false };
  const io = { stdout: sink, stderr: sink, stdinIsTTY: false, env: { NO_COLOR: '1', HOME: dir } };
  const { main } = load(join(dist, 'cli.cjs'));
  await main(['check', join(root, 'examples/hello.ns')], io);
  if (lab && (await main(['--rm', '--name', 'code-cache', '-e', 'ns a'], io)) !== 0) throw new Error("nsh -e 'ns a' failed");
  load(join(dist, 'api.cjs'));
  // the other chunks, for their top-level code at least (not Graphviz's: only `graph -o X.svg` needs it)
  for (const f of readdirSync(join(dist, 'chunks'))) {
    const file = join(dist, 'chunks', f);
    if (f.endsWith('.cjs') && !readFileSync(file, 'utf8').includes('@hpcc-js/wasm-graphviz')) load(file);
  }
  const written = saveCaches();
  process.stdout.write(`code cache: ${written.length} files (${process.version})\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
