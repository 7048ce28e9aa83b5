/**
 * Hand-written snapshots: the examples' labs as the kernel holds them after a run (the host of a
 * test sandbox holds only lo), a lab that uses what v2 adds (machines, VXLAN, VLANs, shaping,
 * macvlan, a veth to a namespace outside the lab), and one with NAT and published ports.
 */
import type { LabSnapshot, LinkSnapshot, NsSnapshot } from '../../src/backend/backend.js';

const lo = (up = false): LinkSnapshot => ({ name: 'lo', kind: 'loopback', up, mtu: 65536, addresses: up ? ['127.0.0.1/8', '::1/128'] : [] });
const noFwd = { ipv4: false, ipv6: false };
const ns = (name: string, links: LinkSnapshot[], more: Partial<NsSnapshot> = {}): NsSnapshot => ({ name, forwarding: noFwd, links, routes: [], ...more });
const veth = (name: string, peerNs: string, peerIf: string, addresses: string[] = [], more: Partial<LinkSnapshot> = {}): LinkSnapshot => ({
  name, kind: 'veth', up: true, mtu: 1500, peer: { ns: peerNs, ifname: peerIf }, addresses, ...more,
});

export const hello: LabSnapshot = {
  namespaces: [
    ns('host', [lo(), veth('v1', 'a', 'v0', ['10.1.1.2/24'])]),
    ns('a', [lo(), veth('v0', 'host', 'v1', ['10.1.1.1/24'])]),
  ],
};

export const router: LabSnapshot = {
  namespaces: [
    ns('host', [lo()]),
    ns('r', [lo(true), veth('h1', 'h1', 'eth0', ['10.0.1.1/24']), veth('h2', 'h2', 'eth0', ['10.0.2.1/24'])], { forwarding: { ipv4: true, ipv6: true } }),
    ns('h1', [lo(true), veth('eth0', 'r', 'h1', ['10.0.1.2/24'])], { routes: [{ dest: 'default', family: 4, via: '10.0.1.1' }] }),
    ns('h2', [lo(true), veth('eth0', 'r', 'h2', ['10.0.2.2/24'])], { routes: [{ dest: 'default', family: 4, via: '10.0.2.1' }] }),
  ],
};

export const star: LabSnapshot = {
  namespaces: [
    ns('host', [lo()]),
    ns('sw', [lo(), { name: 'br0', kind: 'bridge', up: true, mtu: 1500, addresses: [] }, ...[1, 2, 3, 4].map(i => veth(`p${i}`, `leaf${i}`, 'eth0', [], { master: 'br0' }))]),
    ...[1, 2, 3, 4].map(i => ns(`leaf${i}`, [lo(), veth('eth0', 'sw', `p${i}`, [`192.168.50.${i + 10}/24`])])),
  ],
};

export const dualstack: LabSnapshot = {
  namespaces: [
    ns('host', [lo()]),
    ns('left', [lo(true), veth('v0', 'right', 'v0', ['10.6.0.1/30', 'fd00:6::1/64'])]),
    ns('right', [lo(true), veth('v0', 'left', 'v0', ['10.6.0.2/30', 'fd00:6::2/64'])]),
  ],
};

