// Bundles the CLI into dist/ with esbuild: a few files load much faster than chevrotain's many modules.
// Code splitting: dist/cli.js holds what `nsh check` needs; the REPL, the tutorial and the Linux
// backend are chunks that cli.ts imports only when a command needs them. dist/api.js is the
// library (`import { lab } from 'nsh'`), sharing those chunks; its types are the declarations tsc
// wrote for src/api.ts and the files they import (tsconfig.json has `declaration`), copied to
// dist/ beside it. The parser's lookahead paths are computed here and baked in
// (src/syntax/lookahead.ts).
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
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
    api: 'src/api.ts',
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

/** Copies build/src/FILE.d.ts and every declaration file it imports (relative specifiers) into dist/. */
function copyDeclarations(file, seen = new Set()) {
  if (seen.has(file)) return;
  seen.add(file);
  const from = new URL(`build/src/${file}.d.ts`, root);
  const to = new URL(`dist/${file}.d.ts`, root);
  mkdirSync(dirname(fileURLToPath(to)), { recursive: true });
  copyFileSync(from, to);
  const text = readFileSync(from, 'utf8');
  for (const m of text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)\.js'/g)) {
    copyDeclarations(new URL(m[1], new URL(file, 'file:///')).pathname.slice(1), seen);
  }
}
copyDeclarations('api');
