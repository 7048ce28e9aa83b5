/**
 * `nsh tutorial`: the steps as the scripts write them; on the kernel (inside the test sandbox)
 * --auto runs every step in a sandbox of its own, also without root; --host asks first; driven
 * through its streams it runs the statement shown on Enter and a typed one as typed, labels each
 * output with the statement that made it, and keeps a step's lab up while it pauses; it starts
 * at a later step when given one, stops at q or the end of input, ends with 130 on Ctrl-C, and
 * never leaves anything behind.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { Capture } from '../helpers/capture.js';
import { assertClean, describeKernel, linkStates, netnsList, nsh, nshBin, root, scrub } from '../cli-kernel/harness.js';
import { loadScript } from '../../src/pipeline.js';
import { readStep } from '../../src/tutorial/script.js';
import { runTutorial, examplesDir } from '../../src/tutorial/tutorial.js';
import { STEPS } from '../../src/tutorial/steps.js';
import { infoBlocks, ownNamespace } from './outputs.js';

/** Runs the tutorial with these lines as its input. */
function drive(lines: string[], opts: { auto?: boolean; from?: number } = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = Readable.from(lines.map(l => `${l}\n`));
  const done = runTutorial({ stdin, stdout, stderr, env: { NO_COLOR: '1' } }, { auto: opts.auto ?? false, ...(opts.from ? { from: opts.from } : {}) });
  return { stdout, stderr, done };
}

describe('the tutorial steps', () => {
  it('name nine existing example scripts, in order', () => {
    const dir = examplesDir();
    assert.ok(dir, 'examples/walkthrough is found from the compiled sources');
    assert.deepEqual(STEPS.map(s => s.file.slice(0, 2)), ['01', '02', '03', '04', '05', '06', '07', '08', '09']);
    for (const s of STEPS) assert.ok(fs.existsSync(path.join(dir, s.file)), s.file);
  });

  it('read a script as a step: its title, what it is about, each statement with the notes above it', () => {
    const step = readStep(
      ['# Step 3: the loopback.', '#', '# Prose about it.', '#   classic header', '', '# What comes.', '#   ip netns add x', 'ns x', 'up x.lo', '', '# More.', 'in x ip link', ''].join('\n'),
    );
    assert.equal(step.title, 'the loopback');
    assert.deepEqual(step.about, [
      { kind: 'prose', text: 'Prose about it.' },
      { kind: 'classic', text: 'classic header' },
    ]);
    assert.deepEqual(step.items, [
      { notes: [{ kind: 'prose', text: 'What comes.' }, { kind: 'classic', text: 'ip netns add x' }], statement: 'ns x', line: 8 },
      { notes: [], statement: 'up x.lo', line: 9 },
      { notes: [{ kind: 'prose', text: 'More.' }], statement: 'in x ip link', line: 12 },
    ]);
  });

  it('are written one statement a line, each with a title, and no shell workaround', () => {
    const dir = examplesDir()!;
    for (const s of STEPS) {
      const file = path.join(dir, s.file);
      const text = fs.readFileSync(file, 'utf8');
      const step = readStep(text);
      assert.match(step.title, /\S/, s.file);
      const statements = loadScript(file).program.statements;
      assert.deepEqual(
        statements.map(st => st.span.line),
        step.items.map(i => i.line),
        `${s.file}: each statement is one line`,
      );
      assert.doesNotMatch(text, /^(let|def|for) /m, `${s.file}: no variables, defs or loops standing in for shell code`);
      assert.doesNotMatch(text, /until |while |command -v|2>\/dev\/null/, s.file);
    }
  });
});

