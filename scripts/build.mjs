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

const root = new URL('../', import.meta.url);
const rootDir = fileURLToPath(root);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

// the parser's lookahead paths and recorded grammar, from the grammar as tsc just compiled it
const { bakedGrammar, lookaheadTable } = await import(new URL('build/src/syntax/parser.js', root).href);

/**
 * Edits of the packages' code in the bundle, each an exact text that must be found once (the build
 * fails otherwise: package.json pins the versions they were written for). They change what a start
 * costs, not what the code does; test/cli.test.ts and test/cli-kernel/startup.test.ts check the
 * bundle where they are.
 * - picocolors works out at its load whether process.stdout is a terminal, for the colours it
 *   gives by default; nsh never uses those (core/io.ts asks for colours per stream), and asking
 *   makes process.stdout, which loads node's code for streams, sockets and terminals: a tenth of
 *   node's own start, paid by `nsh check` for nothing.
 * - Chevrotain's lexer fills a table of 65,536 entries at every start (about a tenth of node's
 *   start, in code not yet optimised), to map a character above 255 to its block of 255 in the
 *   first-character dispatch; the block is computed instead, with the table's own formula (a
 *   character below 256 is its own entry, as before).
 * - Chevrotain's lexer and token code ask lodash's has(object, key) several times per token as the
 *   lexer and the parser are built: often enough that V8 optimised has and castPath at every
 *   start, compiling them on another thread; they ask for an own property instead, which
 *   is what has does for a plain key. Likewise the lexer finds each keyword's longer_alt
 *   (PlainWord) among the ~85 token types with the array's own indexOf, not lodash's, whose
 *   strictIndexOf V8 optimised at every start (the same strict equality).
 * - Chevrotain's Parser gets the methods of its ten traits one by one (applyMixins), ~200
 *   properties added to a prototype in V8's fast mode, each of which copied the prototype's
 *   descriptors so far: ~690 KB of garbage at every start, a young-generation collection's worth.
 *   The prototype is turned into a dictionary first (a property added and another deleted), where
 *   an addition copies nothing; V8 makes it fast again, in one copy, when the parser first uses it.
 */
// lodash's has(object, key) for a key that is a plain property name, as each of the lexer's and
// the tokens' calls gives: an own property of an object that is not null
const ownHas = 'const has = (object, key) => object != null && Object.prototype.hasOwnProperty.call(object, key);';

/** `text` with `from` replaced by `to`, where `from` is found exactly once; else the build fails, naming `where`. */
function replaceOnce(text, from, to, path, where) {
  if (text.split(from).length !== 2) throw new Error(`build: ${path} no longer has ${JSON.stringify(from)} once; see ${where} in scripts/build.mjs`);
  return text.replace(from, () => to);
}

const packageEdits = [
  {
    file: /[\\/]node_modules[\\/]picocolors[\\/]picocolors\.js$/,
    edits: [['(p.stdout || {}).isTTY', 'false']],
  },
  {
    file: /[\\/]node_modules[\\/]chevrotain[\\/]lib[\\/]src[\\/]scan[\\/]lexer\.js$/,
    edits: [
      [': charCodeToOptimizedIdxMap[charCode];', ': 255 + ~~(charCode / 255);'],
      ['    if (isEmpty(charCodeToOptimizedIdxMap)) {', '    if (false) {'],
      ['find, first, flatten, forEach, has, includes,', `find, first, flatten, forEach, includes,`],
      ['import { PRINT_ERROR } from "@chevrotain/utils";', `import { PRINT_ERROR } from "@chevrotain/utils";\n${ownHas}`],
      ['(type) => indexOf(onlyRelevantTypes, type))', '(type) => onlyRelevantTypes.indexOf(type))'],
      ['[indexOf(onlyRelevantTypes, longerAltType)]', '[onlyRelevantTypes.indexOf(longerAltType)]'],
    ],
  },
  {
    file: /[\\/]node_modules[\\/]chevrotain[\\/]lib[\\/]src[\\/]parse[\\/]parser[\\/]utils[\\/]apply_mixins\.js$/,
    edits: [
      [
        'export function applyMixins(derivedCtor, baseCtors) {\n',
        'export function applyMixins(derivedCtor, baseCtors) {\n    const proto = derivedCtor.prototype;\n    proto.nshA = 0;\n    proto.nshB = 0;\n    delete proto.nshA;\n    delete proto.nshB;\n',
      ],
    ],
  },
  {
    file: /[\\/]node_modules[\\/]chevrotain[\\/]lib[\\/]src[\\/]scan[\\/]tokens\.js$/,
    edits: [['import { clone, compact, difference, flatten, forEach, has, includes,', `${ownHas}\nimport { clone, compact, difference, flatten, forEach, includes,`]],
  },
];
const editPackages = {
  name: 'edit-packages',
  setup(b) {
    for (const { file, edits } of packageEdits) {
      b.onLoad({ filter: file }, ({ path }) => {
        let text = readFileSync(path, 'utf8');
        for (const [from, to] of edits) text = replaceOnce(text, from, to, path, 'packageEdits');
        return { contents: text, loader: 'js' };
      });
    }
  },
};

