// Bundles the CLI into dist/ with esbuild: a few files load much faster than chevrotain's many modules.
// Code splitting: dist/cli.js holds what `nsh check` needs; the REPL, the tutorial and the Linux
// backend are chunks that cli.ts imports only when a command needs them. The parser's lookahead
// paths are computed here and baked in (src/syntax/lookahead.ts).
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

// the parser's lookahead paths, from the grammar as tsc just compiled it
const { lookaheadTable } = await import(new URL('build/src/syntax/parser.js', root).href);

rmSync(new URL('dist', root), { recursive: true, force: true });
await build({
  // the workers of src/backend/linux/netns-pool.ts and packet-capture.ts are files of their own:
  // dist/netns-pool-worker.js, dist/capture-worker.js
  entryPoints: {
    cli: 'src/cli.ts',
    'netns-pool-worker': 'src/backend/linux/netns-pool-worker.ts',
    'capture-worker': 'src/backend/linux/capture-worker.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external: ['koffi'],
  banner: { js: "import { createRequire as __nshCreateRequire } from 'node:module'; const require = __nshCreateRequire(import.meta.url);" },
  define: { NSH_VERSION: JSON.stringify(version), NSH_BUNDLED: 'true', NSH_LOOKAHEAD: JSON.stringify(lookaheadTable()) },
  logLevel: 'warning',
});
