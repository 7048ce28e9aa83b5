/**
 * What the README's threat model claims, shown on the kernel: `in` runs an argv (no shell),
 * namespace names stay inside /run/netns, the journal is root-only whatever the umask.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { assertClean, describeKernel, nsh, nshBin, root, scrub, startNsh } from './harness.js';

describeKernel('threat model', function () {
  this.timeout(60_000);
  afterEach(scrub);

  it('in runs its words as an argv: no shell sees them unless the program is sh -c', () => {
    const r = nsh(['-e', 'let x = "; echo injected"\nns a\nin a echo $x "$(echo injected)" "`echo injected`" "|" "*" ">" out']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '; echo injected $(echo injected) `echo injected` | * > out\n');
    assert.ok(!fs.existsSync(`${root}/out`));
    // the user asks for a shell, and gets one
    const sh = nsh(['-e', 'ns b\nin b sh -c "echo one; echo two"']);
    assert.equal(sh.stdout, 'one\ntwo\n');
    assert.equal(nsh(['down', '--all']).code, 0);
    assertClean();
  });

  it('down ends a program that nsh started but never recorded (killed while it ran)', async () => {
    const { child, result } = startNsh(['--name', 'k', '-e', 'ns a; in a sh -c "sleep 7781 & exec sleep 7782"']);
    const deadline = Date.now() + 10_000;
    const running = () => fs.readdirSync('/proc').filter(p => /^\d+$/.test(p)).filter(p => {
      try {
        return /^sleep\x00778[12]\x00$/.test(fs.readFileSync(`/proc/${p}/cmdline`, 'latin1'));
      } catch {
        return false;
      }
    });
    while (running().length < 2 && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
    assert.equal(running().length, 2, 'both programs started');
    child.kill('SIGKILL');
    await result;
    assert.equal(nsh(['down', 'k']).code, 0);
    for (let i = 0; i < 40 && running().length > 0; i++) await new Promise(r => setTimeout(r, 50));
    assert.deepEqual(running(), [], 'the foreground program and its child are gone');
    assertClean();
  });

  it('pin at a file that was there leaves the file at down; a file nsh made goes', () => {
    fs.writeFileSync('/run/theirs-file', 'keep me');
    const r = nsh(['--name', 'p', '-e', 'ns a; pin a at "/run/theirs-file"; pin a at "/run/nsh-made-file"']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(nsh(['down', 'p']).code, 0);
    assert.equal(fs.readFileSync('/run/theirs-file', 'utf8'), 'keep me');
    assert.ok(!fs.existsSync('/run/nsh-made-file'));
    fs.unlinkSync('/run/theirs-file');
    assertClean();
  });

  it('a namespace name, even from a variable, cannot leave /run/netns', () => {
    for (const name of ['../../tmp/escaped', 'a/b', '..', '.']) {
      const r = nsh(['-e', `let x = "${name}"\nns $x`]);
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      assert.match(r.stderr, /^-e:2:4: error: namespace name "[^"]*" may not (start with|contain) "[./]"$/m, name);
    }
    assert.ok(!fs.existsSync('/tmp/escaped'));
    assertClean();
  });

  it('a lab name cannot put its journal outside /run/nsh/labs', () => {
    for (const name of ['../../run/escaped', 'a/b', '..']) {
      const r = nsh(['--name', name, '-e', 'ns a']);
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      assert.match(r.stderr, /^nsh: lab name "[^"]*" is not usable: /);
    }
    assert.ok(!fs.existsSync('/run/escaped.journal'));
    const down = nsh(['down', '../../run/escaped']);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /there is no lab/);
    assertClean();
  });

  it('the journal is root-only (0700 directories, a 0600 file), even under umask 000', () => {
    const r = spawnSync('sh', ['-c', 'umask 000; exec "$0" "$@"', nshBin, '-e', 'ns a'], {
      encoding: 'utf8',
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
      killSignal: 'SIGKILL',
    });
    assert.equal(r.status, 0, r.stderr);
    const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);
    assert.equal(mode('/run/nsh'), '700');
    assert.equal(mode('/run/nsh/labs'), '700');
    assert.equal(mode('/run/nsh/labs/inline-1.journal'), '600');
    assert.equal(nsh(['down', '--all']).code, 0);
    assertClean();
  });
});
