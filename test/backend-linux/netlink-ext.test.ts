/**
 * Byte-exact tests of the requests for qdiscs, VLANs, macvlans, VXLANs, bridge VLAN entries,
 * nsids and socket diagnostics, against what iproute2 6.1's tc, ip, bridge and ss send
 * (fixtures-ext.ts, captured with strace by `capture-fixtures.sh capture-commands-ext.txt
 * fixtures-ext.ts`), and of the decoders against the kernel's answers there. The capture ran on a
 * kernel without netem, 802.1Q or bridge VLAN filtering: the tools still built and sent those
 * requests (the kernel refused them), so their bytes are here all the same. No privileges needed.
 *
 * Indices and fds are the capture's: v0 = 3 and v1 = 2 (its peer, a port of br1), the namespace
 * file of `netns a` opened as fd 4 by ip, fd 6 by `ip netns list`.
 */
import { strict as assert } from 'node:assert';
import {
  AF_BRIDGE, AF_INET, AF_INET6, BRIDGE_VLAN_INFO, BRIDGE_VLAN_INFO_PVID, BRIDGE_VLAN_INFO_UNTAGGED, IFLA_AF_SPEC, IFLA_BRIDGE_VLAN_INFO,
  IFLA_IFNAME, IFLA_MASTER, bytes, decodeBridgeVlans, ifinfomsg, nested, str, u32, IPPROTO_TCP, IPPROTO_UDP, type NlRequest, RTM_NEWLINK, RTM_NEWQDISC, TCP_LISTEN, type Netem,
  bridgeCreate, bridgeVlanAdd, bridgeVlanDel, bridgeVlanDump, decodeInetDiag, decodeLink, decodeMessages, decodeNsid, decodeQdisc,
  encodeMessage, inetDiagDump, macvlanCreate, netemReplace, nsidGet, parsePsched, qdiscDeleteRoot, qdiscDump,
  rootQdiscs, tbfBurst, tbfReplace, vlanCreate, vxlanCreate,
} from '../../src/backend/linux/netlink/index.js';
import { captured, sameKind } from './captured.js';
import { FIXTURES, PSCHED } from './fixtures-ext.js';

const clock = parsePsched(PSCHED);
const V0 = 3;
const V1 = 2;
const NS_A = { fd: 4 };

const CASES: Array<[key: string, req: NlRequest]> = [
  ['netem_full', netemReplace(V0, { delayUs: 10_000, jitterUs: 2_000, lossPct: 1, rateBps: 10e6 }, clock)],
  ['netem_delay', netemReplace(V0, { delayUs: 50_000 }, clock)],
  ['netem_loss', netemReplace(V0, { lossPct: 30 }, clock)],
  ['netem_duplicate', netemReplace(V0, { duplicatePct: 5 }, clock)],
  ['netem_reorder', netemReplace(V0, { delayUs: 10_000, reorderPct: 25 }, clock)],
  ['netem_corrupt', netemReplace(V0, { corruptPct: 1 }, clock)],
  ['netem_limit', netemReplace(V0, { limit: 500, delayUs: 5_000 }, clock)],
  ['netem_rate64', netemReplace(V0, { rateBps: 40e9 }, clock)],
  ['netem_all', netemReplace(V0, NETEM_ALL(), clock)],
  ['tbf_1mbit', tbfReplace(V0, { rateBps: 1e6 }, clock)],
  ['tbf_rate64', tbfReplace(V0, { rateBps: 40e9 }, clock)],
  ['qdisc_del', qdiscDeleteRoot(V0)],
  ['qdisc_dump', qdiscDump()],
  ['vlan_add', vlanCreate(V0, 10, { name: 'v0.10' })],
  ['vlan_netns', vlanCreate(V0, 20, { name: 'v0.20', netns: NS_A })],
  ['bridge_vlan_filtering', bridgeCreate('br1', { vlanFiltering: true })],
  ['bvlan_add_pvid', bridgeVlanAdd(V1, { vid: 10, pvid: true, untagged: true })],
  ['bvlan_add', bridgeVlanAdd(V1, { vid: 20 })],
  ['bvlan_del', bridgeVlanDel(V1, 1)],
  ['bvlan_dump', bridgeVlanDump()],
  ['macvlan_bridge', macvlanCreate(V0, 'bridge', { name: 'mv0', netns: NS_A })],
  ['macvlan_private', macvlanCreate(V0, 'private', { name: 'mv1', netns: NS_A })],
  ['macvlan_vepa', macvlanCreate(V0, 'vepa', { name: 'mv2', netns: NS_A })],
  ['macvlan_passthru', macvlanCreate(V0, 'passthru', { name: 'mv3', netns: NS_A })],
  ['vxlan_add', vxlanCreate({ id: 42, remote: '192.0.2.2', local: '192.0.2.1', learning: false }, { name: 'vx1', mtu: 1450 })],
  ['vxlan_add6', vxlanCreate({ id: 43, remote: 'fd00::2', local: 'fd00::1', port: 4789, learning: false }, { name: 'vx2' })],
  ['vxlan_netns', vxlanCreate({ id: 44, remote: '192.0.2.2', local: '192.0.2.1', learning: false }, { name: 'vx3', netns: NS_A })],
  ['nsid_list', nsidGet(6)],
  ['ss_tcp', inetDiagDump(AF_INET, IPPROTO_TCP)],
  ['ss_tcp', inetDiagDump(AF_INET6, IPPROTO_TCP)],
  ['ss_udp', inetDiagDump(AF_INET, IPPROTO_UDP)],
  ['ss_udp', inetDiagDump(AF_INET6, IPPROTO_UDP)],
];

