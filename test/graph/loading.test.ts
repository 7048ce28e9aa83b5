/**
 * Graphviz (WebAssembly, about 800 kB) is loaded only to draw an SVG: `nsh check` and a plain run
 * never load it. Every file bin/nsh reads is logged by a --require hook (the bundle's loader,
 * dist/load.cjs, reads each file it compiles), and the files of dist/ among them are searched for
 * the package's code.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeKernel, nsh } from '../cli-kernel/harness.js';
import { repoRoot } from './golden-files.js';

/** The dist/ files bin/nsh read for `args`. */
function loadedFiles(args: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-loaded-'));
  try {
    const list = path.join(dir, 'loaded.txt');
    const hook = path.join(dir, 'hook.cjs');
    fs.writeFileSync(
      hook,
      `const fs = require('node:fs');\nconst read = fs.readFileSync;\nfs.readFileSync = function (f, ...rest) {\n  if (typeof f === 'string') fs.appendFileSync(${JSON.stringify(list)}, f + '\\n');\n  return read.call(this, f, ...rest);\n};\n`,
    );
    const r = spawnSync(path.join(repoRoot, 'bin/nsh'), args, {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--require ${hook}` },
    });
    assert.equal(r.status, 0, r.stderr);
    return fs
      .readFileSync(list, 'utf8')
      .split('\n')
      .filter(f => f.startsWith(path.join(repoRoot, 'dist')) && f.endsWith('.cjs'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const graphvizIn = (files: string[]) => files.filter(f => fs.readFileSync(f, 'utf8').includes('node_modules/@hpcc-js/wasm-graphviz/'));

describe('graph: what loads Graphviz', () => {
  it('the bundle holds Graphviz in a chunk of its own', () => {
    const chunks = fs.readdirSync(path.join(repoRoot, 'dist/chunks')).filter(f => f.endsWith('.cjs')).map(f => path.join(repoRoot, 'dist/chunks', f));
    assert.equal(graphvizIn(chunks).length, 1);
  });

  it('nsh check does not load it', () => {
    const files = loadedFiles(['check', 'examples/labs/router.ns']);
    assert.ok(files.some(f => f.endsWith('dist/cli.cjs')), 'the hook saw the modules');
    assert.deepEqual(graphvizIn(files), []);
  });

});

describeKernel('graph: what loads Graphviz, for a lab', () => {
  it('an SVG loads it; DOT does not', () => {
    assert.equal(nsh(['examples/hello.ns']).code, 0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-loaded-'));
    try {
      assert.equal(graphvizIn(loadedFiles(['graph', 'hello', '-o', path.join(dir, 'x.svg')])).length, 1);
      assert.deepEqual(graphvizIn(loadedFiles(['graph', 'hello', '-o', path.join(dir, 'x.dot')])), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      nsh(['down', 'hello']);
    }
  });
});
