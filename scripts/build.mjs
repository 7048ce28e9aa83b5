// Bundles nsh into dist/ with esbuild: a few files load much faster than chevrotain's many modules.
//
// Code splitting: dist/cli.cjs holds what `nsh check` needs; the REPL, the tutorial and the Linux
// backend are chunks (dist/chunks/) that cli.ts imports only when a command needs them. The
// library's entry, dist/api.cjs, shares those chunks. The workers of netns-pool.ts and
// packet-capture.ts are files of their own (dist/netns-pool-worker.cjs, dist/capture-worker.cjs).
//
// esbuild splits ESM only, so the split output is then turned into CommonJS, file by file: V8 can
// cache the compiled code of a script, not of an ES module, and dist/load.cjs (src/code-cache.ts)
// loads the bundle's files with the caches that scripts/code-cache.mjs writes at the end of the
// build, after checking an example. bin/nsh goes through it; so does dist/api.js, the library's
// ES module entry, whose types are the declarations tsc wrote for src/api.ts and the files they
// import (tsconfig.json has `declaration`), copied to dist/ beside it. The parser's lookahead
// paths and its recorded grammar are computed here and baked in (src/syntax/lookahead.ts,
// src/syntax/grammar-bake.ts).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import { asciiOnly, bakeParser, editPackages, exportsDirect, nodeModulesDirect } from './bundle-plugins.mjs';

const root = new URL('../', import.meta.url);
const rootDir = fileURLToPath(root);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

// the parser's lookahead paths and recorded grammar, from the grammar as tsc just compiled it
const { bakedGrammar, lookaheadBake } = await import(new URL('build/src/syntax/parser.js', root).href);

/**
 * koffi's native module for this platform as node would find it from dist/chunks/ (the first
 * node_modules/koffi up from there, symbolic links not followed), relative to dist/chunks/, and
 * koffi's version: src/backend/linux/libc.ts opens that file without resolving koffi's name and
 * falls back on resolving it when the file is not there or not that version. Nothing when koffi
 * is not found.
 */
function koffiNative() {
  const chunks = join(rootDir, 'dist', 'chunks');
  for (let dir = chunks; ; dir = dirname(dir)) {
    const koffi = join(dir, 'node_modules', 'koffi');
    const file = join(koffi, 'build', 'koffi', `${process.platform}_${process.arch}`, 'koffi.node');
    if (existsSync(join(koffi, 'package.json'))) {
      if (!existsSync(file)) return {};
      const { version: koffiVersion } = JSON.parse(readFileSync(join(koffi, 'package.json'), 'utf8'));
      return typeof koffiVersion === 'string'
        ? { NSH_KOFFI_FILE: JSON.stringify(relative(chunks, file)), NSH_KOFFI_VERSION: JSON.stringify(koffiVersion) }
        : {};
    }
    if (dirname(dir) === dir) return {};
  }
}

rmSync(new URL('dist', root), { recursive: true, force: true });
const split = await build({
  plugins: [editPackages, bakeParser(lookaheadBake, bakedGrammar)],
  entryPoints: {
    cli: 'src/cli.ts',
    api: 'src/api.ts',
    'netns-pool-worker': 'src/backend/linux/netns-pool-worker.ts',
    'capture-worker': 'src/backend/linux/capture-worker.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['koffi'],
  define: { NSH_VERSION: JSON.stringify(version), NSH_BUNDLED: 'true', ...koffiNative() },
  metafile: true,
  write: false,
  logLevel: 'warning',
});

// ES modules → CommonJS: import() becomes require() (the loader resolves the bundle's own files),
// import.meta.url the file's URL (the workers and koffi are found from it)
const hash = createHash('sha256');
for (const f of [...split.outputFiles].sort((a, b) => a.path.localeCompare(b.path))) {
  // (the packages a file holds, named as esbuild's comments named them, which the transform drops)
  const inputs = Object.keys(split.metafile.outputs[relative(rootDir, f.path)]?.inputs ?? {});
  const packages = [...new Set(inputs.flatMap(i => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(i)?.[1] ?? []))];
  const { code } = await transform(f.text, {
    format: 'cjs',
    loader: 'js',
    target: 'node20',
    supported: { 'dynamic-import': false },
    define: { 'import.meta': '__nshImportMeta' },
    banner: `${packages.map(p => `// node_modules/${p}/\n`).join('')}var __nshImportMeta = { get url() { return require("node:url").pathToFileURL(__filename).href; } };`,
    logLevel: 'warning',
  });
  // ASCII only: one character beyond it (esbuild escapes them in the code, not in the comments it
  // keeps) has node read the whole file into a two-byte string, which V8 then compiles from; the
  // bundle's largest file took ~15 ms more CPU at each start so
  const ascii = asciiOnly(exportsDirect(nodeModulesDirect(code)));
  mkdirSync(dirname(f.path), { recursive: true });
  writeFileSync(f.path, ascii);
  hash.update(relative(rootDir, f.path)).update('\0').update(ascii).update('\0');
}
const buildId = hash.digest('hex').slice(0, 16);

// the loader, on its own: it must load before any of the bundle
await build({
  entryPoints: ['src/code-cache.ts'],
  outfile: 'dist/load.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  define: { NSH_BUILD_ID: JSON.stringify(buildId) },
  logLevel: 'warning',
});

// the library's ES module entry, over dist/api.cjs
const apiExports = split.metafile.outputs['dist/api.cjs'].exports;
writeFileSync(
  new URL('dist/api.js', root),
  `// nsh as a library (docs/api.md): the bundle's dist/api.cjs, loaded with its code cache (dist/load.cjs).
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const api = require('./load.cjs').load(require.resolve('./api.cjs'));
export const { ${apiExports.join(', ')} } = api;
`,
);

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

// the code caches, from a few commands run on the bundle just built
const trained = spawnSync(process.execPath, [fileURLToPath(new URL('scripts/code-cache.mjs', root))], { stdio: 'inherit' });
if (trained.status !== 0) {
  process.stderr.write('build: writing the code caches failed; nsh works without them, only its start is slower\n');
}
