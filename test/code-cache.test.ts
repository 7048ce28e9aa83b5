/**
 * The loader of the bundle (src/code-cache.ts, dist/load.cjs) and its V8 code caches: a cache
 * damaged inside is refused and changes nothing but the time; the checksum flag that makes V8
 * check a cache is set only while the bundle's files load, so node's own caches of its built-in
 * modules, made without it, stay usable for what loads later.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs node on `code` (CommonJS) with `cwd`, without NODE_OPTIONS; its stdout. */
function node(code: string, cwd = root): string {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, ['-e', code], { cwd, encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('code caches (dist/load.cjs)', () => {
  it('a cache damaged inside is refused: the file compiles from its source and the command works', function () {
    this.timeout(30_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-code-cache-'));
    try {
      for (const part of ['dist', 'bin', 'package.json']) fs.cpSync(path.join(root, part), path.join(dir, part), { recursive: true });
      fs.cpSync(path.join(root, 'examples/hello.ns'), path.join(dir, 'hello.ns'));
      // this V8's caches (the directory is named by the build, the architecture and V8's version)
      const caches = fs.readdirSync(path.join(dir, 'dist/code-cache')).find(d => d.endsWith(`-${process.arch}-${process.versions.v8}`));
      assert.ok(caches, `no caches for V8 ${process.versions.v8}`);
      const cacheDir = path.join(dir, 'dist/code-cache', caches);
      // the largest cache (Chevrotain's chunk), 64 bytes in its middle turned over
      const largest = fs.readdirSync(cacheDir).map(f => path.join(cacheDir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
      const bytes = fs.readFileSync(largest);
      for (let i = bytes.length >> 1; i < (bytes.length >> 1) + 64; i++) bytes[i]! ^= 0x5a;
      fs.writeFileSync(largest, bytes);
      const chunk = path.join(dir, 'dist/chunks', path.basename(largest).replace(/^chunks__/, '').replace(/\.bin$/, ''));
      const use = JSON.parse(node(`const l = require('./dist/load.cjs'); l.load(${JSON.stringify(chunk)}); process.stdout.write(JSON.stringify(l.cacheUse()))`, dir));
      assert.ok(use.cached < use.loaded, `the damaged cache was taken: ${JSON.stringify(use)}`);
      const r = spawnSync(process.execPath, [path.join(dir, 'bin/nsh'), 'check', path.join(dir, 'hello.ns')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `${path.join(dir, 'hello.ns')}: ok\n`);
      assert.equal(r.stderr, '');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the checksum flag is set while the bundle loads only: a cache made without it is taken after', () => {
    // made in one process, taken in another (within one, V8 would find the script compiled already)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-code-cache-'));
    try {
      const source = JSON.stringify('function f(a) { return a + 1; } f(1);');
      const file = JSON.stringify(path.join(dir, 'cache.bin'));
      node(`require('node:fs').writeFileSync(${file}, new (require('node:vm').Script)(${source}).createCachedData())`);
      const taken = node(`
        const { load } = require('./dist/load.cjs');
        load(require('node:path').resolve('dist/cli.cjs'));
        const script = new (require('node:vm').Script)(${source}, { cachedData: require('node:fs').readFileSync(${file}) });
        process.stdout.write(String(!script.cachedDataRejected));
      `);
      assert.equal(taken, 'true');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