/** Two machines joined by a VXLAN, a VLAN trunk to a filtering bridge, shaping, a macvlan and an outside veth. */
export const campus: LabSnapshot = {
  namespaces: [
    ns('host', [lo(), { name: 'eth0', kind: 'device', up: true, mtu: 1500, addresses: ['192.0.2.10/24'] }], { machine: 'local' }),
    ns('gw', [
      lo(true),
      veth('trunk', 'sw', 'up0', [], { shape: { delay: '10ms', jitter: '1ms', loss: '0.5%' } }),
      { name: 'trunk.10', kind: 'vlan', up: true, mtu: 1500, addresses: ['10.10.0.1/24'], vlan: { kind: 'link', id: 10, parent: 'trunk' } },
      { name: 'trunk.20', kind: 'vlan', up: true, mtu: 1500, addresses: ['10.20.0.1/24'], vlan: { kind: 'link', id: 20, parent: 'trunk' } },
      { name: 'wan', kind: 'vxlan', up: true, mtu: 1450, addresses: ['10.99.0.1/30'], peer: { ns: 'dc', ifname: 'wan' }, tunnel: { kind: 'vxlan', vni: 100, remote: 'm2' } },
      { name: 'mv0', kind: 'macvlan', up: true, mtu: 1500, addresses: ['192.0.2.50/24'], macvlan: { parent: { ns: 'host', ifname: 'eth0' }, mode: 'bridge' } },
      { name: 'dummy0', kind: 'dummy', up: true, mtu: 1500, addresses: ['10.255.0.1/32'] },
    ], { forwarding: { ipv4: true, ipv6: false }, machine: 'local', hostname: 'gateway' }),
    ns('sw', [
      lo(),
      { name: 'br0', kind: 'bridge', up: true, mtu: 1500, addresses: ['10.10.0.254/24'], vlan: { kind: 'bridge' } },
      veth('up0', 'gw', 'trunk', [], { master: 'br0', vlan: { kind: 'port', vlans: [{ id: 10, pvid: false, untagged: false }, { id: 20, pvid: false, untagged: false }] } }),
      veth('p1', 'pc1', 'eth0', [], { master: 'br0', vlan: { kind: 'port', vlans: [{ id: 10, pvid: true, untagged: true }] } }),
      veth('p2', 'pc2', 'eth0', [], { master: 'br0', up: false, vlan: { kind: 'port', vlans: [{ id: 20, pvid: true, untagged: true }] } }),
    ], { machine: 'local' }),
    ns('pc1', [lo(), veth('eth0', 'sw', 'p1', ['10.10.0.2/24'])], { machine: 'local' }),
    ns('pc2', [lo(), veth('eth0', 'sw', 'p2', ['10.20.0.2/24'], { carrier: false })], { machine: 'local' }),
    ns('dc', [
      lo(true),
      { name: 'wan', kind: 'vxlan', up: true, mtu: 1450, addresses: ['10.99.0.2/30'], peer: { ns: 'gw', ifname: 'wan' }, tunnel: { kind: 'vxlan', vni: 100, remote: 'local' } },
      veth('ext', '', '', [], { peer: undefined, peerOutside: true, mtu: 9000, shape: { rate: '100mbit' } }),
    ], { machine: 'm2', hostname: 'datacenter' }),
  ],
};

/** A lab behind the host's NAT, with ports published in the host and in the lab's router. */
export const natted: LabSnapshot = {
  namespaces: [
    ns('host', [lo(), { name: 'eth0', kind: 'device', up: true, mtu: 1500, addresses: ['192.0.2.10/24'] }, veth('r-up', 'r', 'up', ['10.0.0.1/30'])], {
      forwarding: { ipv4: true, ipv6: true },
      nat: true,
      published: [{ proto: 'tcp', port: 8080, to: '10.0.1.2', toPort: 80 }],
    }),
    ns('r', [lo(true), veth('up', 'host', 'r-up', ['10.0.0.2/30']), veth('h1', 'h1', 'eth0', ['10.0.1.1/24', 'fd00:1::1/64'])], {
      forwarding: { ipv4: true, ipv6: true },
      published: [{ proto: 'udp', port: 5353, to: 'fd00:1::2', toPort: 53 }],
    }),
    ns('h1', [lo(true), veth('eth0', 'r', 'h1', ['10.0.1.2/24', 'fd00:1::2/64'])], { routes: [{ dest: 'default', family: 4, via: '10.0.1.1' }] }),
  ],
};

export const all: Readonly<Record<string, LabSnapshot>> = { hello, router, star, dualstack, campus, natted };
