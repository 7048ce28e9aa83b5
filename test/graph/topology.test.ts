/**
 * The topology of hand-written snapshots (the examples' labs, and a lab with machines, VXLAN,
 * VLANs, shaping, macvlan and an outside veth): what it holds, and its JSON, DOT and Mermaid
 * against golden files.
 */
import * as assert from 'node:assert/strict';
import { toDot } from '../../src/graph/dot.js';
import { toJson } from '../../src/graph/json.js';
import { toMermaid } from '../../src/graph/mermaid.js';
import { formatOf } from '../../src/graph/render.js';
import { topologyOf, withoutCounters, type Topology } from '../../src/graph/topology.js';
import { matchesGolden } from './golden-files.js';
import * as snaps from './snapshots.js';

const keys = (xs: readonly { key: string }[]) => xs.map(x => x.key);
const sorted = (xs: readonly string[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

const handWritten: Record<string, Topology> = Object.fromEntries(Object.entries(snaps.all).map(([n, s]) => [n, topologyOf(s, { lab: n })]));

describe('graph: topology of a snapshot', () => {
  it('hello: a namespace and the host, one veth between them, labelled with both ends', () => {
    const t = handWritten.hello!;
    assert.deepEqual(keys(t.nodes), ['ns:a', 'ns:host']);
    assert.deepEqual(keys(t.edges), ['veth:a.v0|host.v1']);
    const e = t.edges[0]!;
    assert.deepEqual([e.a.ifname, e.a.addresses, e.b.ifname, e.b.addresses], ['v0', ['10.1.1.1/24'], 'v1', ['10.1.1.2/24']]);
    assert.match(toDot(t), /a\.v0<\/b><br\/>10\.1\.1\.1\/24<br\/><b>host\.v1<\/b><br\/>10\.1\.1\.2\/24/);
  });

  it('router: three namespaces, the router marked as forwarding; lo is not drawn; the host stays out when no link reaches it', () => {
    const t = handWritten.router!;
    assert.deepEqual(keys(t.nodes), ['ns:h1', 'ns:h2', 'ns:r']);
    assert.equal(t.nodes.find(n => n.key === 'ns:r')!.forwarding, true);
    assert.deepEqual(keys(t.edges), ['veth:h1.eth0|r.h1', 'veth:h2.eth0|r.h2']);
    assert.deepEqual(t.clusters, []);
  });

  it('star: the bridge is a node of its own inside a cluster of its namespace; ports end on it', () => {
    const t = handWritten.star!;
    assert.deepEqual(keys(t.clusters), ['cluster:ns:sw']);
    const br = t.nodes.find(n => n.key === 'br:sw.br0')!;
    assert.equal(br.kind, 'bridge');
    assert.equal(br.cluster, 'cluster:ns:sw');
    assert.equal(t.nodes.find(n => n.key === 'ns:sw')!.cluster, 'cluster:ns:sw');
    for (let i = 1; i <= 4; i++) {
      const e = t.edges.find(x => x.key === `veth:leaf${i}.eth0|sw.p${i}`)!;
      assert.deepEqual([e.a.node, e.b.node], [`ns:leaf${i}`, 'br:sw.br0']);
    }
    assert.ok(t.edges.some(e => e.key === 'bridge:sw.br0' && e.a.node === 'ns:sw' && e.b.node === 'br:sw.br0'));
  });

  it('machines as clusters, VXLAN and VLANs marked, shaping and MTU written, an outside node, a macvlan to the host', () => {
    const t = handWritten.campus!;
    assert.deepEqual(keys(t.clusters), ['cluster:machine:local', 'cluster:machine:m2', 'cluster:ns:sw']);
    assert.equal(t.clusters.find(c => c.key === 'cluster:ns:sw')!.parent, 'cluster:machine:local');
    assert.equal(t.nodes.find(n => n.key === 'ns:dc')!.cluster, 'cluster:machine:m2');
    assert.deepEqual(keys(t.edges), [
      'bridge:sw.br0', 'macvlan:gw.mv0', 'outside:dc.ext', 'veth:gw.trunk|sw.up0', 'veth:pc1.eth0|sw.p1', 'veth:pc2.eth0|sw.p2', 'vxlan:dc.wan|gw.wan',
    ]);
    const dot = toDot(t);
    assert.match(dot, /VXLAN vni 100/);
    assert.match(dot, /mtu 1450/);
    assert.match(dot, /mtu 9000<br\/>rate 100mbit/);
    assert.match(dot, /trunk\.10 \(vlan 10\) 10\.10\.0\.1\/24/);
    assert.match(dot, /vlan 10,20/);
    assert.match(dot, /vlan 20 untagged/);
    assert.match(dot, /delay 10ms jitter 1ms loss 0\.5%/);
    assert.match(dot, /hostname gateway, forwarding/);
    // a link that is down, and one without carrier, look so
    assert.match(dot, /id="veth:pc2\.eth0\|sw\.p2"[^\n]*style="dashed"[^\n]*state-down/);
    // the dummy no edge shows is listed on its node; the host's own eth0 is not the lab's
    assert.deepEqual(t.nodes.find(n => n.key === 'ns:gw')!.interfaces, [{ ifname: 'dummy0', kind: 'dummy', up: true, addresses: ['10.255.0.1/32'] }]);
    assert.equal(t.nodes.find(n => n.key === 'ns:host')!.interfaces, undefined);
  });

  it('NAT and published ports are written on their namespace; the host is drawn for them even when no link reaches it', () => {
    const t = handWritten.natted!;
    const host = t.nodes.find(n => n.key === 'ns:host')!;
    assert.equal(host.nat, true);
    assert.deepEqual(host.published, [{ proto: 'tcp', port: 8080, to: '10.0.1.2', toPort: 80 }]);
    const dot = toDot(t);
    assert.match(dot, /<b>host<\/b><br\/><font [^>]*>forwarding, nat<\/font><br\/><font [^>]*>publish tcp 8080 -&gt; 10\.0\.1\.2:80<\/font>/);
    assert.match(dot, /publish udp 5353 -&gt; \[fd00:1::2\]:53/);
    assert.match(toMermaid(t), /host<br\/><small>forwarding, nat<\/small><br\/><small>publish tcp 8080 -#gt; 10\.0\.1\.2:80<\/small>/);
    // the host with the lab's NAT table and no link of the lab
    const alone = topologyOf({ namespaces: [{ ...snaps.natted.namespaces[0]!, links: [] }, snaps.natted.namespaces[2]!] });
    assert.deepEqual(keys(alone.nodes), ['ns:h1', 'ns:host']);
    assert.equal(alone.nodes.find(n => n.key === 'ns:host')!.nat, true);
    // a host without any is not drawn
    assert.deepEqual(keys(handWritten.router!.nodes), ['ns:h1', 'ns:h2', 'ns:r']);
  });

  it('keys are unique and every list is sorted by key; every edge ends on a node', () => {
    for (const [name, t] of Object.entries(handWritten)) {
      for (const list of [t.nodes, t.edges, t.clusters]) {
        assert.deepEqual(keys(list), sorted(keys(list)), name);
        assert.equal(new Set(keys(list)).size, list.length, name);
      }
      const nodes = new Set(keys(t.nodes));
      for (const e of t.edges) assert.ok(nodes.has(e.a.node) && nodes.has(e.b.node), `${name}: ${e.key}`);
    }
  });

  it('the same snapshot gives the same text; counters are state, not topology', () => {
    const withStats = {
      namespaces: snaps.hello.namespaces.map(ns => ({ ...ns, links: ns.links.map(l => ({ ...l, stats: { rxPackets: 1, txPackets: 2, rxBytes: 3, txBytes: 4 } })) })),
    };
    const t = topologyOf(withStats, { lab: 'hello' });
    assert.equal(t.edges[0]!.a.stats?.txPackets, 2);
    assert.equal(toJson(withoutCounters(t)), toJson(handWritten.hello!));
    assert.equal(toDot(t), toDot(handWritten.hello!));
  });

  it('an output file extension picks the format', () => {
    assert.deepEqual(['x.svg', 'x.DOT', 'a/b.mmd', 'x.json', 'x.html', 'x.png', 'x'].map(formatOf), ['svg', 'dot', 'mmd', 'json', 'html', undefined, undefined]);
  });

  for (const name of Object.keys(snaps.all)) {
    it(`${name}: JSON, DOT and Mermaid as the golden files`, () => {
      const t = handWritten[name]!;
      matchesGolden(`snapshot-${name}.json`, toJson(t));
      matchesGolden(`snapshot-${name}.dot`, toDot(t));
      matchesGolden(`snapshot-${name}.mmd`, toMermaid(t));
    });
  }
});
