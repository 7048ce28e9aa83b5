/** `show` drawn from a LabSnapshot (src/backend/show-render.ts), whoever made the snapshot: no kernel needed. */
import * as assert from 'node:assert/strict';
import { renderShow } from '../src/backend/show-render.js';
import type { LabSnapshot, LinkSnapshot, NsSnapshot } from '../src/core/snapshot.js';

const link = (name: string, more: Partial<LinkSnapshot> = {}): LinkSnapshot => ({ name, kind: 'veth', up: true, addresses: [], ...more });
const ns = (name: string, links: LinkSnapshot[], more: Partial<NsSnapshot> = {}): NsSnapshot => ({
  name, forwarding: { ipv4: false, ipv6: false }, links, routes: [], ...more,
});

const lab: LabSnapshot = {
  namespaces: [
    ns('host', [link('eth0', { kind: 'device' }), link('h1', { peer: { ns: 'a', ifname: 'e1' }, addresses: ['10.2.0.2/24'] })]),
    ns('a', [
      link('lo', { kind: 'loopback', up: false }),
      link('v0', { index: 2, mtu: 1500, peer: { ns: 'b', ifname: 'v0' }, addresses: ['10.1.0.1/24'] }),
      link('e1', { index: 3, peer: { ns: 'host', ifname: 'h1' }, addresses: ['10.2.0.1/24'] }),
      link('x', { carrier: false, peerOutside: true }),
    ], {
      routes: [{ dest: 'default', family: 4, via: '10.1.0.2', dev: 'v0' }],
      kernelRoutes: [{ dest: '10.1.0.0/24', family: 4, dev: 'v0' }, { dest: 'fe80::/64', family: 6, dev: 'v0' }],
    }),
    ns('b', [link('v0', { peer: { ns: 'a', ifname: 'v0' }, addresses: ['10.1.0.2/24'] })]),
  ],
};

describe('show, drawn from a snapshot', () => {
  it('the tree: links with state, kind, peer and addresses, then the routes the lab added; the host with its links into the lab only', () => {
    assert.equal(renderShow(lab, { what: 'tree', json: false }, false), [
      'host',
      '└─ h1         UP  veth  <-> a.e1  10.2.0.2/24',
      'a',
      '├─ lo         DOWN',
      '├─ v0         UP  veth  <-> b.v0  10.1.0.1/24',
      '├─ e1         UP  veth  <-> host.h1  10.2.0.1/24',
      '├─ x          NO-CARRIER  veth',
      '└─ route      default via 10.1.0.2 dev v0',
      'b',
      '└─ v0         UP  veth  <-> a.v0  10.1.0.2/24',
    ].join('\n'));
  });

  it('leaves the host out when the lab has no link there; shows all of it when asked for', () => {
    const noHost: LabSnapshot = { namespaces: [ns('host', [link('eth0', { kind: 'device' })]), lab.namespaces[2]!] };
    assert.doesNotMatch(renderShow(noHost, { what: 'tree', json: false }, false), /host/);
    assert.equal(renderShow(noHost, { what: 'tree', ns: 'host', json: false }, false), 'host\n└─ eth0       UP');
  });

  it('the routes table lists the kernel\'s routes too, IPv4 before IPv6, as ip route does', () => {
    assert.equal(renderShow(lab, { what: 'routes', ns: 'a', json: false }, false), [
      'NS  DESTINATION  VIA       DEV',
      'a   default      10.1.0.2  v0',
      'a   10.1.0.0/24            v0',
      'a   fe80::/64              v0',
    ].join('\n'));
  });

  it('JSON: the peer as NS.IF, a peer outside the lab marked, the index where known', () => {
    const [a] = JSON.parse(renderShow(lab, { what: 'tree', ns: 'a', json: true }, false)) as { links: Record<string, unknown>[]; routes: unknown[] }[];
    assert.deepEqual(a!.links[1], { name: 'v0', index: 2, kind: 'veth', state: 'up', mtu: 1500, peer: 'b.v0', addresses: ['10.1.0.1/24'] });
    assert.deepEqual(a!.links[3], { name: 'x', kind: 'veth', state: 'no-carrier', peerOutside: true, addresses: [] });
    assert.equal(a!.routes.length, 3);
  });
});

