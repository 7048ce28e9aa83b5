/**
 * What a command loads: start-up time is paid by every run (scripts/bench-startup measures it),
 * so the node modules that only some statements or commands need must stay unloaded until then.
 * Read from node's own list of loaded built-in modules, written by a --require hook at exit.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadedFiles } from '../helpers/loaded-files.js';
import { assertClean, describeKernel, nshBin, root } from './harness.js';

/** The built-in modules bin/nsh loaded for `args`, and its exit status. */
function loadedBy(args: string[], nodeOptions = ''): { code: number | null; modules: Set<string>; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-startup-'));
  try {
    const hook = path.join(dir, 'hook.cjs');
    const list = path.join(dir, 'modules.txt');
    fs.writeFileSync(hook, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`);
    const r = spawnSync(nshBin, args, {
      cwd: root,
      encoding: 'utf8',
      input: '',
      env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--require ${hook} ${nodeOptions}` },
    });
    const modules = new Set(fs.readFileSync(list, 'utf8').split('\n').filter(l => l.startsWith('NativeModule ')).map(l => l.slice(13)));
    return { code: r.status, modules, stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const heavy = ['child_process', 'worker_threads', 'crypto', 'https', 'zlib', 'dgram', 'repl', 'readline'];

describeKernel('start-up: modules loaded only when used', () => {
  it('a lab of one namespace loads none of child_process, worker_threads, crypto, https, zlib, dgram, repl, readline, nor net or tty (it prints nothing)', () => {
    const r = loadedBy(['--rm', '-e', 'ns a']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([...heavy, 'net', 'tty'].filter(m => r.modules.has(m)), []);
    assert.ok(!r.modules.has('internal/util/parse_args/parse_args'), 'options given as whole words are read without node\'s parseArgs');
    assertClean();
  });

  it('nsh check loads none of them either, nor net or tty (a good script makes neither stdout nor stderr)', () => {
    const r = loadedBy(['check', 'examples/hello.ns']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([...heavy, 'net', 'tty'].filter(m => r.modules.has(m)), []);
  });

  it("under node 20, nsh check sets the caches' checksum flag without node:v8 (which loads node's streams), and no warning is printed", function () {
    if (Number(process.versions.node.split('.')[0]) !== 20) this.skip(); // node 24 has no process.binding('v8'): node:v8 there
    for (const options of ['', '--pending-deprecation', '--throw-deprecation', '--no-deprecation']) {
      const r = loadedBy(['check', 'examples/hello.ns'], options);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '', options);
      assert.ok(!r.modules.has('v8'), options);
    }
  });

  it('nsh down of a lab on this machine loads none of them (the code for labs across machines stays unloaded)', () => {
    const up = spawnSync(nshBin, ['--name', 'startup-down', '-e', 'ns a'], { cwd: root, encoding: 'utf8', input: '' });
    assert.equal(up.status, 0, up.stderr);
    const r = loadedBy(['down', 'startup-down']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(heavy.filter(m => r.modules.has(m)), []);
    assertClean();
  });

  it("the REPL's first prompt waits for neither the parser (Chevrotain) nor the Linux backend: they load once it is out", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-startup-'));
    try {
      const r = loadedFiles([], 'ns a\n', { mark: 'nsh>', env: { HOME: home } });
      assert.equal(r.status, 0, r.stderr);
      assert.ok(r.marked !== undefined && r.marked > 0, r.files.join('\n'));
      // the chunk that defines Chevrotain's classes
      const chevrotain = (f: string) => fs.readFileSync(f, 'utf8').includes('var NoViableAltException = class extends RecognitionException');
      const before = r.files.slice(0, r.marked);
      assert.deepEqual(before.filter(chevrotain), [], 'Chevrotain is read before the prompt');
      assert.deepEqual(before.filter(f => path.basename(f).startsWith('lab-commands-')), [], 'the Linux backend is read before the prompt');
      assert.ok(r.files.slice(r.marked).some(chevrotain), 'Chevrotain is read after the prompt');
      assertClean();
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('a program run with `in` loads child_process when it starts', () => {
    const r = loadedBy(['--rm', '-e', 'ns a; in a true']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.modules.has('child_process'));
    assertClean();
  });
});
