// Writes the V8 code caches of the bundle in dist/ (run by scripts/build.mjs, so by `npm install`;
// again by hand after changing node: `node scripts/code-cache.mjs`). It loads the bundle through
// dist/load.cjs, runs commands that touch nothing outside a temporary directory — check and
// explain of the examples, a script with syntax errors, help, ls — loads the other chunks, and
// saves what V8 compiled meanwhile. Caches are per build and per V8 version (dist/code-cache/).
// --if-missing: nothing is done when this node's caches of this build exist.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  const examples = [join(root, 'examples/hello.ns'), ...readdirSync(join(root, 'examples/labs')).map(f => join(root, 'examples/labs', f))];
  const broken = join(dir, 'broken.ns');
  writeFileSync(broken, 'ns a b\nveth a.v0 <-> b.v0 10.0.0.300/24\nfor i in 1..3 {\n  ns c$i\n');
  for (const args of [['help'], ['--version'], ['check', ...examples], ['check', broken], ...examples.map(f => ['--explain', f]), ['ls']]) {
    await main(args, io);
  }
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