function NETEM_ALL(): Netem {
  return { limit: 2000, delayUs: 20_000, jitterUs: 5_000, lossPct: 0.5, duplicatePct: 1, reorderPct: 10, corruptPct: 0.1, rateBps: 100e6 };
}

describe('linux/netlink requests of tc, ip, bridge and ss (bytes of iproute2 6.1)', () => {
  for (const [key, req] of CASES) {
    it(`${key}: ${FIXTURES[key]?.cmd}`, () => {
      const theirs = sameKind(FIXTURES, key, req);
      const ours = theirs.map((t) => encodeMessage(req, t.readUInt32LE(8), 0).toString('hex'));
      const i = ours.findIndex((o, j) => o === theirs[j]!.toString('hex'));
      if (i < 0) assert.equal(ours.at(-1), theirs.at(-1)!.toString('hex')); // shows the difference
    });
  }

  it('tbf: the default burst is 10 ms of the rate, at least two full frames; the latency 50 ms', () => {
    assert.equal(tbfBurst(125_000), 3028);
    assert.equal(tbfBurst(5e9), 5e7);
    // the cases above use the defaults and are tc's `burst 3028 latency 50ms` / `burst 50000000 latency 50ms`
    assert.match(FIXTURES['tbf_1mbit']!.cmd, /burst 3028 latency 50ms/);
    assert.match(FIXTURES['tbf_rate64']!.cmd, /burst 50000000 latency 50ms/);
  });

  it('netem delays beyond 32-bit ticks go in LATENCY64/JITTER64 (ns), as newer tc sends them', () => {
    const req = netemReplace(V0, { delayUs: 300e6, jitterUs: 1e6 }, clock);
    const q = decodeQdisc(decodeMessages(encodeMessage(req, 1))[0]!, clock);
    assert.ok(q?.kind === 'netem');
    assert.deepEqual(q.netem, { delayUs: 300e6, jitterUs: 1e6, limit: 1000 });
  });
});

