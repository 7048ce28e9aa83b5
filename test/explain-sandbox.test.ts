/**
 * The explain output is a real script: run by bash inside a private network + mount namespace it
 * builds the lab. iproute2 (`ip -j`) is the oracle for what was built.
 */
import * as assert from 'node:assert/strict';
import { inSandbox } from './helpers/sandbox.js';
import { runCli } from './helpers/run-cli.js';

const LAB = `# two hosts behind a router, and a bridged star, from a def and loops
def host_on NAME NET {
  ns $NAME
  veth $NAME.eth0 <-> r.$NAME 10.$NET.0.2/24
  route $NAME default via 10.$NET.0.3
}
ns r
forward r
for i in 1..2 {
  host_on h$i $i
}
ns sw
bridge sw.br0
for i in 1 2 3 {
  ns l$i
  veth l$i.eth0 192.168.7.\${10 + i}/24 <-> sw.l$i
}
attach sw.l1 sw.l2 sw.l3 -> sw.br0
up *.lo
ns six
veth six.v0 fd00:6::1/64 <-> host.six0 fd00:6::2/64
! in l1 ping 10.1.0.2 -c 1 -W 0.2
`;

/** `ip -j` output as data. */
function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

interface IpAddr {
  ifname: string;
  operstate: string;
  addr_info: { family: string; local: string; prefixlen: number }[];
}

describe('explain output run by bash builds the lab', function () {
  this.timeout(120_000);

  it('builds namespaces, veths, addresses, routes and a bridge that ip -j reports', async () => {
    const explained = await runCli(['--explain', '-e', LAB]);
    assert.equal(explained.stderr, '');
    assert.equal(explained.code, 0);
    const dump = [
      'bash -s',
      'echo ===; ip -j netns list',
      'for ns in r h1 h2 sw l1 l2 l3 six; do echo "=== $ns"; ip -n $ns -j addr; done',
      'echo "=== routes h1"; ip -n h1 -j route',
      'echo "=== master"; ip -n sw -j link show master br0',
      'echo "=== host"; ip -j addr show dev six0',
      'echo "=== fwd"; ip netns exec r cat /proc/sys/net/ipv4/ip_forward',
      'echo "=== ping"; ip netns exec h1 ping -c 1 -W 1 10.2.0.2 >/dev/null && echo h1-h2-ok',
      'ip netns exec l1 ping -c 1 -W 1 192.168.7.13 >/dev/null && echo l1-l3-ok',
    ].join('\n');
    const r = inSandbox(dump, { input: explained.stdout });
    assert.equal(r.code, 0, `sandbox failed:\n${r.stderr}\n${explained.stdout}`);
    const sections = new Map<string, string>();
    for (const block of r.stdout.split(/^=== ?/m).slice(1)) {
      const nl = block.indexOf('\n');
      sections.set(block.slice(0, nl).trim(), block.slice(nl + 1));
    }
    const names = parseJson<{ name: string }[]>(sections.get('')!).map(n => n.name).sort();
    assert.deepEqual(names, ['h1', 'h2', 'l1', 'l2', 'l3', 'r', 'six', 'sw']);
    const addrs = (ns: string) => parseJson<IpAddr[]>(sections.get(ns)!);
    const local = (ns: string, ifname: string) =>
      addrs(ns).find(l => l.ifname === ifname)?.addr_info.filter(a => a.family === 'inet' || !a.local.startsWith('fe80')).map(a => `${a.local}/${a.prefixlen}`);
    assert.deepEqual(local('h1', 'eth0'), ['10.1.0.2/24']);
    assert.deepEqual(local('r', 'h1'), ['10.1.0.3/24']);
    assert.deepEqual(local('r', 'h2'), ['10.2.0.3/24']);
    assert.deepEqual(local('l3', 'eth0'), ['192.168.7.13/24']);
    assert.deepEqual(local('six', 'v0'), ['fd00:6::1/64']);
    for (const ns of ['r', 'h1', 'l2']) assert.equal(addrs(ns).find(l => l.ifname === 'lo')?.operstate, 'UNKNOWN', `${ns}.lo up`);
    const routes = parseJson<{ dst: string; gateway?: string }[]>(sections.get('routes h1')!);
    assert.ok(routes.some(rt => rt.dst === 'default' && rt.gateway === '10.1.0.3'));
    const ports = parseJson<{ ifname: string }[]>(sections.get('master')!).map(p => p.ifname).sort();
    assert.deepEqual(ports, ['l1', 'l2', 'l3']);
    assert.match(sections.get('host')!, /fd00:6::2/);
    assert.equal(sections.get('fwd')!.trim(), '1');
    assert.match(sections.get('ping')!, /h1-h2-ok/);
    assert.match(sections.get('ping')!, /l1-l3-ok/);
  });

  it('shapes with tc as nsh does: a rate alone is tbf with nsh\'s burst and latency, off on an unshaped link passes', async () => {
    const explained = await runCli(['--explain', '-e', 'ns a b\nveth a.v0 <-> b.v0 rate 1mbit\nshape b.v0 rate 2mbit\nshape a.v0 off\nshape a.v0 off']);
    assert.equal(explained.code, 0, explained.stderr);
    const r = inSandbox('bash -s\ntc -n a -j qdisc show dev v0\ntc -n b -j qdisc show dev v0', { input: explained.stdout });
    assert.equal(r.code, 0, `sandbox failed:\n${r.stderr}\n${explained.stdout}`);
    const [a, b] = r.stdout.trim().split('\n').map(l => parseJson<{ kind: string; root?: boolean; options: unknown }[]>(l).find(q => q.root));
    assert.equal(a?.kind, 'noqueue');
    assert.deepEqual([b?.kind, b?.options], ['tbf', { rate: 250_000, burst: 3028, lat: 50_000 }]);
  });
});
