/** The REPL through streams, without the kernel: multi-line, errors, context, .help, .explain, history. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { startRepl } from '../../src/repl/repl.js';
import { drive, session } from './driver.js';

describe('REPL (streams, no kernel)', () => {
  it('says once that the kernel needs root, and still runs what needs none', async () => {
    const d = drive({ privileged: false });
    const out = await session(d, ['let n = 2', 'echo "n is $n"', 'echo ${n*3}']);
    assert.equal(d.text().match(/need root/g)?.length, 1);
    assert.match(out, /n is 2\n/);
    assert.match(out, /> 6\n/);
    assert.equal(await d.end(), 0);
  });

  it('continues an incomplete entry with a "..." prompt and runs it whole', async () => {
    const d = drive({ privileged: false });
    d.type('for i in 1..3 {\n');
    await d.until(/\.\.\. $/);
    d.type('  echo "i=$i"\n');
    await d.until(/\.\.\. \.\.\. $/);
    const out = await session(d, ['}']);
    assert.match(out, /i=1\ni=2\ni=3\n/);
    assert.match(out.slice(out.lastIndexOf('i=3')), /nsh> $/);
    // a line continued with a backslash
    assert.match(await session(d, ['echo one \\', 'two']), /\.\.\. one two\n/);
    await d.end();
  });

  it('shows a syntax or check error at once, with the caret, runs nothing of the line, and goes on', async () => {
    const d = drive({ privileged: false });
    const out = await session(d, ['echo before; veth a.averyveryverylongname <-> host.v1', 'echo after']);
    assert.ok(!out.includes('before\n'), out);
    assert.ok(
      out.includes(
        [
          'repl:1:21: error: interface name "averyveryverylongname" is 21 characters; Linux allows at most 15',
          '  1 | echo before; veth a.averyveryverylongname <-> host.v1',
          '    |                     ^^^^^^^^^^^^^^^^^^^^^',
        ].join('\n'),
      ),
      out,
    );
    assert.match(out, /> after\n/);
    // an error that is not at the end of the input is not taken for an incomplete entry
    const bad = await session(d, ['veth a.v0 <-> <-> b.v0']);
    assert.match(bad, /repl:1:\d+: error: /);
    assert.ok(!bad.includes('...'), bad);
    // nor a statement that ends before its words: only an unclosed { or a trailing \\ goes on
    const short = await session(d, ['forward', 'veth a.v0 <->']);
    assert.match(short, /repl:1:8: error: forward needs a namespace, found end of line/);
    assert.match(short, /repl:1:\d+: error: veth needs the second end/);
    assert.ok(!short.includes('...'), short);
    await d.end();
  });

  it('checks a line with the variables and defs of the session', async () => {
    const d = drive({ privileged: false });
    const out = await session(d, ['def greet WHO {', '  echo "hello $WHO"', '}', 'let x = world', 'greet $x', 'greet', 'echo $nope']);
    assert.match(out, /hello world\n/);
    assert.match(out, /error: greet takes 1 argument \(WHO\), got 0/);
    assert.match(out, /error: variable \$nope is not defined/);
    await d.end();
  });

  it('reports a failing statement and goes on', async () => {
    const d = drive({ privileged: false });
    const out = await session(d, ['ns a', 'echo still here']);
    assert.match(out, /repl:1:1: error: this statement touches the kernel, which needs root/);
    assert.match(out, /still here\n/);
    await d.end();
  });

  it('switches context with `in NS` alone and back with `in host`', async () => {
    const d = drive({ privileged: false });
    let out = await session(d, ['in nosuchns']);
    assert.match(out, /error: namespace "nosuchns" does not exist\n[^]*hint: create it first with `ns nosuchns`/);
    out = await session(d, ['in pid 1', 'ip link']);
    assert.match(out, /nsh\(pid 1\)> /);
    // a bare command is run as `in pid 1 ip link`, and so fails for want of root here
    assert.match(out, /\| in pid 1 ip link\n/);
    // nsh statements, defs and comments stay nsh's
    out = await session(d, ['def hi { echo hi }', 'hi', 'echo plain', '# a comment']);
    assert.match(out, /> hi\n/);
    assert.match(out, /plain\n/);
    assert.ok(!out.includes('error'), out);
    out = await session(d, ['in host']);
    assert.match(out, /nsh> $/);
    await d.end();
  });

  it('.help lists the statements and shows one with its forms and an example', async () => {
    const d = drive({ privileged: false });
    let out = await session(d, ['.help']);
    for (const s of ['ns', 'veth', 'bridge', 'route', 'in', 'pingall', 'def', 'include']) assert.match(out, new RegExp(`\\n  ${s} +\\S`));
    assert.match(out, /\.explain/);
    out = await session(d, ['.help route']);
    assert.match(out, /route: /);
    assert.match(out, /forms:\n  route NS default via IP\n  route NS PREFIX via IP\n  route NS PREFIX dev IF\n  route NS del PREFIX\n/);
    assert.match(out, /example:\n  route h1 default via 10\.0\.1\.1/);
    out = await session(d, ['.help frobnicate']);
    assert.match(out, /there is no statement "frobnicate"/);
    out = await session(d, ['.hlep', '.frobnicate']);
    assert.match(out, /nsh: there is no REPL command \.hlep; did you mean \.help\? \(\.help lists them\)/);
    assert.match(out, /nsh: there is no REPL command \.frobnicate \(\.help lists them\)/);
    assert.doesNotMatch(out, /Invalid REPL keyword/);
    await d.end();
  });

  it('.explain toggles the iproute2 equivalent of each line', async () => {
    const d = drive({ privileged: false });
    let out = await session(d, ['.explain', 'let n = 7', 'veth a.v$n <-> host.v1 10.1.1.1/24']);
    assert.match(out, /explain is on/);
    assert.match(out, /# repl:1: veth a\.v\$n <-> host\.v1 10\.1\.1\.1\/24\nip link add name v1 type veth peer name v7 netns a\n/);
    assert.match(out, /ip -n a addr add 10\.1\.1\.1\/24 dev v7\n/);
    out = await session(d, ['.explain', 'ns b']);
    assert.match(out, /explain is off/);
    assert.ok(!out.includes('ip netns add'), out);
    await d.end();
  });

  it('keeps history across sessions in ~/.nsh_history', async () => {
    const d = drive({ privileged: false });
    d.type('let a = 1\n\necho $a\n');
    await d.until(/> 1\n/);
    await d.end();
    const file = path.join(d.home, '.nsh_history');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.deepEqual(lines.slice(0, 2), ['let a = 1', 'echo $a']);
    // a new session with line editing recalls it with the up arrow
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', b => (out += b));
    const r = startRepl({ input, output, terminal: true, env: { ...process.env, HOME: d.home, NO_COLOR: '1' } });
    await new Promise(res => setTimeout(res, 100));
    assert.deepEqual((r.server as unknown as { history: string[] }).history.slice(0, 2), ['echo $a', 'let a = 1']);
    input.write('\x1b[A'); // up: the last line typed
    input.write('\r');
    const t0 = Date.now();
    while (!/not defined/.test(out) && Date.now() - t0 < 5000) await new Promise(res => setTimeout(res, 10));
    // the recalled line ran (in a new session, where $a is not defined)
    assert.match(out, /nsh> echo \$a[^]*variable \$a is not defined/);
    input.end();
    await r.done;
  });

  it('keeps a block as one history entry: in the file, and recalled whole in this session and the next', async () => {
    const d = drive({ privileged: false });
    d.type('for i in 1..2 {\n  # a comment\n  echo "i=$i"\n}\necho one \\\ntwo\n');
    await d.until(/one two\n/);
    await d.end();
    const file = path.join(d.home, '.nsh_history');
    assert.deepEqual(fs.readFileSync(file, 'utf8').split('\n'), ['for i in 1..2 { echo "i=$i" }', 'echo one two', '']);
    // a terminal session: up twice recalls the block, Enter runs it whole
    const t = drive({ privileged: false, terminal: true, env: { HOME: d.home } });
    await t.until(/nsh> /);
    t.type('\x1b[A\x1b[A\r');
    await t.until(/i=1\ni=2\n/);
    // a block typed here is one entry too
    t.type('for j in 1..2 {\r');
    t.type('  echo "j=$j"\r');
    t.type('}\r');
    await t.until(/j=2\n/);
    const from = t.text().length;
    t.type('\x1b[A\r');
    await t.until(/j=1\nj=2\n/, from);
    assert.deepEqual((t.repl.server as unknown as { history: string[] }).history.slice(0, 3), [
      'for j in 1..2 { echo "j=$j" }',
      'for i in 1..2 { echo "i=$i" }',
      'echo one two',
    ]);
    await t.end();
    assert.equal(fs.readFileSync(file, 'utf8').split('\n').filter(l => l.startsWith('for j')).length, 1);
  });

  it('keeps the lines of a block that does not join into one line, each as typed', async () => {
    const d = drive({ privileged: false });
    await session(d, ['for i in 1..2 {', '  echo "i=$i" # a comment', '}']);
    await d.end();
    const lines = fs.readFileSync(path.join(d.home, '.nsh_history'), 'utf8').split('\n');
    assert.deepEqual(lines.slice(0, 3), ['for i in 1..2 {', '  echo "i=$i" # a comment', '}']);
  });

  it('greets with one line on a terminal: the version, .help, and what exit does to the lab', async () => {
    const d = drive({ privileged: false, terminal: true, history: false, version: '9.9.9' });
    await d.until(/nsh> /);
    assert.match(d.text(), /^nsh 9\.9\.9: \.help lists the statements; on exit the lab "repl" goes away, unless nsh was started with --keep\n/);
    await d.end();
    const kept = drive({ privileged: false, terminal: true, history: false, version: '9.9.9', keep: true, lab: 'mine' });
    await kept.until(/nsh> /);
    assert.match(kept.text(), /^nsh 9\.9\.9: .*the lab "mine" stays after exit \(--keep\)\n/);
    await kept.end();
    // not through a pipe
    const piped = drive({ privileged: false, history: false, version: '9.9.9' });
    await session(piped, ['echo x']);
    assert.doesNotMatch(piped.text(), /9\.9\.9/);
    await piped.end();
  });

  it('Ctrl-D in the middle of a block abandons the block only; at the prompt it leaves', async () => {
    const d = drive({ privileged: false, terminal: true, history: false });
    d.type('for i in 1..2 {\r');
    await d.until(/\.\.\. /);
    d.type('  echo "i=$i"\r');
    d.type('\x04');
    await d.until(/dropped the unfinished entry/);
    const from = d.text().length;
    d.type('echo alive\r');
    await d.until(/\nalive\r?\n/, from);
    assert.doesNotMatch(d.text(), /i=1/);
    d.type('\x04');
    assert.equal(await d.repl.done, 0);
    assert.doesNotMatch(d.text(), /never closed/);
  });

  it('completes on Tab with line editing', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', b => (out += b));
    const r = startRepl({ input, output, terminal: true, history: false, env: { ...process.env, NO_COLOR: '1' } });
    await new Promise(res => setTimeout(res, 50));
    input.write('ech');
    input.write('\t');
    input.write(' done\r');
    const t0 = Date.now();
    while (!/\ndone\r?\n/.test(out) && Date.now() - t0 < 5000) await new Promise(res => setTimeout(res, 10));
    assert.match(out, /\ndone\r?\n/);
    input.end();
    await r.done;
  });
});
