/** The lab's part of the host (lab-part.ts): only the links the lab made there, and those its links name. */
import * as assert from 'node:assert/strict';
import type { LabSnapshot, LinkSnapshot } from '../../src/backend/backend.js';
import { labPart } from '../../src/graph/lab-part.js';
import { topologyOf } from '../../src/graph/topology.js';

const link = (name: string, more: Partial<LinkSnapshot> = {}): LinkSnapshot => ({ name, kind: 'veth', up: true, addresses: [], ...more });
const noFwd = { ipv4: false, ipv6: false };

/** A host full of things that are not the lab's, beside the lab's few. */
const busy: LabSnapshot = {
  namespaces: [
    {
      name: 'host',
      forwarding: noFwd,
      nat: true,
      links: [
        link('lo', { kind: 'loopback' }),
        link('eth0', { kind: 'device', addresses: ['192.0.2.10/24'] }),
        link('docker0', { kind: 'bridge', addresses: ['172.17.0.1/16'] }),
        link('vethd1', { master: 'docker0', peerOutside: true }),
        link('mine-a', { peer: { ns: 'host', ifname: 'mine-b' } }),
        link('mine-b', { peer: { ns: 'host', ifname: 'mine-a' } }),
        link('theirs-a', { peer: { ns: 'host', ifname: 'theirs-b' } }),
        link('theirs-b', { peer: { ns: 'host', ifname: 'theirs-a' } }),
        link('br-lab', { kind: 'bridge' }),
        link('v1', { peer: { ns: 'a', ifname: 'v0' }, master: 'br-lab', addresses: ['10.1.1.2/24'] }),
        link('eth0.7', { kind: 'vlan', vlan: { kind: 'link', id: 7, parent: 'eth0' } }),
      ],
      routes: [
        { dest: '10.1.2.0/24', family: 4, via: '10.1.1.1', dev: 'v1' },
        { dest: 'default', family: 4, via: '192.0.2.1', dev: 'eth0' },
      ],
    },
    {
      name: 'a',
      forwarding: noFwd,
      links: [link('v0', { peer: { ns: 'host', ifname: 'v1' } }), link('mv0', { kind: 'macvlan', macvlan: { parent: { ns: 'host', ifname: 'eth0' } } })],
      routes: [],
    },
  ],
};

describe('graph: the lab\'s part of the host', () => {
  it('keeps the links the lab made there, their peers, bridges and the macvlan parents the lab names; nothing else', () => {
    const host = labPart(busy, ['mine-a', 'mine-b']).namespaces[0]!;
    assert.deepEqual(host.links.map(l => l.name).sort(), ['br-lab', 'eth0', 'mine-a', 'mine-b', 'v1']);
    assert.deepEqual(host.routes.map(r => r.dest), ['10.1.2.0/24', 'default']);
    assert.equal(host.nat, true);
    // the lab's namespaces are untouched
    assert.equal(labPart(busy, []).namespaces[1], busy.namespaces[1]);
  });

  it('the picture of the lab names none of the host\'s other links', () => {
    const text = JSON.stringify(topologyOf(labPart(busy, ['mine-a', 'mine-b'])));
    for (const name of ['docker0', 'vethd1', 'theirs-a', 'theirs-b', '172.17.0.1', 'eth0.7']) assert.ok(!text.includes(name), name);
    for (const name of ['mine-a', 'v1', 'br-lab', 'eth0']) assert.ok(text.includes(`"${name}"`), name);
    // without the cut, the host's own veth pair would be drawn
    assert.ok(JSON.stringify(topologyOf(busy)).includes('theirs-a'));
  });
});
