/**
 * nsh on the real kernel, inside the test sandbox; iproute2 (`ip -j`) is the oracle.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { assertClean, describeKernel, hostLinks, ip, ipJson, linkStates, netnsList, nsh, routes, scrub, writeScript } from './harness.js';

describeKernel('nsh on the kernel', function () {
  this.timeout(120_000);
  afterEach(scrub);

  it('runs the contract example and prints iputils-style replies', () => {
    const r = nsh(['-e', 'ns a; veth a.v0 <-> host.v1 10.1.1.1/24; in a ping 10.1.1.2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^PING 10\.1\.1\.2 \(10\.1\.1\.2\) 56\(84\) bytes of data\.$/m);
    assert.match(r.stdout, /^64 bytes from 10\.1\.1\.2: icmp_seq=1 ttl=64 time=\d+(\.\d+)? ms$/m);
    assert.match(r.stdout, /^3 packets transmitted, 3 received, 0% packet loss/m);
    assert.deepEqual(netnsList(), ['a']);
    assert.deepEqual(linkStates('a').find(l => l.ifname === 'v0')?.addrs, ['10.1.1.1/24']);
    assert.deepEqual(linkStates().find(l => l.ifname === 'v1')?.addrs, ['10.1.1.2/24']);
    assert.match(r.stderr, /lab "inline-1" is up/);
    const down = nsh(['down', 'inline-1']);
    assert.equal(down.code, 0, down.stderr);
    assertClean();
  });

  it('runs a script with its includes, found beside it', () => {
    const file = writeScript('inc-main.ns', 'include inc-part.ns\nns a\npair a b\nin a ping -c 1 10.9.0.2\n');
    fs.writeFileSync(file.replace(/inc-main\.ns$/, 'inc-part.ns'), 'ns b\ndef pair X Y { veth $X.v0 <-> $Y.v0 10.9.0.1/30 }\n');
    const r = nsh(['--rm', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1 packets transmitted, 1 received/m);
    assertClean();
  });

  it('builds every kind of link, address and route that ip -j then reports', () => {
    const file = writeScript('forms.ns', `
ns a b r
ns u hostname "In Namespace"
veth a.v0 <-> r.a0 10.0.1.2/24
veth b.v0 10.0.2.2/24 fd00:2::2/64 <-> r.b0 10.0.2.1/24 fd00:2::1/64 mtu 1400
addr r.a0 del 10.0.1.3/24
addr r.a0 10.0.1.1/24
route a default via 10.0.1.1
route b 10.0.1.0/24 via 10.0.2.1
route b 192.0.2.0/24 dev v0
route b del 192.0.2.0/24
forward r
sysctl a net.ipv4.conf.all.rp_filter=2
up *.lo
ns s
bridge s.br0
veth s.p1 <-> u.e0
attach s.p1 -> s.br0
down u.e0
in a ping 10.0.2.2 -c 2 -i 0.1
in u hostname
in a sh -c "read x; echo got:\\$x" <<< "haha"
! in b false
`);
    const r = nsh([file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^In Namespace$/m);
    assert.match(r.stdout, /^got:haha$/m);
    assert.deepEqual(netnsList(), ['a', 'b', 'r', 's', 'u']);
    const r0 = linkStates('r');
    assert.deepEqual(r0.find(l => l.ifname === 'a0')?.addrs, ['10.0.1.1/24']);
    assert.deepEqual(r0.find(l => l.ifname === 'b0')?.addrs, ['10.0.2.1/24', 'fd00:2::1/64']);
    assert.equal(r0.find(l => l.ifname === 'b0')?.mtu, 1400);
    assert.equal(r0.find(l => l.ifname === 'lo')?.up, true);
    assert.deepEqual(routes('a').filter(x => x.startsWith('default')), ['default via 10.0.1.1 dev v0']);
    assert.ok(routes('b').includes('10.0.1.0/24 via 10.0.2.1 dev v0'));
    assert.ok(!routes('b').some(x => x.startsWith('192.0.2.0')));
    assert.equal(ip('netns', 'exec', 'r', 'cat', '/proc/sys/net/ipv4/ip_forward').trim(), '1');
    assert.equal(ip('netns', 'exec', 'a', 'cat', '/proc/sys/net/ipv4/conf/all/rp_filter').trim(), '2');
    const s = linkStates('s');
    assert.equal(s.find(l => l.ifname === 'br0')?.kind, 'bridge');
    assert.equal(s.find(l => l.ifname === 'br0')?.up, true);
    assert.equal(s.find(l => l.ifname === 'p1')?.master, 'br0');
    assert.equal(linkStates('u').find(l => l.ifname === 'e0')?.up, false);
    // IPv6 addresses without DAD: never tentative
    const six = ipJson<{ addr_info: { local: string; tentative?: boolean }[] }[]>('-n', 'b', 'addr', 'show', 'dev', 'v0');
    assert.ok(six[0]!.addr_info.some(a => a.local === 'fd00:2::2' && !a.tentative));
    assert.equal(nsh(['down', 'forms']).code, 0);
    assertClean();
  });

  it('moves a link to the host, to pid 1 and back, and deletes links and namespaces', () => {
    const r = nsh(['--rm', '-e', `
ns n1 n2
veth n1.veth1 <-> n2.veth2
move n1.veth1 -> host
move host.veth1 -> n1 as v1
move n1.v1 -> pid 1
show links host
move host.v1 -> n1
del n1.v1
del n2
show --json
`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^host\s+v1\s/m);
    const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')));
    // the host takes no part: the lab has no link there any more
    assert.deepEqual(json.map((n: { name: string }) => n.name), ['n1']);
    assertClean();
  });

  it('says what went wrong in a sentence, and leaves what it did not make', () => {
    ip('netns', 'add', 'taken');
    const r = nsh(['-e', 'ns fresh\nns taken']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^-e:2:1: error: namespace "taken" already exists$/m);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+|Error:/);
    assert.deepEqual(netnsList(), ['taken'], 'the failed run removed its own namespace, not the other one');
    ip('netns', 'del', 'taken');
    assertClean();
  });

  it('reports a missing namespace and a missing interface against the statement', () => {
    let r = nsh(['-e', 'veth a.v0 <-> b.v0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /-e:1:1: error: namespace "a" does not exist\n(.*\n){2}  hint: create it first with `ns a`/);
    r = nsh(['-e', 'ns a\nup a.nothere']);
    assert.equal(r.code, 2, 'the check knows no statement made it');
    assert.match(r.stderr, /-e:2:4: error: there is no interface "nothere" in namespace "a"/);
    assertClean();
  });

  it('rolls back a failed run; --keep-on-error keeps it; --rm removes it after success', () => {
    const text = 'ns a b\nveth a.v0 <-> b.v0 10.9.0.1/30\nin a false';
    let r = nsh(['--name', 'roll', '-e', text]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /false exited with status 1/);
    assertClean();
    r = nsh(['--name', 'kept', '--keep-on-error', '-e', text]);
    assert.equal(r.code, 1);
    assert.deepEqual(netnsList(), ['a', 'b']);
    assert.equal(nsh(['down', 'kept']).code, 0);
    assertClean();
    r = nsh(['--rm', '-e', 'ns a b\nveth a.v0 <-> host.h0 10.9.0.1/30']);
    assert.equal(r.code, 0, r.stderr);
    assertClean();
  });

  it('runs jobs in the background, waits for them and kills them at teardown', () => {
    const r = nsh(['-e', `
ns a b
veth a.v0 <-> b.v0 10.2.0.1/30
in b nc -l 1234 &
in a nc 10.2.0.2 1234 <<< "haha"
wait %1
in a sh -c "exec sleep 30 > /dev/null 2>&1" &
let p = $!
jobs
`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\[1\] \d+$/m);
    assert.match(r.stdout, /^haha$/m);
    assert.match(r.stdout, /^\[2\] \d+ running\s+sh -c exec sleep 30/m);
    const pid = Number(/^\[2\] (\d+)$/m.exec(r.stdout)![1]);
    assert.ok(fs.existsSync(`/proc/${pid}`), 'the background sleep outlives the script');
    assert.equal(nsh(['down', 'inline-1']).code, 0);
    const state = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] : 'gone';
    assert.ok(state === 'gone' || state === 'Z', `the job was ended by down (state ${state})`);
    assertClean();
  });

  it('down drops a link\'s IPv6 addresses as ip link set down does, unless keep_addr_on_down is set', () => {
    const r = nsh(['-e', [
      'ns a b; veth a.v0 10.0.1.1/24 fd00:1::1/64 <-> b.v0 10.0.1.2/24 fd00:1::2/64',
      'down a.v0; up a.v0; in b ping 10.0.1.1 -c 1; ! in b ping fd00:1::1 -c 1 -W 0.5',
      'sysctl b net.ipv6.conf.all.keep_addr_on_down=1; down b.v0; up b.v0; addr a.v0 fd00:1::1/64; in a ping fd00:1::2 -c 1',
    ].join('; ')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(linkStates('a').find(l => l.ifname === 'v0')?.addrs, ['10.0.1.1/24', 'fd00:1::1/64']);
    assert.deepEqual(linkStates('b').find(l => l.ifname === 'v0')?.addrs, ['10.0.1.2/24', 'fd00:1::2/64']);
    assert.equal(nsh(['down', 'inline-1']).code, 0);
    assertClean();
  });

  it('lists labs and tears down every lab with down --all', () => {
    assert.equal(nsh(['--name', 'one', '-e', 'ns x1']).code, 0);
    assert.equal(nsh(['--name', 'two', '-e', 'ns x2; veth x2.v <-> host.x2v']).code, 0);
    const ls = nsh(['ls']);
    assert.match(ls.stdout, /^one: namespace x1$/m);
    assert.match(ls.stdout, /^two: namespace x2, link host\.x2v$/m);
    assert.equal(nsh(['down', '--all']).code, 0);
    assertClean();
  });

  it('down --all removes only what nsh recorded', () => {
    ip('netns', 'add', 'theirs');
    ip('link', 'add', 'theirs0', 'type', 'veth', 'peer', 'name', 'theirs1');
    assert.equal(nsh(['-e', 'ns mine']).code, 0);
    assert.equal(nsh(['down', '--all']).code, 0);
    assert.deepEqual(netnsList(), ['theirs']);
    assert.deepEqual(hostLinks().sort(), ['theirs0', 'theirs1']);
    ip('netns', 'del', 'theirs');
    ip('link', 'del', 'theirs0');
    assertClean();
  });
});
