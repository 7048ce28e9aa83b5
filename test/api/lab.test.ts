/**
 * The library (src/api.ts) on the kernel: labs built from templates whose values are words and
 * never text, checked before anything is made, torn down by down() and by `await using` however
 * the block is left; two labs at once; a lab joined by name from another process; a process that
 * ends by itself once its lab is down. Programs of other processes use the bundle (dist/api.js),
 * as a package's user does.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { attach, lab, NshError, type Lab, type Output } from '../../src/api.js';
import { assertClean, describeKernel, ip, netnsList, root, scrub } from '../cli-kernel/harness.js';

/** An Output that keeps what is written. */
function keeper(): Output & { text: () => string } {
  const chunks: string[] = [];
  return { write: (c: string | Uint8Array) => chunks.push(typeof c === 'string' ? c : Buffer.from(c).toString()), text: () => chunks.join('') };
}

/** The rejection of `p`, which must be an NshError. */
async function nshError(p: Promise<unknown>): Promise<NshError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof NshError, `expected an NshError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the promise to reject');
}

/** Runs a module (ESM text) in another node process, with `API` set to dist/api.js; waits for it to end by itself. */
function otherProcess(code: string, timeoutMs = 60_000) {
  const api = JSON.stringify(path.join(root, 'dist/api.js'));
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const API = ${api};\n${code}`], {
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, timedOut: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' };
}

const hostile = [
  'a b',
  'x; ns evil',
  'x\nns evil',
  'x}',
  '${_1}',
  '$(touch /tmp/nsh-api-pwned)',
  '`touch /tmp/nsh-api-pwned`',
  '-x',
  '--json',
  '"quoted"',
  "'single'",
  '# not a comment',
  'back\\slash',
  '',
  '\u00e9t\u00e9 \u{1F600}',
];

