/**
 * What refuses a lab across machines before anything starts: `--rootless` (each machine needs
 * root), and `nsh check` of a namespace on a machine that was never declared.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/run-cli.js';

describe('machines: the command line refuses before anything starts', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-machines-cli-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('--rootless: a lab across machines needs root on every machine', async () => {
    const r = await runCli(['--rootless', file('rl.ns', 'machine m2 ssh root@192.0.2.7\nns a\nns b on m2\nveth a.v0 <-> b.v0\n')]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'nsh: --rootless keeps a lab inside a private sandbox of this machine: a lab across machines needs root on every machine, and cannot run so\n');
  });

  it('check: a namespace on an undeclared machine, at its word, with a hint', async () => {
    const r = await runCli(['check', file('undeclared.ns', 'machine m2 ssh root@192.0.2.7\nns a on m4\n')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /undeclared\.ns:2:9: error: machine "m4" is not declared\n {2}2 \| ns a on m4\n {4}\| {9}\^\^\n {2}hint: declare it first: machine m4 ssh \[USER@\]HOST\n/);
  });
});
