/**
 * vlan, nat, publish and macvlan through bin/nsh on the kernel the tests run on. The sandbox's own
 * namespace is the host; an "outside" namespace behind it stands for the internet (172.16.9.0/24),
 * and a "lanbox" namespace on a veth of the host stands for another machine on a LAN
 * (192.168.50.0/24). No traffic leaves the namespaces the test makes. The VLAN tests that need
 * 802.1Q and bridge VLAN filtering are in test/vm/vlan.test.ts; here a kernel without them gets
 * its sentence, and a kernel with them the link.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { echoFrom, echoServer } from '../helpers/tcp-echo.js';
import { assertClean, describeKernel, hostLinks, ip, ipJson, netnsList, nsh, scrub, writeScript } from './harness.js';

const nft = (...args: string[]): string => execFileSync('nft', args, { encoding: 'utf8' });
const sysctl = (key: string): string => fs.readFileSync(`/proc/sys/${key.replace(/\./g, '/')}`, 'utf8').trim();

/** The outside: a namespace behind the host, with no route back to the lab. */
function outside(): void {
  ip('netns', 'add', 'outside');
  ip('link', 'add', 'ext', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', 'outside');
  ip('addr', 'add', '172.16.9.1/24', 'dev', 'ext');
  ip('-n', 'outside', 'addr', 'add', '172.16.9.2/24', 'dev', 'eth0');
  for (const n of [[], ['-n', 'outside']]) ip(...n, 'link', 'set', 'lo', 'up');
  ip('link', 'set', 'ext', 'up');
  ip('-n', 'outside', 'link', 'set', 'eth0', 'up');
}

describeKernel('vlan, nat, publish and macvlan through nsh', function () {
  this.timeout(120_000);
  const servers: ChildProcess[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.kill();
    scrub();
  });

  it('vlan: made where the kernel has 802.1Q; elsewhere a sentence naming 8021q, and nothing half-made', () => {
    const r = nsh(['-e', 'ns a b; veth a.v0 <-> b.v0; vlan a.v0 10 10.0.10.1/24; vlan host.nope 10']);
    if (fs.existsSync('/proc/net/vlan')) {
      // the kernel has it: the link is made, and the next statement's missing parent fails
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /there is no interface "nope" in namespace "host"/);
    } else {
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^-e:1:29: error: cannot make the VLAN a\.v0\.10: this kernel has no 802\.1Q VLANs \(the module 8021q\)$/m);
      assert.match(r.stderr, /hint: where the kernel has the module, load it as root: modprobe 8021q/);
    }
    assert.match(r.stderr, /removed what this run made/);
    assertClean();
  });

  it('bridge … vlan: a sentence where the kernel lacks bridge VLAN filtering, and nothing half-made', function () {
    const r = nsh(['-e', 'ns s; veth s.p1 <-> s.p2; bridge s.br0 vlan p1']);
    if (r.code === 0) this.skip(); // the kernel filters VLANs: test/vm/vlan.test.ts
    assert.match(r.stderr, /cannot make s\.br0 filter VLANs: this kernel was built without bridge VLAN filtering \(CONFIG_BRIDGE_VLAN_FILTERING\)/);
    assertClean();
  });

  it('nat host and publish host: the lab reaches the outside as the host, and the outside and the host reach a server in the lab', async () => {
    outside();
    nft('add table inet mine');
    nft('add chain inet mine forw { type filter hook forward priority 0; policy accept; }');
    nft('add rule inet mine forw ip saddr 192.0.2.1 drop');
    const ruleset = nft('-j', 'list', 'ruleset');
    const file = writeScript('edge.ns', `
ns web
veth web.eth0 10.0.1.2/24 <-> host.web0 10.0.1.1/24
up web.lo
route web default via 10.0.1.1
nat host
publish host tcp 8080 -> 10.0.1.2:80
show host --json
`);
    servers.push(await echoServer('outside', 80));
    const r = nsh([file]);
    assert.equal(r.code, 0, r.stderr);
    const [host] = JSON.parse(r.stdout) as { nat?: boolean; published?: unknown[] }[];
    assert.equal(host?.nat, true);
    assert.deepEqual(host?.published, [{ proto: 'tcp', port: 8080, to: '10.0.1.2', toPort: 80 }]);
    // without NAT the outside could not answer: it has no route to 10.0.1.0/24
    assert.equal(echoFrom('web', '172.16.9.2', 80), '172.16.9.1', 'the outside sees the host');
    servers.push(await echoServer('web', 80));
    assert.equal(echoFrom('outside', '172.16.9.1', 8080), '172.16.9.2', 'from the outside, the server sees the client');
    assert.equal(echoFrom('host', '172.16.9.1', 8080), '172.16.9.1', 'from the host itself');
    assert.equal(sysctl('net.ipv4.ip_forward'), '1');

    const down = nsh(['down', 'edge']);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(nft('-j', 'list', 'ruleset'), ruleset, 'no nsh table remains; the test\'s own is as it was');
    assert.equal(sysctl('net.ipv4.ip_forward'), '0');
    assert.equal(sysctl('net.ipv6.conf.all.forwarding'), '0');
    assert.throws(() => echoFrom('outside', '172.16.9.1', 8080), 'nothing is published any more');
    nft('delete', 'table', 'inet', 'mine');
  });

  it('nat in a lab namespace: its table goes with the namespace, links made later join the lab\'s set', () => {
    const r = nsh(['--name', 'gw', '-e', `
ns gw in
veth in.eth0 10.0.2.2/24 <-> gw.in0 10.0.2.1/24
nat gw
veth in.eth1 <-> gw.in1
`]);
    assert.equal(r.code, 0, r.stderr);
    const set = JSON.parse(execFileSync('ip', ['netns', 'exec', 'gw', 'nft', '-j', 'list', 'set', 'inet', 'nsh_gw', 'lan'], { encoding: 'utf8' })) as {
      nftables: { set?: { elem?: string[] } }[];
    };
    assert.deepEqual(set.nftables.find(i => i.set)?.set?.elem?.sort(), ['in0', 'in1']);
    assert.equal(nsh(['down', 'gw']).code, 0);
    assertClean();
  });

  it('macvlan: a lab namespace on a LAN of the host; one placed in the host is removed at teardown', () => {
    ip('netns', 'add', 'lanbox');
    ip('link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', 'lanbox');
    ip('-n', 'lanbox', 'addr', 'add', '192.168.50.1/24', 'dev', 'eth0');
    ip('-n', 'lanbox', 'link', 'set', 'eth0', 'up');
    ip('link', 'set', 'lan0', 'up');
    const file = writeScript('lan.ns', `
ns a
macvlan host.lan0 -> a.mv0 192.168.50.2/24
macvlan host.lan0 -> host.mvh mode private 192.168.50.3/24
in a ping 192.168.50.1 -c 1
show a --json
`);
    const r = nsh([file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1 packets transmitted, 1 received/m);
    const shown = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { links: { name: string; macvlan?: unknown }[] }[];
    assert.deepEqual(shown[0]?.links.find(l => l.name === 'mv0')?.macvlan, { parent: 'host.lan0', mode: 'bridge' });
    const mvh = ipJson<{ linkinfo?: { info_kind?: string; info_data?: { mode?: string } } }[]>('-d', 'link', 'show', 'mvh');
    assert.deepEqual([mvh[0]?.linkinfo?.info_kind, mvh[0]?.linkinfo?.info_data?.mode], ['macvlan', 'private']);
    assert.equal(nsh(['down', 'lan']).code, 0);
    assert.deepEqual(hostLinks(), ['lan0'], 'the host\'s macvlan went with the lab');
    assert.deepEqual(netnsList(), ['lanbox']);
  });
});
