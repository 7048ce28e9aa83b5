// Bundles the CLI into dist/ with esbuild: a few files load much faster than chevrotain's many modules.
// Code splitting: dist/cli.js holds what `nsh check` needs; the REPL, the tutorial and the Linux
// backend are chunks that cli.ts imports only when a command needs them.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
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
  define: { NSH_VERSION: JSON.stringify(version), NSH_BUNDLED: 'true' },
  logLevel: 'warning',
});
