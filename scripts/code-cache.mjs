// Writes the V8 code caches of the bundle in dist/ (run by scripts/build.mjs, so by `npm install`;
// again by hand after changing node: `node scripts/code-cache.mjs`). It loads the bundle through
// dist/load.cjs, checks examples/hello.ns, loads the other chunks, and saves what V8 compiled
// meanwhile. Caches are per build and per V8 version (dist/code-cache/).
// A cache holds what a start of nsh runs, no more: V8 reads a whole cache at every start, and a
// function in it costs about what compiling it would, so code that only some runs need (the
// checker's rules for other statements, --explain, help) compiles when they need it. Trained on
// check and --explain of every example, help and ls, the caches made nsh check of a one-line
// file 6 % and nsh --rm -e 'ns a' 4 % dearer (instructions), and no example's check cheaper.
// --if-missing: nothing is done when this node's caches of this build exist.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);
const { load, saveCaches, haveCaches } = require(join(dist, 'load.cjs'));
if (process.argv.includes('--if-missing') && haveCaches()) process.exit(0);

const dir = mkdtempSync(join(tmpdir(), 'nsh-code-cache-'));
try {
  const sink = { write: () => true, isTTY: false };
  const io = { stdout: sink, stderr: sink, stdinIsTTY: false, env: { NO_COLOR: '1', HOME: dir } };
  const { main } = load(join(dist, 'cli.cjs'));
  await main(['check', join(root, 'examples/hello.ns')], io);
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
