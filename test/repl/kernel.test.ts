/** The REPL on the kernel, through streams: a lab, context, completion, Ctrl-C, teardown, .save. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertClean, describeKernel, ip, labState, linkStates, netnsList, nsh, scrub, writeScript } from '../cli-kernel/harness.js';
import { drive, session } from './driver.js';

const complete = (d: ReturnType<typeof drive>, line: string): Promise<string[]> =>
  new Promise((resolve, reject) =>
    (d.repl.server as unknown as { completer(l: string, cb: (e: Error | null, r: [string[], string]) => void): void }).completer(line, (e, r) =>
      e ? reject(e) : resolve(r[0]),
    ),
  );

describeKernel('REPL on the kernel', function () {
  this.timeout(60_000);
  afterEach(scrub);

  it('builds a lab line by line, runs bare commands in the context namespace, and tears down on Ctrl-D', async () => {
    const d = drive({ privileged: true });
    let out = await session(d, ['ns a', 'veth a.v0 <-> host.v1 10.1.1.1/24', 'in a ping 10.1.1.2 -c 1']);
    assert.match(out, /64 bytes from 10\.1\.1\.2: icmp_seq=1/);
    assert.deepEqual(netnsList(), ['a']);
    out = await session(d, ['in a', 'ip -br addr', 'ping 10.1.1.2 -c 1', 'echo still nsh', 'in host']);
    assert.match(out, /nsh\(a\)> /);
    assert.match(out, /v0@\S+ +UP +10\.1\.1\.1\/24/);
    assert.match(out, /1 packets transmitted, 1 received/);
    assert.match(out, /still nsh\n/);
    assert.match(out, /nsh> $/);
    // a failing line prints its error; the session goes on
    out = await session(d, ['ns a', 'veth a.v0 <-> host.v2']);
    assert.match(out, /repl:1:4: error: namespace "a" already exists in this lab/);
    assert.match(out, /error: interface "v0" already exists in namespace "a"/);
    assert.equal(await d.end(), 0);
    // one line that says what goes, before it goes
    assert.match(d.text(), /nsh: removing what this session made: 2 objects \(namespace a, link host\.v1\)\n$/);
    assertClean();
  });

  it('in a context, a statement that needed its namespace says in its hint that statements name it', async () => {
    const d = drive({ privileged: true });
    await session(d, ['ns h1', 'veth h1.eth0 <-> host.v1', 'in h1']);
    const out = await session(d, ['route del default', 'forward', 'up lo', 'addr eth0 10.0.0.1/24', 'veth other.v0 <-> h1.v9']);
    assert.match(out, /error: [^\n]*\n  1 \| route del default\n.*\n  hint: statements name their namespace even in a context: `route h1 del default`\n/);
    assert.match(out, /hint: statements name their namespace even in a context: `forward h1`\n/);
    assert.match(out, /hint: statements name their namespace even in a context: `up h1\.lo`\n/);
    assert.match(out, /hint: statements name their namespace even in a context: `addr h1\.eth0 10\.0\.0\.1\/24`\n/);
    // a statement that names its namespaces keeps its own hint
    assert.match(out, /\| veth other\.v0 <-> h1\.v9\n.*\n  hint: create it first with `ns other`\n/);
    // outside a context, the usual hint
    const plain = await session(d, ['in host', 'up lo']);
    assert.doesNotMatch(plain, /statements name their namespace/);
    await d.end();
    assertClean();
  });

  it('removes nothing when a statement fails: the lab stays as it was until the session ends', async () => {
    const d = drive({ privileged: true });
    await session(d, ['ns a', 'veth a.v0 <-> host.v1 10.1.1.1/24']);
    const out = await session(d, [
      'in a false', // a program that fails
      'veth a.v0 <-> host.v2', // the kernel refuses
      'for i in 1..2 {\n  ns x$i\n  in x$i false\n}', // a block that fails half-way
    ]);
    assert.match(out, /error: false exited with status 1/);
    assert.match(out, /error: interface "v0" already exists in namespace "a"/);
    assert.deepEqual(netnsList(), ['a', 'x1']);
    assert.deepEqual(linkStates().find(l => l.ifname === 'v1')?.addrs, ['10.1.1.2/24']);
    assert.deepEqual(linkStates('a').find(l => l.ifname === 'v0')?.addrs, ['10.1.1.1/24']);
    await d.end();
    assertClean();
  });

  it('nsh -i FILE whose script fails opens the REPL with what the script made, and removes it only at the end', () => {
    const file = writeScript('ifail.ns', 'ns a\nveth a.v0 <-> host.v1 10.1.1.1/24\nin a false\nns never\n');
    const r = nsh(['-i', file], { input: 'in host ip netns list\nin host ip -br link show v1\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /ifail\.ns:3:1: error: false exited with status 1/);
    // ip netns list, then ip link, from the REPL: the script's namespace and link are there
    assert.match(r.stdout, /(^|> )a \(id: \d+\)$/m);
    assert.doesNotMatch(r.stdout, /never/);
    assert.match(r.stdout, /(^|> )v1@\S+\s+UP/m);
    assert.match(r.stderr, /removing what this session made: 2 objects \(namespace a, link host\.v1\)/);
    assertClean();
  });

  it('completes live namespace and interface names, made by nsh or by ip', async () => {
    const d = drive({ privileged: true });
    await session(d, ['ns a', 'veth a.v0 <-> host.v1 10.1.1.1/24']);
    ip('netns', 'add', 'other');
    ip('-n', 'a', 'link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd1');
    assert.deepEqual(await complete(d, 'in '), ['a', 'host', 'other', 'pid ']);
    assert.deepEqual(await complete(d, 'veth a.'), ['a.d0', 'a.d1', 'a.lo', 'a.v0'], ip('-n', 'a', '-br', 'link') + ip('-br', 'link'));
    assert.deepEqual(await complete(d, 'del host.v'), ['host.v1']);
    await d.end();
    ip('netns', 'del', 'other');
    assertClean();
  });

  it('Ctrl-C ends a long ping, not the REPL', async () => {
    const d = drive({ privileged: true });
    await session(d, ['ns a', 'veth a.v0 <-> host.v1 10.1.1.1/24']);
    const from = d.text().length;
    const t0 = Date.now();
    d.type('in a ping 10.1.1.2 -c 1000 -i 0.1\n');
    await d.until(/icmp_seq=3 /, from);
    d.repl.interrupt();
    const out = await session(d, ['echo after']);
    assert.ok(Date.now() - t0 < 10_000);
    assert.match(d.text().slice(from), /packets transmitted/);
    assert.match(out, /after\n/);
    await d.end();
    assertClean();
  });

  it('keeps the lab with --keep, for `nsh down`', async () => {
    const d = drive({ privileged: true, keep: true, lab: 'kept' });
    await session(d, ['ns a b', 'veth a.v0 <-> b.v0 10.2.2.1/24']);
    await d.end();
    assert.match(d.text(), /lab "kept" is up; `nsh down kept` removes it/);
    assert.deepEqual(netnsList(), ['a', 'b']);
    assert.equal(nsh(['down', 'kept']).code, 0);
    assertClean();
  });

  it('.save writes a script that rebuilds the live lab, changes made with ip included', async () => {
    const dir = fs.mkdtempSync('/tmp/nsh-save-');
    const d = drive({ privileged: true, cwd: dir });
    await session(d, [
      'ns r h1 h2 s',
      'forward r',
      'veth r.h1 10.0.1.1/24 <-> h1.eth0 10.0.1.2/24',
      'veth r.h2 10.0.2.1/24 fd00:2::1/64 <-> h2.eth0 10.0.2.2/24 fd00:2::2/64 mtu 1400',
      'route h1 default via 10.0.1.1',
      'route h2 default via 10.0.2.1',
      'bridge s.br0',
      'veth s.p1 <-> host.sv1',
      'veth s.p2 <-> r.s0 10.0.3.1/24',
      'attach s.p1 s.p2 -> s.br0',
      'veth host.hv <-> r.up 10.0.9.1/30',
      'up *.lo',
    ]);
    // behind nsh's back
    ip('-n', 'h1', 'addr', 'add', '10.0.1.9/24', 'dev', 'eth0');
    ip('-n', 'h1', 'addr', 'add', 'fd00:1::2/64', 'dev', 'eth0', 'nodad');
    ip('-n', 'h2', 'route', 'add', '10.9.0.0/16', 'via', '10.0.2.1');
    ip('-n', 'r', 'route', 'add', '192.168.50.0/24', 'dev', 'up');
    ip('route', 'add', '10.0.1.0/24', 'via', '10.0.9.1');
    ip('-n', 's', 'addr', 'add', '10.0.3.5/24', 'dev', 'br0');
    ip('-n', 'h2', 'link', 'set', 'lo', 'down');
    ip('-n', 'r', 'link', 'set', 'h2', 'down');
    const namespaces = ['host', 'r', 'h1', 'h2', 's'];
    const before = labState(namespaces);
    const out = await session(d, ['.save lab.ns']);
    assert.match(out, /saved 4 namespaces to lab\.ns/);
    // a file that cannot be written says why in words
    const nowhere = await session(d, ['.save no/such/dir/lab.ns']);
    assert.match(nowhere, /nsh: cannot write no\/such\/dir\/lab\.ns: no such directory/);
    assert.doesNotMatch(nowhere, /ENOENT/);
    const file = path.join(dir, 'lab.ns');
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^ns r h1 h2 s$/m);
    assert.match(text, /^veth r\.h1 10\.0\.1\.1\/24 <-> h1\.eth0 10\.0\.1\.2\/24 10\.0\.1\.9\/24 fd00:1::2\/64$/m);
    assert.match(text, /^route h2 10\.9\.0\.0\/16 via 10\.0\.2\.1$/m);
    assert.match(text, /^forward r$/m);
    await d.end();
    assertClean();
    const r = nsh([file]);
    assert.equal(r.code, 0, r.stderr + '\n' + text);
    assert.deepEqual(labState(namespaces), before, text);
    assert.equal(nsh(['down', 'lab']).code, 0);
    // the host route went with its link
    assertClean();
  });

  it('nsh -i FILE runs the script, then opens the REPL in its lab, and tears all down at the end', () => {
    const file = writeScript('ilab.ns', 'def host N {\n  ns $N\n}\nhost a\nveth a.v0 <-> host.v1 10.1.1.1/24\n');
    const r = nsh(['-i', file], { input: 'show a\nhost b\nin b ip -br link\nin a\nip -br addr\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /a\n├─ lo/);
    assert.match(r.stdout, /lo +DOWN/);
    assert.match(r.stdout, /v0@\S+ +UP +10\.1\.1\.1\/24/);
    assert.match(r.stderr, /^nsh: removing what this session made: 3 objects \(namespace a, link host\.v1, namespace b\)$/m);
    assertClean();
  });
});
