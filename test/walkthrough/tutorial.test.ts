/**
 * `nsh tutorial` on the kernel, inside the test sandbox: --auto runs every step; driven through
 * its streams it goes on at Enter and stops at q or the end of input; Ctrl-C at the prompt ends
 * it with 130; and it never leaves anything behind.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import { Capture } from '../helpers/capture.js';
import { assertClean, describeKernel, linkStates, netnsList, nsh, nshBin, root, scrub } from '../cli-kernel/harness.js';
import { runTutorial, statementLines, examplesDir } from '../../src/tutorial/tutorial.js';
import { STEPS } from '../../src/tutorial/steps.js';
import { infoBlocks, ownNamespace } from './outputs.js';

function drive(input: string[], auto = false) {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = Readable.from(input);
  const done = runTutorial({ stdin, stdout, stderr, env: { NO_COLOR: '1' } }, { auto });
  return { stdout, stderr, done };
}

describe('the tutorial steps', () => {
  it('name nine existing example scripts, in order', () => {
    const dir = examplesDir();
    assert.ok(dir, 'examples/walkthrough is found from the compiled sources');
    assert.deepEqual(STEPS.map(s => s.file.slice(0, 2)), ['01', '02', '03', '04', '05', '06', '07', '08', '09']);
  });

  it('show a script as its statements, without comments', () => {
    assert.deepEqual(statementLines('# a comment\n\nns a\n  # indented\nup a.lo\n'), ['ns a', 'up a.lo']);
  });
});

describeKernel('nsh tutorial', function () {
  this.timeout(180_000);
  before(scrub);
  afterEach(scrub);

  it('--auto runs every step in a sandbox of its own, and shows what each is about', () => {
    const links = linkStates();
    const r = nsh(['tutorial', '--auto'], { timeoutMs: 150_000 });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    // the tutorial's host and PID 1 are the sandbox's, not this machine's (here: the test's)
    const [host, pid1] = infoBlocks(r.stdout);
    assert.ok(host && pid1, r.stdout);
    assert.notEqual(host.net, ownNamespace('net'));
    assert.notEqual(pid1.pid, ownNamespace('pid'));
    assert.deepEqual(linkStates(), links, 'the links of this network namespace are as they were');
    assert.deepEqual(fs.readdirSync('/run').filter(f => f.startsWith('nsh-walkthrough')), []);
    for (let i = 1; i <= STEPS.length; i++) assert.match(r.stdout, new RegExp(`── Step ${i}/${STEPS.length}: `));
    // the classic commands and the nsh statements of a step
    assert.match(r.stdout, /# ip netns add netns1/);
    assert.match(r.stdout, /^ {4}! in netns1 ping 127\.0\.0\.1 -c 1$/m);
    // what the steps must show
    assert.match(r.stdout, /ping: connect: Network is unreachable/);
    assert.match(r.stdout, /^64 bytes from 127\.0\.0\.1: icmp_seq=1/m);
    assert.match(r.stdout, /^64 bytes from 10\.1\.1\.1: icmp_seq=1/m);
    assert.match(r.stdout, /^inside: I am PID 1, and PID 1 is sh$/m);
    assert.match(r.stdout, /^child: my PID is 1, my hostname is in-namespace$/m);
    assert.match(r.stdout, /^haha$/m);
    assert.match(r.stdout, /That was the whole walk/);
    assert.equal(r.stderr.includes('failed'), false, r.stderr);
    assertClean();
  });

  it('goes on at Enter and stops at q, leaving nothing', async () => {
    const t = drive(['\n', 'q\n']);
    const code = await t.done;
    assert.equal(code, 0, t.stderr.text);
    assert.match(t.stdout.text, /── Step 1\/9/);
    assert.match(t.stdout.text, /── Step 2\/9/);
    assert.doesNotMatch(t.stdout.text, /── Step 3\/9/);
    assert.match(t.stdout.text, /\[Enter\] next step, q quit/);
    assert.match(t.stdout.text, /^Stopped\./m);
    // step 2's own output came through the streams
    assert.match(t.stdout.text, /^netns1 is gone$/m);
    assertClean();
  });

  it('stops when its input ends', async () => {
    const t = drive([]);
    assert.equal(await t.done, 0, t.stderr.text);
    assert.match(t.stdout.text, /── Step 1\/9/);
    assert.doesNotMatch(t.stdout.text, /── Step 2\/9/);
    assertClean();
  });

  it('needs no root', () => {
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', nshBin, 'tutorial', '--auto'], {
      encoding: 'utf8',
      cwd: '/tmp',
      env: { ...process.env, NO_COLOR: '1', HOME: '/tmp' },
      timeout: 150_000,
    });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^haha$/m);
    assertClean();
  });

  it('--host says what it changes on this machine and asks first; no changes nothing', () => {
    const r = nsh(['tutorial', '--host', '--auto'], { input: 'n\n' });
    assert.equal(r.code, 1, r.stderr);
    for (const step of [4, 5, 7, 8, 9]) assert.match(r.stdout, new RegExp(`^  step ${step}: \\S`, 'm'));
    assert.match(r.stdout, /step 5: .*moves veth1 into the network namespace of PID 1/);
    assert.match(r.stdout, /Go on\? \[y\/N\] Nothing was changed\.$/m);
    assert.doesNotMatch(r.stdout, /Step 1\//);
    assertClean();
  });

  it('--host, once agreed, runs in the namespaces of this machine', () => {
    const r = nsh(['tutorial', '--host', '--auto'], { input: 'y\n', timeoutMs: 150_000 });
    assert.equal(r.code, 0, r.stderr);
    const [host] = infoBlocks(r.stdout);
    assert.equal(host?.net, ownNamespace('net'));
    assertClean();
  });

  it('first removes what an earlier tutorial left behind', () => {
    const stale = nsh(['--name', 'tutorial', '-e', 'ns stale']);
    assert.equal(stale.code, 0, stale.stderr);
    assert.deepEqual(netnsList(), ['stale']);
    const r = nsh(['tutorial', '--host'], { input: 'y\nq\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /removing what an earlier tutorial left behind/);
    assertClean();
  });

  it('ends with 130 on Ctrl-C at the prompt, leaving nothing', async () => {
    // its own process group, which gets the SIGINT, as a terminal's foreground group does
    const child = spawn(nshBin, ['tutorial'], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let out = '';
    const prompted = new Promise<void>(resolve => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('[Enter] next step')) resolve();
      });
    });
    const exited = new Promise<number | null>(resolve => child.once('close', code => resolve(code)));
    await prompted;
    process.kill(-child.pid!, 'SIGINT');
    assert.equal(await exited, 130, out);
    child.stdin.end();
    assertClean();
  });

  it('refuses arguments', () => {
    const r = nsh(['tutorial', 'extra']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /tutorial takes no arguments/);
  });
});