describe('show: VLANs, macvlans, NAT and published ports', () => {
  const vlans: LabSnapshot = {
    namespaces: [
      ns('host', [link('v0', { peer: { ns: 'r', ifname: 'up' } })], {
        nat: true,
        published: [{ proto: 'tcp', port: 8080, to: '10.0.10.11', toPort: 80 }, { proto: 'udp', port: 53, to: 'fd00::2', toPort: 5353 }],
      }),
      ns('sw', [
        link('br0', { kind: 'bridge', vlan: { kind: 'bridge' } }),
        link('p1', { master: 'br0', vlan: { kind: 'port', vlans: [{ id: 10, pvid: true, untagged: true }] } }),
        link('up', { master: 'br0', vlan: { kind: 'port', vlans: [{ id: 10, pvid: false, untagged: false }, { id: 20, pvid: false, untagged: false }] } }),
        link('odd', { master: 'br0', vlan: { kind: 'port', vlans: [{ id: 1, pvid: true, untagged: true }, { id: 30, pvid: false, untagged: false }] } }),
      ]),
      ns('r', [
        link('t0'),
        link('t0.10', { kind: 'vlan', vlan: { kind: 'link', id: 10, parent: 't0' }, addresses: ['10.0.10.1/24'] }),
        link('mv0', { kind: 'macvlan', macvlan: { parent: { ns: 'host', ifname: 'eth0' }, mode: 'bridge' } }),
      ]),
    ],
  };

  it('the tree: a vlan on its parent, a VLAN-filtering bridge, each port\'s VLANs in attach\'s words, a macvlan\'s parent, NAT and published ports', () => {
    assert.equal(renderShow(vlans, { what: 'tree', json: false }, false), [
      'host',
      '├─ v0         UP  veth  <-> r.up',
      '├─ nat        masquerades what it forwards to the outside',
      '├─ publish    tcp 8080 -> 10.0.10.11:80',
      '└─ publish    udp 53 -> [fd00::2]:5353',
      'sw',
      '├─ br0        UP  bridge vlan',
      '├─ p1         UP  veth  master br0  vlan 10 untagged',
      '├─ up         UP  veth  master br0  vlan 10,20',
      '└─ odd        UP  veth  master br0  vlan 1 pvid untagged, 30',
      'r',
      '├─ t0         UP  veth',
      '├─ t0.10      UP  vlan 10 on t0  10.0.10.1/24',
      '└─ mv0        UP  macvlan bridge on host.eth0',
    ].join('\n'));
  });

  it('keeps the host for its NAT alone', () => {
    const natOnly: LabSnapshot = { namespaces: [ns('host', [link('eth0', { kind: 'device' })], { nat: true }), ns('a', [])] };
    assert.match(renderShow(natOnly, { what: 'tree', json: false }, false), /^host\n└─ nat /);
  });

  it('JSON: vlan, vlanFiltering, vlans, macvlan on the links; nat and published on the namespace', () => {
    const [host, sw, r] = JSON.parse(renderShow(vlans, { what: 'tree', json: true }, false)) as { links: Record<string, unknown>[]; [k: string]: unknown }[];
    assert.equal(host!['nat'], true);
    assert.deepEqual(host!['published'], [{ proto: 'tcp', port: 8080, to: '10.0.10.11', toPort: 80 }, { proto: 'udp', port: 53, to: 'fd00::2', toPort: 5353 }]);
    assert.equal(sw!.links[0]!['vlanFiltering'], true);
    assert.deepEqual(sw!.links[1]!['vlans'], [{ id: 10, pvid: true, untagged: true }]);
    assert.deepEqual(r!.links[1]!['vlan'], { id: 10, parent: 't0' });
    assert.deepEqual(r!.links[2]!['macvlan'], { parent: 'host.eth0', mode: 'bridge' });
    assert.equal(r!['nat'], undefined);
  });
});