describeKernel('nsh tutorial', function () {
  this.timeout(180_000);
  before(scrub);
  afterEach(scrub);

  it('--auto runs every step in a sandbox of its own, each output after the statement that made it', () => {
    const links = linkStates();
    const r = nsh(['tutorial', '--auto'], { timeoutMs: 150_000 });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    for (let i = 1; i <= STEPS.length; i++) assert.match(r.stdout, new RegExp(`── Step ${i}/${STEPS.length}: \\S`));
    // the tutorial's host and PID 1 are the sandbox's, not this machine's (here: the test's)
    const [host, pid1] = infoBlocks(r.stdout);
    assert.ok(host && pid1, r.stdout);
    assert.notEqual(host.net, ownNamespace('net'));
    assert.notEqual(pid1.pid, ownNamespace('pid'));
    assert.deepEqual(linkStates(), links, 'the links of this network namespace are as they were');
    assert.deepEqual(fs.readdirSync('/run').filter(f => f.startsWith('nsh-walkthrough')), []);
    // a step's notes and classic commands, then the statement and what it printed
    assert.match(r.stdout, /^ {6}ip netns exec netns1 ping 127\.0\.0\.1$/m);
    assert.match(r.stdout, /^step 3> ! in netns1 ping 127\.0\.0\.1 -c 1\nping: connect: Network is unreachable$/m);
    assert.match(r.stdout, /^step 3> in netns1 ping 127\.0\.0\.1 -c 2\nPING 127\.0\.0\.1 [^\n]*\n64 bytes from 127\.0\.0\.1: icmp_seq=1/m);
    assert.match(r.stdout, /^step 4> in host ping 10\.1\.1\.1 -c 2\nPING [^\n]*\n64 bytes from 10\.1\.1\.1: icmp_seq=1/m);
    assert.match(r.stdout, /^step 4> in netns1 ip route\n10\.1\.1\.0\/24 dev veth1 /m);
    assert.match(r.stdout, /^step 5> spawn pid mnt net sh -c .*\ninside: I am PID 1\n/m);
    assert.match(r.stdout, /^step 9> spawn uts ipc pid mnt net as child .*\nchild: my PID is 1, my hostname is in-namespace$/m);
    assert.match(r.stdout, /^step 9> in host nc 169\.254\.1\.2 1234 <<< "haha"\nhaha$/m);
    // no link group numbers of nsh's own in what ip prints
    assert.doesNotMatch(r.stdout, /group \d+/);
    assert.match(r.stdout, /That was the whole walk/);
    assert.equal(r.stderr.includes('failed'), false, r.stderr);
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

  it('nsh tutorial N starts at step N', () => {
    const r = nsh(['tutorial', '8', '--auto'], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /── Step [1-7]\//);
    assert.match(r.stdout, /── Step 8\/9: [^]*── Step 9\/9: /);
    assertClean();
  });

  it('refuses anything but a step number', () => {
    for (const args of [['extra'], ['0'], ['10'], ['2', '3']]) {
      const r = nsh(['tutorial', ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /tutorial takes the number of the step to start at \(1 to 9\)/);
    }
  });

  it('--host says what it changes on this machine and asks first; no changes nothing', () => {
    const r = nsh(['tutorial', '--host', '--auto'], { input: 'n\n' });
    assert.equal(r.code, 1, r.stderr);
    for (const step of [4, 5, 7, 8, 9]) assert.match(r.stdout, new RegExp(`^  step ${step}: \\S`, 'm'));
    assert.match(r.stdout, /step 5: .*moves veth1 into the network namespace of PID 1/);
    assert.match(r.stdout, /Go on\? \[y\/N\] n\nNothing was changed\.$/m);
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

  it('runs the statement shown on Enter and a typed one as typed, each labelled; the lab stays up while it pauses', async () => {
    const t = drive([
      '', // info host, as shown
      'info pid 1', // typed as shown
      'ns left right extra', // an edit
      'sho', // a mistake: nothing runs, and the same statement is asked for again
      'veth left.v9 <-> right.v9', // an edit
      '', // show
      'in host ip netns list', // at the pause, the lab is up
      'in extra ip -br link',
      'q',
    ]);
    assert.equal(await t.done, 0, t.stderr.text);
    const out = t.stdout.text;
    assert.match(out, /^step 1> info host\nnet +net:\[\d+\]$/m);
    assert.match(out, /^step 1> info pid 1\nnet +net:\[\d+\]$/m);
    assert.match(out, /^ {2}ns left right\nstep 1> ns left right extra\n/m);
    assert.match(t.stderr.text, /tutorial:1:1: error: /);
    assert.match(out, /step 1> sho\n {2}nothing ran: type it again, or press Enter for the statement shown\nstep 1> veth left\.v9 <-> right\.v9\n/);
    assert.match(out, /^step 1> show\n[^]*└─ v9 +UP +veth +<-> right\.v9$/m);
    assert.match(out, /Step 1 is done\. Its lab stays up until you go on/);
    const listed = /^step 1> in host ip netns list\n((?:\w+(?: \(id: \d+\))?\n)+)/m.exec(out)?.[1] ?? '';
    assert.deepEqual(listed.split('\n').filter(Boolean).map(l => l.split(' ')[0]).sort(), ['extra', 'left', 'right'], out);
    assert.match(out, /^step 1> in extra ip -br link\nlo +DOWN/m);
    assert.match(out, /^Stopped\. `nsh tutorial 1` starts again at step 1\.$/m);
    assert.doesNotMatch(out, /── Step 2\//);
    assertClean();
  });

  it('goes on to the next step at Enter after a pause, and a failed statement does not stop it', async () => {
    // step 3 has five statements; the second is replaced by one that fails
    const t = drive(['', 'in host false', '', '', '', '', '', 'q'], { from: 3 });
    assert.equal(await t.done, 0, t.stderr.text);
    assert.match(t.stderr.text, /tutorial:1:1: error: false exited with status 1/);
    assert.match(t.stdout.text, /── Step 3\/9[^]*Enter goes on to step 4[^]*\(what step 3 made is removed\)\n[^]*── Step 4\/9/);
    assert.match(t.stdout.text, /^Stopped\. `nsh tutorial 4` starts again at step 4\.$/m);
    assertClean();
  });

  it('stops when its input ends', async () => {
    const t = drive([]);
    assert.equal(await t.done, 0, t.stderr.text);
    assert.match(t.stdout.text, /── Step 1\/9/);
    assert.doesNotMatch(t.stdout.text, /── Step 2\/9/);
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
        if (out.includes('step 1> ')) resolve();
      });
    });
    const exited = new Promise<number | null>(resolve => child.once('close', code => resolve(code)));
    await prompted;
    process.kill(-child.pid!, 'SIGINT');
    assert.equal(await exited, 130, out);
    child.stdin.end();
    assertClean();
  });
});