describe('linux/netlink decoders of qdiscs, link kinds, nsids and sockets (kernel answers of the capture)', () => {
  it('netem options decode back to the units tc was given', () => {
    const [m] = decodeMessages(sameKind(FIXTURES, 'netem_all', CASES[8]![1]).at(-1)!);
    const q = decodeQdisc(m!, clock);
    assert.ok(q?.kind === 'netem');
    assert.equal(q.ifindex, V0);
    assert.deepEqual(q.netem, NETEM_ALL());
    const [big] = decodeMessages(sameKind(FIXTURES, 'netem_rate64', CASES[7]![1]).at(-1)!);
    const r = decodeQdisc(big!, clock);
    assert.ok(r?.kind === 'netem');
    assert.deepEqual(r.netem, { rateBps: 40e9, limit: 1000 });
  });

  it('a qdisc dump gives each link its root qdisc, tbf back in bit/s, bytes and µs', () => {
    const msgs = captured(FIXTURES, 'qdisc_dump', 'recv').flatMap((d) => decodeMessages(d.buf));
    const roots = rootQdiscs(msgs.filter((m) => m.type === RTM_NEWQDISC), clock);
    const q = roots.get(V0);
    assert.ok(q?.kind === 'tbf');
    assert.deepEqual(q.tbf, { rateBps: 1e6, burst: 3028, limit: 9278, latencyUs: 50_000 });
  });

  it('a detailed link dump gives the kinds\' data, peers, carrier and counters', () => {
    const msgs = captured(FIXTURES, 'dump_links_detail', 'recv').flatMap((d) => decodeMessages(d.buf));
    const links = new Map(msgs.filter((m) => m.type === RTM_NEWLINK).map(decodeLink).map((l) => [l.ifname, l]));
    assert.deepEqual(links.get('mv0')?.data, { kind: 'macvlan', mode: 'bridge' });
    assert.deepEqual(links.get('mv1')?.data, { kind: 'macvlan', mode: 'private' });
    assert.deepEqual(links.get('vx3')?.data, { kind: 'vxlan', id: 44, remote: '192.0.2.2', local: '192.0.2.1', port: 4789, learning: false });
    const v2 = links.get('v2')!;
    assert.equal(v2.kind, 'veth');
    assert.equal(typeof v2.linkNetnsId, 'number');
    assert.equal(v2.carrier, false);
    assert.deepEqual(Object.keys(v2.stats ?? {}), ['rxPackets', 'txPackets', 'rxBytes', 'txBytes']);
    assert.equal(links.get('lo')?.stats?.rxPackets, 0);
  });

  it('a bridge VLAN dump answer gives the port, its bridge and each VLAN with its flags, in order', () => {
    // (the capture's kernel has no bridge VLANs: the answer is made as the kernel's br_fill_ifinfo makes it)
    const info = (flags: number, vid: number) => bytes(IFLA_BRIDGE_VLAN_INFO, BRIDGE_VLAN_INFO.pack({ flags, vid }));
    const answer = encodeMessage({
      type: RTM_NEWLINK,
      flags: 0,
      header: ifinfomsg({ family: AF_BRIDGE, index: 5 }),
      attrs: [str(IFLA_IFNAME, 'p1'), u32(IFLA_MASTER, 4), nested(IFLA_AF_SPEC, [info(BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED, 10), info(0, 20)])],
    }, 1);
    assert.deepEqual(decodeBridgeVlans(decodeMessages(answer)[0]!), {
      index: 5, ifname: 'p1', master: 4, vlans: [{ vid: 10, pvid: true, untagged: true }, { vid: 20, pvid: false, untagged: false }],
    });
  });

  it('RTM_NEWNSID: the nsid, -1 when none is assigned', () => {
    const answers = captured(FIXTURES, 'nsid_list', 'recv').flatMap((d) => decodeMessages(d.buf));
    assert.ok(answers.length > 0);
    for (const m of answers) assert.equal(decodeNsid(m), -1);
  });

  it('sock_diag: the listener ss found, port and state', () => {
    const msgs = captured(FIXTURES, 'ss_tcp', 'recv').flatMap((d) => decodeMessages(d.buf));
    const socks = msgs.map(decodeInetDiag).filter((s) => s !== undefined);
    assert.deepEqual(socks.map((s) => [s.family, s.state, s.port, s.address]), [[AF_INET6, TCP_LISTEN, 7777, '::']]);
  });
});