/**
 * The parser's baked lookahead table and grammar are written into parser.ts's own code, not given
 * as `define`s: esbuild puts a define's object in the chunk every other chunk imports, so each
 * command loaded and compiled ~44 KB of the parser's data (`nsh down` parses nothing). JSON.parse
 * of a string is also quicker for V8 to load than as large an object literal.
 */
const bakeParser = {
  name: 'bake-parser',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]syntax[\\/]parser\.ts$/ }, ({ path }) => {
      let text = readFileSync(path, 'utf8');
      for (const [name, value] of [['NSH_LOOKAHEAD', lookaheadTable()], ['NSH_GRAMMAR', bakedGrammar()]]) {
        const from = `typeof ${name} === 'undefined' ? undefined : ${name}`;
        text = replaceOnce(text, from, `JSON.parse(${JSON.stringify(JSON.stringify(value))})`, path, 'bakeParser');
      }
      return { contents: text, loader: 'ts' };
    });
  },
};

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
  plugins: [editPackages, bakeParser],
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
  const ascii = exportsDirect(nodeModulesDirect(code)).replace(/[^\x00-\x7f]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  mkdirSync(dirname(f.path), { recursive: true });
  writeFileSync(f.path, ascii);
  hash.update(relative(rootDir, f.path)).update('\0').update(ascii).update('\0');
}
const buildId = hash.digest('hex').slice(0, 16);

/**
 * `import * as fs from 'node:fs'` became `var fs = __toESM(require("node:fs"))`: a new object
 * with a getter for each of the module's properties (~100 for node:fs), made in every file that
 * imports it, 14 of them at the start of a lab. Where the file never reads `NAME.default` (nor
 * `NAME[…]`), which only the copy has, the module itself answers the same names.
 */
/**
 * Each file's exports: `module.exports = __toCommonJS(X_exports)` copied the getters that
 * `__export` had put on X_exports to a new object, one more getter per name (152 in the netlink
 * chunk), each read then going through two. Where X_exports is used for nothing else (no
 * `export *` added names to it later), it is the exports itself, marked as __toCommonJS marked
 * the copy.
 */
function exportsDirect(code) {
  return code.replace(/^module\.exports = __toCommonJS\(([\w$]+_exports)\);$/m, (all, name) =>
    code.match(new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g')).length === 3 &&
    code.includes(`var ${name} = {};\n__export(${name}, {`)
      ? `module.exports = __defProp(${name}, "__esModule", { value: true });`
      : all);
}

function nodeModulesDirect(code) {
  return code.replace(/\bvar ([\w$]+) = __toESM\(require\("(node:[\w/]+)"\)\);/g, (all, name, id) =>
    new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}\\s*(?:\\.\\s*default\\b|\\[)`).test(code) ? all : `var ${name} = require("${id}");`);
}

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
