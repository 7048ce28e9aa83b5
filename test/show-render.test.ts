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