describeKernel('library: templates', function () {
  this.timeout(60_000);
  afterEach(scrub);

  it('a value is one word wherever it stands: a program gets it as one argument, echo prints it as it is', async () => {
    const out = keeper();
    await using l = await lab({ stdout: out })`ns a`;
    for (const v of hostile) {
      const before = out.text().length;
      await l.run`in a printf "%s|%s|" ${v} ${v}`;
      await l.run`echo ${v}`;
      assert.equal(out.text().slice(before), `${v}|${v}|${v}\n`, `value ${JSON.stringify(v)}`);
    }
    await l.run`in a printf "%s|" x${hostile[1]!}y "in ${hostile[3]!} quotes"`;
    assert.ok(out.text().endsWith('xx; ns evily|in x} quotes|'));
    assert.deepEqual(netnsList(), ['a'], 'no statement was made of a value');
    assert.ok(!fs.existsSync('/tmp/nsh-api-pwned'));
  });

  it('a value is never an option: ping, nc and show take it as an address, a port, a namespace', async () => {
    await using l = await lab`ns a`;
    const ping = await nshError(l.run`in a ping ${'-c'} 2`);
    assert.equal(ping.stage, 'check');
    assert.match(ping.diagnostics[0]!.message, /"-c" is not/);
    const nc = await nshError(l.run`in a nc -l ${'-u'}`);
    assert.match(nc.diagnostics[0]!.message, /port/);
    const show = await nshError(l.run`show ${'--json'}`);
    assert.match(show.diagnostics[0]!.message, /namespace name "--json"/);
  });

  it('a value never names a namespace file, a statement, a def or a variable', async () => {
    await using l = await lab`ns a`;
    const path_ = await nshError(l.run`in ${'/run/netns/a'} true`);
    assert.match(path_.diagnostics[0]!.message, /namespace name "\/run\/netns\/a" may not/);
    for (const p of [l.run`${'ns'} b`, l.run`let ${'x'} = 1`, l.run`def ${'f'} { echo }`, l.run`for ${'i'} in 1..2 { echo }`]) {
      const e = await nshError(p);
      assert.equal(e.stage, 'check');
      assert.match(e.message, /a template value cannot name a statement, a def, a parameter or a variable/);
    }
    const quoted = await nshError(l.run`echo '${'x'}'`);
    assert.match(quoted.message, /not part of a statement's word/);
    assert.deepEqual(netnsList(), ['a']);
  });

  it('a value may be part of a word, and numbers are their decimal text', async () => {
    const out = keeper();
    await using l = await lab({ stdout: out })`ns a`;
    const ms = 5;
    await l.run`echo ${ms}ms ${10n}`;
    for (const i of [1, 2]) await l.run`ns h${i}; veth h${i}.v${i} <-> a.h${i} 10.${i}.0.0/30`;
    // \${…} is nsh's own ${…}: arithmetic over an nsh variable, beside a value
    await l.run`for i in 1..2 { echo n\${i*10}${'$'} }`;
    assert.equal(out.text(), '5ms 10\nn10$\nn20$\n');
    assert.deepEqual(l.namespaces, ['a', 'h1', 'h2']);
    assert.deepEqual(ip('-n', 'h2', '-br', '-4', 'addr', 'show', 'v2').split(/\s+/).filter(Boolean).slice(2), ['10.2.0.1/30']);
    for (const bad of [[1, 2], {}, null, undefined, NaN, 'nul\0']) {
      const e = await nshError(l.run`echo ${bad as string}`);
      assert.match(e.message, /value 1 of the template/);
    }
  });

  it('the text is checked before anything is built: nothing is made, and the diagnostics point into this file', async () => {
    const p = lab`ns a b
      veth a.v0 <-> b.v0 10.0.0.1/24
      veth a.averyveryverylongname <-> b.v1`;
    const e = await nshError(p);
    assert.equal(e.stage, 'check');
    assertClean();
    const d = e.diagnostics[0]!;
    assert.equal(d.message, 'interface name "averyveryverylongname" is 21 characters; Linux allows at most 15');
    // the compiled test file, where the template stands: the caret's place holds the culprit
    const file = path.resolve(d.file!);
    assert.equal(file, path.join(root, 'build/test/api/lab.test.js'));
    const line = fs.readFileSync(file, 'utf8').split('\n')[d.line! - 1]!;
    assert.equal(line.slice(d.col! - 1, d.col! - 1 + d.length!), 'averyveryverylongname');
    assert.match(d.rendered, /^build\/test\/api\/lab\.test\.js:\d+:\d+: error: interface name/);
    assert.match(d.rendered, /\n +\| +\^{21}(\n|$)/);
  });

  it('an undefined variable and a syntax error are reported with their place', async () => {
    const e = await nshError(lab`ns a; in a echo $nope`);
    assert.equal(e.diagnostics[0]!.code, 'undefined-variable');
    assert.equal(e.diagnostics[0]!.file, 'build/test/api/lab.test.js');
    const s = await nshError(lab`veth a.v0 <->`);
    assert.equal(s.stage, 'check');
    assertClean();
  });
});

describeKernel('library: a lab\'s life', function () {
  this.timeout(60_000);
  afterEach(scrub);

  it('exec gives exit status and output as values; spawn runs a job; ping, nc and show give data', async () => {
    await using l = await lab`ns a b; veth a.v0 <-> b.v0 ${'10.0.0.1/24'}`;
    const ok = await l.exec('a', ['sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.deepEqual(ok, { code: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
    assert.equal((await l.exec('b', ['cat'], { input: 'no newline' })).stdout, 'no newline');
    const reply = await l.ping('a', '10.0.0.2', { count: 2, interval: 0.05 });
    assert.equal(reply.received, 2);
    assert.equal(reply.loss, 0);
    assert.equal(reply.replies.length, 2);
    assert.ok(reply.rtt && reply.rtt.min <= reply.rtt.max);
    const none = await l.ping('a', '10.0.0.9', { count: 1, timeout: 0.2 });
    assert.equal(none.received, 0);
    assert.equal(none.loss, 100);
    const server = await l.listen('b', 8080);
    const answer = await l.connect('a', '10.0.0.2', 8080, { input: 'hello' });
    assert.deepEqual(answer, { received: '' });
    assert.deepEqual(await server.received, { received: 'hello' });
    const job = await l.spawn('b', ['sleep', '300']);
    await job.kill();
    assert.equal((await job.exited).signal, 'SIGTERM');
    const state = await l.show();
    // (as `show --json`: the host only where the lab has links there)
    assert.deepEqual(state.map(n => n.name), ['a', 'b']);
    assert.deepEqual(state[0]!.links.find(k => k.name === 'v0'), {
      name: 'v0', index: 2, kind: 'veth', state: 'up', mtu: 1500, addresses: ['10.0.0.1/24'], peer: 'b.v0',
    });
    const missing = await nshError(l.exec('a', ['/no/such/program']));
    assert.equal(missing.stage, 'run');
    assert.match(missing.message, /^build\/test\/api\/lab\.test\.js:\d+:\d+: error: command not found: \/no\/such\/program/);
  });

  it('a later statement that fails rejects with its error and leaves the lab as it is', async () => {
    await using l = await lab`ns a`;
    const e = await nshError(l.run`ns b
in b false`);
    assert.equal(e.stage, 'run');
    assert.match(e.diagnostics[0]!.message, /false exited with status 1/);
    assert.deepEqual(netnsList(), ['a', 'b']);
    await l.run`del b`;
    assert.deepEqual(l.namespaces, ['a']);
  });

  it('a first build that fails removes what it made; keepOnError keeps it, to attach to and take down', async () => {
    const e = await nshError(lab`ns a b; veth a.v0 <-> host.v9 10.9.0.1/24; in a false`);
    assert.equal(e.stage, 'run');
    assertClean();
    const kept = await nshError(lab({ keepOnError: true })`ns a b; in a false`);
    assert.deepEqual(netnsList(), ['a', 'b']);
    assert.match(kept.message, /\(what it made is kept: lab "lab-\d+"\)$/);
    const l = await attach(kept.kept!);
    assert.deepEqual(l.namespaces, ['a', 'b']);
    await l.down();
    assertClean();
    await l.down(); // a second time does nothing
    await assert.rejects(l.exec('a', ['true']), /lab "lab-\d+" is down/);
  });

  it('await using tears the lab down when an assertion throws inside the block', async () => {
    const body = async () => {
      await using l = await lab`ns a; veth a.v0 <-> host.v0 10.8.0.1/30`;
      assert.deepEqual(l.namespaces, ['a']);
      assert.equal(1 + 1, 3);
    };
    await assert.rejects(body(), assert.AssertionError);
    assertClean();
  });

  it('two labs in one process, side by side', async () => {
    const [x, y] = await Promise.all([lab`ns ${'x1'} ${'x2'}`, lab`ns y1; veth y1.v0 <-> host.y 10.7.0.1/30`]);
    try {
      assert.notEqual(x.name, y.name);
      assert.deepEqual(x.namespaces, ['x1', 'x2']);
      assert.equal((await y.ping('y1', '10.7.0.2', { count: 1 })).received, 1);
      await x.down();
      assert.deepEqual(netnsList(), ['y1']);
      await y.run`ns y2`;
    } finally {
      await x.down();
      await y.down();
    }
    assertClean();
  });

  it('a lab made here is joined by name from another process, which runs in it and may take it down', async () => {
    const l = await lab({ name: 'shared' })`ns a b; veth a.v0 <-> b.v0 10.6.0.1/24`;
    l.close(); // let go of it, leave it up
    const joined = otherProcess(`
      const { attach } = await import(API);
      const l = await attach('shared');
      const r = await l.exec('a', ['ping', '-c', '1', '-W', '5', '10.6.0.2']);
      console.log(JSON.stringify({ namespaces: l.namespaces, code: r.code }));
      await l[Symbol.asyncDispose]();`);
    assert.equal(joined.code, 0, joined.stderr);
    assert.deepEqual(JSON.parse(joined.stdout), { namespaces: ['a', 'b'], code: 0 });
    assert.deepEqual(netnsList(), ['a', 'b'], 'attach without own leaves it up');
    const owned = otherProcess(`
      const { attach } = await import(API);
      const l = await attach('shared', { own: true });
      try {
        await l.run\`in a true\`;
      } finally {
        await l[Symbol.asyncDispose]();
      }`);
    assert.equal(owned.code, 0, owned.stderr);
    assertClean();
  });

  it('a process keeps its worker that makes namespaces ahead from lab to lab: each large lab takes fresh ones, none is left, the process ends by itself', () => {
    const r = otherProcess(`
      process.env.NSH_DEBUG = '1';
      const { lab } = await import(API);
      const { readdirSync, statSync } = await import('node:fs');
      const small = await lab\`ns s1\`;
      await small.down();
      const text = Array.from({ length: 40 }, (_, k) => 'ns p' + (k + 1)).join('\\n') + '\\nveth p1.v0 <-> p40.v0 10.6.0.0/30\\n';
      for (let round = 0; round < 2; round++) {
        const l = await lab({ name: 'keep' })(Object.assign([text], { raw: [text] }));
        const seen = new Set(readdirSync('/run/netns').map(n => statSync('/run/netns/' + n).ino));
        seen.add(statSync('/proc/self/ns/net').ino);
        await l.ping('p1', '10.6.0.2', { count: 1 });
        const shown = await l.show();
        console.log('lo', shown.filter(n => n.links.some(k => k.name === 'lo' && k.state !== 'down')).length, 'distinct', seen.size);
        await l.down();
      }`);
    assert.equal(r.timedOut, false, 'the process did not end by itself');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^lo 0 distinct 41\nlo 0 distinct 41\n$/); // 40 namespaces, none the sandbox's
    const reports = [...r.stderr.matchAll(/(\d+) namespaces made ahead were used, (\d+) not/g)].map(m => ({ used: Number(m[1]), unused: Number(m[2]) }));
    assert.equal(reports.length, 2, r.stderr);
    for (const { unused } of reports) assert.equal(unused, 0, 'the worker made namespaces nobody took');
    // (the first large lab may come before the worker the small one started is up)
    assert.ok(reports[1]!.used > 0, 'the worker kept from the lab before made none that were used');
    assertClean();
  });

  it('a process that ends while its worker is still starting ends normally, whenever it ends', () => {
    // the worker loads koffi some 100 ms after lab(); a thread cut off while node loads a native
    // addon aborted the whole process (a fatal error, no exit status): end at times around then
    for (let ms = 0; ms <= 240; ms += 8) {
      const r = otherProcess(`
        const { lab } = await import(API);
        try { await lab\`vteh a.b\`; } catch {}
        const t = Date.now();
        while (Date.now() - t < ${ms}) {}`);
      assert.equal(r.signal, null, `ended after ${ms} ms by ${r.signal}: ${r.stderr}`);
      assert.equal(r.code, 0, r.stderr);
    }
  });

  it('once the lab is down nothing is left open: the process ends by itself', () => {
    const r = otherProcess(`
      const { lab } = await import(API);
      const l = await lab\`ns a b; veth a.v0 <-> b.v0 10.5.0.1/24; in b sleep 300 &\`;
      await l.exec('a', ['true']);
      const job = await l.spawn('b', ['sleep', '300']);
      const server = await l.listen('b', 9000);
      await l.ping('a', '10.5.0.2', { count: 1 });
      await l.show();
      await l.down();
      console.log('down', (await job.exited).signal, (await server.received).received === '');`);
    assert.equal(r.timedOut, false, 'the process did not end by itself');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\[1\] \d+\ndown SIGTERM true\n$/);
    assertClean();
  });
});

/** (kept for the types: a Lab is a value of its own type) */
export type { Lab };
