// Bundles the CLI into dist/ with esbuild: one file loads much faster than chevrotain's many modules.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external: ['koffi'],
  banner: { js: "import { createRequire as __nshCreateRequire } from 'node:module'; const require = __nshCreateRequire(import.meta.url);" },
  define: { NSH_VERSION: JSON.stringify(version), NSH_BUNDLED: 'true' },
  logLevel: 'warning',
});
