// Helpers shared by the benchmark scripts (bench-lab, bench-startup, bench-parse, bench-lsp).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const fmtMs = ms => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 100 ? 1 : 0)} ms`);
export const fmtRatio = x => (x === null || x === undefined ? 'n/a' : `${x.toFixed(2)}×`);

/** A plain text table: first column left-aligned, the others right-aligned. */
export function table(head, rows) {
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map(r => String(r[i] ?? '').length)));
  const line = r => r.map((c, i) => (i === 0 ? String(c ?? '').padEnd(w[i]) : String(c ?? '').padStart(w[i]))).join('  ');
  return `${[line(head), w.map(x => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n')}\n`;
}

export function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

export function machineInfo() {
  const ipv = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  return {
    kernel: release(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    node: process.version,
    iproute2: (ipv.stdout ?? '').trim(),
  };
}

/** One unit of a realistic lab script: 20 lines, names unique per unit k. */
function unit(k) {
  const a = Math.floor(k / 250) % 250;
  const b = k % 250;
  return [
    `# unit ${k}: a host, a router link, a bridge with two leaves`,
    `def host_${k} NAME NET {`,
    `  ns $NAME`,
    `  veth $NAME.eth0 <-> r${k}.$NAME 10.$NET.${b}.2/24 mtu 1400`,
    `  route $NAME default via 10.$NET.${b}.1`,
    `}`,
    `ns r${k} sw${k}`,
    `forward r${k}`,
    `host_${k} h${k} ${a}`,
    `bridge sw${k}.br0`,
    `for i in 1..2 {`,
    `  ns l${k}_$i`,
    `  veth l${k}_$i.eth0 172.16.${b}.\${i+10}/24 <-> sw${k}.l$i`,
    `}`,
    `attach sw${k}.l1 sw${k}.l2 -> sw${k}.br0`,
    `addr r${k}.h${k} fd00:${k.toString(16)}::1/64`,
    `sysctl r${k} net.ipv4.conf.all.rp_filter=0`,
    `let last = h${k}`,
    `in $last ip -br addr`,
    `echo "unit ${k} done"; sleep 0`,
  ];
}

/** A generated lab script of `lines` lines, with defs and loops, that passes nsh check (scripts/bench-parse, bench-lsp). */
export function labScript(lines) {
  const out = [];
  for (let k = 0; out.length < lines; k++) out.push(...unit(k));
  out.length = lines;
  // close a def or loop the cut may have left open
  return out.join('\n').replace(/(def [^\n]*\{(?:\n  [^\n]*)*)$/, '# (cut)').replace(/(for [^\n]*\{(?:\n  [^\n]*)*)$/, '# (cut)') + '\n';
}

/**
 * The environment a benchmark runs its commands in: `base` without NODE_EXTRA_CA_CERTS and
 * NODE_OPTIONS unless `asIs` (where a machine sets a file of certificates for every process, node
 * reads and parses it at each start, which widens every figure), and the names dropped.
 */
export function benchEnv(base, asIs) {
  const env = { ...base };
  const dropped = asIs ? [] : ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'].filter(k => env[k] !== undefined);
  for (const k of dropped) delete env[k];
  return { env, dropped };
}

/**
 * A floor's program: `contents` (TypeScript importing from the checkout at `root`) bundled by
 * esbuild into DIR/NAME.cjs as bin/nsh's bundle is (CommonJS in ASCII, with the bundle's edits of
 * Chevrotain and picocolors, scripts/bundle-plugins.mjs; what nothing uses shaken off unless
 * `shake` is false), and a loader, DIR/load-NAME.cjs, that runs it through a V8 code cache of its
 * own (written when the loader's process ends, if it had none or V8 refused it) and exports what
 * the bundle exports. `baked`: the bundle's parser gets its lookahead and grammar computed at
 * build time and written into its code, as dist/'s does. Returns the loader's path.
 */
export async function floorBundle(root, dir, name, contents, { baked = false, shake = true } = {}) {
  const { build } = await import('esbuild');
  const { asciiOnly, bakeParser, editPackages, exportsDirect, nodeModulesDirect } = await import('./bundle-plugins.mjs');
  const plugins = [editPackages];
  if (baked) {
    const { bakedGrammar, lookaheadBake } = await import(join(root, 'build/src/syntax/parser.js'));
    plugins.push(bakeParser(lookaheadBake, bakedGrammar));
  }
  const file = join(dir, `${name}.cjs`);
  const out = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    treeShaking: shake,
    plugins,
    define: baked ? { NSH_BUNDLED: 'true' } : {},
    write: false,
    logLevel: 'warning',
  });
  writeFileSync(file, asciiOnly(exportsDirect(nodeModulesDirect(out.outputFiles[0].text))));
  const loader = join(dir, `load-${name}.cjs`);
  writeFileSync(loader, `const fs = require('node:fs'), vm = require('node:vm'), path = require('node:path');
const file = ${JSON.stringify(file)}, cache = file + '.' + process.versions.v8 + '.bin';
let cachedData; try { cachedData = fs.readFileSync(cache); } catch {}
const script = new vm.Script('(function (exports, require, module, __filename, __dirname) {' + fs.readFileSync(file, 'utf8') + '\\n})', { filename: file, cachedData });
if (cachedData === undefined || script.cachedDataRejected) process.on('exit', () => fs.writeFileSync(cache, script.createCachedData()));
script.runInThisContext()(module.exports, require, module, file, path.dirname(file));
`);
  return loader;
}

/**
 * The parser's floor (floorBundle): a loader exporting parse(text), which turns the text into
 * syntax trees with nsh's lexer and parser (Chevrotain with nsh's grammar, lookahead and grammar
 * baked in), in pieces of 100 lines or more as nsh parses a script, and drops them (no AST, no
 * check). Throws when the text does not parse.
 */
export function parseFloorBundle(root, dir) {
  return floorBundle(root, dir, 'parse-floor', [
    "import { theLexer } from './src/syntax/lexer.ts';",
    "import { theParser } from './src/syntax/parser.ts';",
    "import { splitTopLevel } from './src/syntax/pieces.ts';",
    'export function parse(text: string): void {',
    '  const parser = theParser(false);',
    '  for (const p of splitTopLevel(text, 100)) {',
    '    parser.input = theLexer().tokenize(text.slice(p.start, p.end)).tokens;',
    '    parser.program();',
    "    if (parser.errors.length > 0) throw new Error(`the parser floor failed to parse: ${parser.errors[0]!.message}`);",
    '  }',
    '}',
  ].join('\n'), { baked: true });
}
