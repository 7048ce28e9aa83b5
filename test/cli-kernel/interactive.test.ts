/** Ctrl-C, pingall and show on the kernel. */
import * as assert from 'node:assert/strict';
import { assertClean, describeKernel, netnsList, nsh, nshAsync, scrub } from './harness.js';

describeKernel('Ctrl-C, pingall, show', function () {
  this.timeout(60_000);
  afterEach(scrub);

  it('Ctrl-C ends a long ping, rolls the run back and exits 130', async () => {
    const child = nshAsync(['-e', 'ns a b\nveth a.v0 <-> b.v0 10.3.0.1/30\nin a ping 10.3.0.2 -c 1000']);
    let out = '';
    child.stdout.on('data', d => (out += d));
    const t0 = Date.now();
    while (!/icmp_seq=2 /.test(out)) {
      if (Date.now() - t0 > 20_000) assert.fail(`no ping output: ${out}`);
      await new Promise(r => setTimeout(r, 20));
    }
    child.kill('SIGINT');
    const code = await new Promise(r => child.once('exit', r));
    assert.equal(code, 130);
    assert.match(out, /--- 10\.3\.0\.2 ping statistics ---/);
    assert.deepEqual(netnsList(), []);
    assertClean();
  });

  it('pingall prints a matrix and fails when a pair is unreachable', () => {
    const lab = 'ns sw\nbridge sw.br0\nfor i in 1..3 {\n  ns h$i\n  veth h$i.e0 10.4.0.$i/24 <-> sw.p$i\n  attach sw.p$i -> sw.br0\n}\n';
    let r = nsh(['--rm', '-e', `${lab}pingall`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^h1\s+-\s+ok\s+ok\s*$/m);
    assert.match(r.stdout, /^6\/6 reachable$/m);
    assert.doesNotMatch(r.stdout, /^sw /m, 'a switch with no address takes no part');
    r = nsh(['--rm', '-e', `${lab}down h3.e0\npingall`]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /FAIL/);
    assert.match(r.stderr, /4 of 6 pairs got no reply/);
    assertClean();
  });

  it('pingall counts pairs of namespaces as its matrix shows them, and names an address that failed', () => {
    // a router with two addresses: six cells, eight pings
    const router = 'ns r h1 h2\nveth h1.e0 10.5.1.2/24 <-> r.e1 10.5.1.1/24\nveth h2.e0 10.5.2.2/24 <-> r.e2 10.5.2.1/24\n' +
      'forward r\nroute h1 default via 10.5.1.1\nroute h2 default via 10.5.2.1\n';
    let r = nsh(['--rm', '-e', `${router}pingall`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^6\/6 reachable$/m);
    // h2 answers on its IPv4 address, not on an IPv6 one h1 has no route to
    r = nsh(['--rm', '-e', 'ns h1 h2\nveth h1.e0 10.5.3.1/24 <-> h2.e0 10.5.3.2/24\naddr h2.e0 fd00:5::2/64\npingall']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^h1\s+-\s+fd00:5::2 FAIL\s*$/m);
    assert.match(r.stdout, /^h2\s+ok\s+-\s*$/m);
    assert.match(r.stdout, /^1\/2 reachable$/m);
    assert.match(r.stderr, /1 of 2 pairs got no reply: h1 -> h2 \(fd00:5::2\)/);
    assertClean();
  });

  it('show prints the lab as a tree, as tables and as JSON', () => {
    const r = nsh(['--rm', '-e', 'ns a b\nveth a.v0 10.1.0.1/24 <-> b.v0 10.1.0.2/24\nroute a default via 10.1.0.2\nshow\nshow addrs a\nshow routes a\nshow links --json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^a$/m);
    assert.match(r.stdout, /^├─ v0\s+UP\s+veth\s+<-> b\.v0\s+10\.1\.0\.1\/24\n└─ route\s+default via 10\.1\.0\.2 dev v0$/m);
    assert.match(r.stdout, /^a\s+v0\s+10\.1\.0\.1\/24$/m);
    assert.match(r.stdout, /^a\s+default\s+10\.1\.0\.2\s+v0$/m);
    const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('[\n')));
    const a = json.find((n: { name: string }) => n.name === 'a');
    assert.equal(a.links.find((l: { name: string }) => l.name === 'v0').peer, 'b.v0');
    assertClean();
  });
});
