import { closeSync } from 'node:fs';
/**
 * The qdisc, link-kind, bridge-VLAN, nsid, sock_diag and notification requests against the real
 * kernel (in the sandbox), with iproute2 (`tc -j`, `ip -j -d`, `bridge -j`, `ss`) as the oracle.
 * Where this kernel lacks a feature (netem, 802.1Q, bridge VLAN filtering), iproute2 is asked the
 * same thing first and our request must fail as its did.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import {
  NetlinkError, RtnlMonitor, RtnlSocket, bridgeCreate, bridgeVlanAdd, bridgeVlanDel, dumpLinks, dumpRootQdiscs, getLink,
  linkDelete, linkSetMaster, linkSetUp, listeners, listensOn, macvlanCreate, netemReplace, nsidOf, openDiag,
  qdiscDeleteRoot, tbfReplace, vethCreate, vlanCreate, vxlanCreate,
} from '../../src/backend/linux/netlink/index.js';
import { createNamedNetns, deleteNamedNetns, listNamedNetns } from '../../src/backend/linux/netns.js';
import { NsHandles } from '../../src/backend/linux/handles.js';

const handles = new NsHandles();
import { describeKernel, ipJson } from './kernel-sandbox.js';

/** Run an iproute2 tool: its exit status and standard error. */
function tool(cmd: string, ...args: string[]): { ok: boolean; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, err: r.stderr.trim() };
}
const json = <T>(cmd: string, ...args: string[]): T => JSON.parse(execFileSync(cmd, args, { encoding: 'utf8' }) || '[]') as T;

/** iproute2's words (strerror) for the errors met here. */
const STRERROR: Record<string, string> = {
  EOPNOTSUPP: 'Operation not supported',
  ENOTSUP: 'Operation not supported', // the same errno (95): node's name for it
  EINVAL: 'Invalid argument',
  ENOENT: 'No such file or directory',
  EBUSY: 'Device or resource busy',
};

/** What the kernel told `tool` (its "Error: …." or "RTNETLINK answers: …" line) and what it tells us must agree. */
function sameRefusal(theirs: { ok: boolean; err: string }, ours: () => void): void {
  assert.ok(!theirs.ok);
  assert.throws(ours, (e: unknown) => {
    assert.ok(e instanceof NetlinkError, String(e));
    const text = e.extack !== undefined ? `Error: ${e.extack}.` : `RTNETLINK answers: ${STRERROR[e.code] ?? e.code}`;
    assert.equal(text, theirs.err);
    return true;
  });
}

interface TcQdisc { kind: string; root?: boolean; options?: Record<string, unknown> }
interface IpLinkD {
  ifindex: number;
  ifname: string;
  operstate: string;
  master?: string;
  link_netnsid?: number;
  linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> };
  stats64?: { rx: { bytes: number; packets: number }; tx: { bytes: number; packets: number } };
}

describeKernel('linux/netlink kinds: qdiscs, VLANs, macvlan, VXLAN, nsids, sock_diag, notifications', () => {
  let host: RtnlSocket;
  let ka: RtnlSocket;
  let kb: RtnlSocket;
  let fa: number;
  let fb: number;
  const root = (ns: string, dev: string) => json<TcQdisc[]>('tc', '-n', ns, '-j', 'qdisc', 'show', 'dev', dev).find((q) => q.root);
  const linksD = (ns: string) => json<IpLinkD[]>('ip', '-n', ns, '-j', '-s', '-d', 'link', 'show');
  const index = (s: RtnlSocket, name: string): number => getLink(s, name)!.index;

  before(() => {
    closeSync(createNamedNetns('ka'));
    closeSync(createNamedNetns('kb'));
    fa = handles.netFd('ka');
    fb = handles.netFd('kb');
    host = RtnlSocket.open();
    ka = RtnlSocket.open(fa);
    kb = RtnlSocket.open(fb);
    host.request(vethCreate({ name: 'ea', netns: { fd: fa } }, { name: 'eb', netns: { fd: fb } }));
    host.request(vethCreate({ name: 'h0' }, { name: 'h1' }));
  });

  after(() => {
    for (const s of [host, ka, kb]) s?.close();
    handles.closeAll();
    for (const n of listNamedNetns()) deleteNamedNetns(n);
    spawnSync('ip', ['link', 'del', 'h0']);
  });

  it('tbf: replace, read back as tc shows it, then delete', () => {
    const ea = index(ka, 'ea');
    ka.request(tbfReplace(ea, { rateBps: 1e6 }));
    assert.deepEqual(root('ka', 'ea'), { ...root('ka', 'ea'), kind: 'tbf', options: { rate: 125000, burst: 3028, lat: 50000 } });
    const q = dumpRootQdiscs(ka).get(ea);
    assert.ok(q?.kind === 'tbf');
    assert.deepEqual(q.tbf, { rateBps: 1e6, burst: 3028, limit: 9278, latencyUs: 50000 });
    // replacing: a rate above 2^32-1 bytes/s goes in TCA_TBF_RATE64
    ka.request(tbfReplace(ea, { rateBps: 40e9 }));
    assert.equal(root('ka', 'ea')!.options!['rate'], 5e9);
    const big = dumpRootQdiscs(ka).get(ea);
    assert.ok(big?.kind === 'tbf' && big.tbf.rateBps === 40e9);
    ka.request(qdiscDeleteRoot(ea));
    assert.notEqual(root('ka', 'ea')?.kind, 'tbf');
    assert.notEqual(dumpRootQdiscs(ka).get(ea)?.kind, 'tbf');
  });

  it('netem: as tc has it on this kernel (applied, or refused the same way)', () => {
    const ea = index(ka, 'ea');
    const theirs = tool('tc', '-n', 'ka', 'qdisc', 'replace', 'dev', 'ea', 'root', 'netem', 'delay', '10ms', '2ms', 'loss', '1%', 'rate', '10mbit');
    const ours = () => ka.request(netemReplace(ea, { delayUs: 10_000, jitterUs: 2_000, lossPct: 1, rateBps: 10e6 }));
    if (!theirs.ok) return sameRefusal(theirs, ours);
    const shown = root('ka', 'ea');
    ka.request(qdiscDeleteRoot(ea));
    ours();
    assert.deepEqual(root('ka', 'ea')?.options, shown?.options);
    const q = dumpRootQdiscs(ka).get(ea);
    assert.ok(q?.kind === 'netem');
    assert.deepEqual(q.netem, { delayUs: 10_000, jitterUs: 2_000, lossPct: 1, rateBps: 10e6, limit: 1000 });
    ka.request(qdiscDeleteRoot(ea));
  });

  it('vlan: as ip has it on this kernel (made, or refused the same way)', () => {
    const ea = index(ka, 'ea');
    const theirs = tool('ip', '-n', 'ka', 'link', 'add', 'link', 'ea', 'name', 'ea.7', 'type', 'vlan', 'id', '7');
    const ours = () => ka.request(vlanCreate(ea, 10, { name: 'ea.10' }));
    if (!theirs.ok) return sameRefusal(theirs, ours);
    ours();
    const l = linksD('ka').find((x) => x.ifname === 'ea.10');
    assert.deepEqual(l?.linkinfo?.info_data?.['id'], 10);
    assert.deepEqual(getLink(ka, 'ea.10')?.data, { kind: 'vlan', id: 10 });
  });

  it('bridge with VLAN filtering and port VLANs: as ip and bridge have them on this kernel', () => {
    const theirs = tool('ip', '-n', 'ka', 'link', 'add', 'brx', 'type', 'bridge', 'vlan_filtering', '1');
    const ours = () => ka.request(bridgeCreate('brv', { vlanFiltering: true }));
    if (!theirs.ok) {
      sameRefusal(theirs, ours);
      // a plain bridge takes no VLAN entries either: bridge and we are refused alike
      ka.request(bridgeCreate('brv'));
      ka.request(vethCreate({ name: 'pv0' }, { name: 'pv1' }));
      ka.request(linkSetMaster('pv0', index(ka, 'brv')));
      const add = tool('bridge', '-n', 'ka', 'vlan', 'add', 'dev', 'pv0', 'vid', '10', 'pvid', 'untagged');
      if (!add.ok) sameRefusal(add, () => ka.request(bridgeVlanAdd(index(ka, 'pv0'), { vid: 10, pvid: true, untagged: true })));
      ka.batchOrThrow([linkDelete('brv'), linkDelete('pv0')]);
      return;
    }
    ours();
    assert.deepEqual(getLink(ka, 'brv')?.data, { kind: 'bridge', vlanFiltering: true });
    ka.request(vethCreate({ name: 'pv0' }, { name: 'pv1' }));
    ka.request(linkSetMaster('pv0', index(ka, 'brv')));
    const pv0 = index(ka, 'pv0');
    ka.batchOrThrow([bridgeVlanAdd(pv0, { vid: 10, pvid: true, untagged: true }), bridgeVlanAdd(pv0, { vid: 20 }), bridgeVlanDel(pv0, 1)]);
    const shown = json<Array<{ ifname: string; vlans: Array<{ vlan: number; flags?: string[] }> }>>('bridge', '-n', 'ka', '-j', 'vlan', 'show', 'dev', 'pv0');
    assert.deepEqual(shown[0]?.vlans, [{ vlan: 10, flags: ['PVID', 'Egress Untagged'] }, { vlan: 20 }]);
  });

  it('macvlan: made in another namespace on a host link, each mode read back as ip reads it', () => {
    const h0 = index(host, 'h0');
    const modes = ['bridge', 'private', 'vepa'] as const;
    host.batchOrThrow(modes.map((mode, i) => macvlanCreate(h0, mode, { name: `mv${i}`, netns: { fd: fa } })));
    for (const [i, mode] of modes.entries()) {
      assert.equal(linksD('ka').find((l) => l.ifname === `mv${i}`)?.linkinfo?.info_data?.['mode'], mode);
      assert.deepEqual(getLink(ka, `mv${i}`)?.data, { kind: 'macvlan', mode });
    }
    // passthru takes the lower link alone: refused next to the others, as ip is
    const theirs = tool('ip', 'link', 'add', 'link', 'h0', 'name', 'mvp', 'netns', 'ka', 'type', 'macvlan', 'mode', 'passthru');
    if (!theirs.ok) sameRefusal(theirs, () => host.request(macvlanCreate(h0, 'passthru', { name: 'mvq', netns: { fd: fa } })));
    ka.batchOrThrow(modes.map((_, i) => linkDelete(`mv${i}`)));
  });

  it('vxlan: IPv4 and IPv6 ends, port, no learning, mtu; in another namespace', () => {
    host.batchOrThrow([
      vxlanCreate({ id: 42, remote: '192.0.2.2', local: '192.0.2.1', learning: false }, { name: 'vx1', mtu: 1450, netns: { fd: fa } }),
      vxlanCreate({ id: 43, remote: 'fd00::2', local: 'fd00::1', learning: false }, { name: 'vx2', netns: { fd: fa } }),
    ]);
    const shown = linksD('ka');
    const vx1 = shown.find((l) => l.ifname === 'vx1')!;
    assert.deepEqual(
      Object.fromEntries(['id', 'remote', 'local', 'port', 'learning'].map((k) => [k, vx1.linkinfo?.info_data?.[k]])),
      { id: 42, remote: '192.0.2.2', local: '192.0.2.1', port: 4789, learning: false },
    );
    const vx2 = shown.find((l) => l.ifname === 'vx2')!;
    assert.equal(vx2.linkinfo?.info_data?.['remote6'] ?? vx2.linkinfo?.info_data?.['remote'], 'fd00::2');
    assert.deepEqual(getLink(ka, 'vx1')?.data, { kind: 'vxlan', id: 42, remote: '192.0.2.2', local: '192.0.2.1', port: 4789, learning: false });
    assert.deepEqual(getLink(ka, 'vx2')?.data, { kind: 'vxlan', id: 43, remote: 'fd00::2', local: 'fd00::1', port: 4789, learning: false });
    assert.equal(getLink(ka, 'vx1')?.mtu, 1450);
    ka.batchOrThrow([linkDelete('vx1'), linkDelete('vx2')]);
  });

  it('link dumps agree with ip -s -d: kinds, peers\' nsids, operstate, master, counters', () => {
    ka.request(bridgeCreate('brm'));
    ka.request(vethCreate({ name: 'q0' }, { name: 'q1' }));
    ka.batchOrThrow([linkSetMaster('q0', index(ka, 'brm')), linkSetUp('ea', true)]);
    kb.request(linkSetUp('eb', true));
    // counters may move between two dumps (IPv6 sends by itself on a link that comes up): ours is
    // read between two of ip's
    const before = linksD('ka');
    const ours = dumpLinks(ka);
    const after = linksD('ka');
    const OPER: Record<number, string> = { 0: 'UNKNOWN', 2: 'DOWN', 5: 'LOWERLAYERDOWN', 6: 'UP' };
    for (const l of after) {
      const o = ours.find((x) => x.index === l.ifindex)!;
      const b = before.find((x) => x.ifindex === l.ifindex)!;
      assert.equal(o.ifname, l.ifname);
      assert.equal(o.kind, l.linkinfo?.info_kind);
      assert.equal(o.linkNetnsId, l.link_netnsid);
      assert.equal(o.master === undefined ? undefined : ours.find((x) => x.index === o.master)?.ifname, l.master);
      assert.ok(o.stats && l.stats64 && b.stats64);
      for (const [mine, lo, hi] of [
        [o.stats.rxPackets, b.stats64.rx.packets, l.stats64.rx.packets],
        [o.stats.txPackets, b.stats64.tx.packets, l.stats64.tx.packets],
        [o.stats.rxBytes, b.stats64.rx.bytes, l.stats64.rx.bytes],
        [o.stats.txBytes, b.stats64.tx.bytes, l.stats64.tx.bytes],
      ] as const) assert.ok(lo <= mine && mine <= hi, `${l.ifname}: ${lo} <= ${mine} <= ${hi}`);
      if (b.operstate === l.operstate) assert.equal(OPER[o.operstate!], l.operstate, l.ifname);
    }
    assert.equal(ours.find((l) => l.ifname === 'q0')?.master, index(ka, 'brm'));
    ka.batchOrThrow([linkDelete('q0'), linkDelete('brm')]);
    // the veth's peer namespace, as an nsid seen from ka, is kb's
    const ea = ours.find((l) => l.ifname === 'ea')!;
    assert.equal(nsidOf(ka, fb), ea.linkNetnsId);
    assert.equal(ea.peerIfindex, index(kb, 'eb'));
    assert.equal(nsidOf(ka, fa), -1, 'a namespace has no nsid for itself until asked to');
  });

  it('sock_diag: the TCP and UDP servers of a namespace, as ss -ltn / -lun list them', async () => {
    const tcp = net.createServer();
    const tcp6 = net.createServer();
    const udp = dgram.createSocket('udp4');
    const diag = openDiag();
    try {
      await new Promise<void>((ok, fail) => tcp.once('error', fail).listen(7341, '127.0.0.1', ok));
      await new Promise<void>((ok, fail) => tcp6.once('error', fail).listen({ port: 7342, host: '::', ipv6Only: true }, ok));
      await new Promise<void>((ok) => udp.bind(7343, '127.0.0.1', ok));
      const ssPorts = (args: string) =>
        execFileSync('ss', [args, '-H'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean)
          .map((line) => Number(line.trim().split(/\s+/)[3]!.split(':').at(-1))).sort();
      assert.deepEqual(listeners(diag, 'tcp').map((s) => s.port).sort(), ssPorts('-ltn'));
      assert.deepEqual(listeners(diag, 'udp').map((s) => s.port).sort(), ssPorts('-lun'));
      assert.ok(listensOn(diag, 'tcp', 7341) && listensOn(diag, 'tcp', 7342) && listensOn(diag, 'udp', 7343));
      assert.ok(!listensOn(diag, 'tcp', 7343) && !listensOn(diag, 'udp', 7341));
      // a namespace of its own has none
      const other = openDiag(fa);
      try {
        assert.deepEqual(listeners(other, 'tcp'), []);
      } finally {
        other.close();
      }
    } finally {
      diag.close();
      tcp.close();
      tcp6.close();
      udp.close();
    }
  });

  it('notifications: a link set down in a namespace is told to a monitor opened there', () => {
    const mon = RtnlMonitor.open(fb);
    try {
      assert.deepEqual(mon.read(), [], 'nothing queued yet');
      kb.request(linkSetUp('eb', false));
      const events = mon.read();
      const down = events.find((e) => e.kind === 'link' && e.link.ifname === 'eb' && !e.link.up);
      assert.ok(down, JSON.stringify(events.map((e) => e.kind)));
      kb.request(linkSetUp('eb', true));
      assert.ok(mon.read().some((e) => e.kind === 'link' && e.action === 'new' && e.link.up));
      // an address: IPv4 group
      execFileSync('ip', ['-n', 'kb', 'addr', 'add', '10.77.0.2/24', 'dev', 'eb']);
      const added = mon.read();
      assert.ok(added.some((e) => e.kind === 'addr' && e.action === 'new' && e.addr.address === '10.77.0.2'));
      assert.ok(added.some((e) => e.kind === 'route' && e.route.dst === '10.77.0.0'));
    } finally {
      mon.close();
    }
    assert.equal(ipJson<unknown[]>('-n', 'kb', 'link', 'show').length, 2);
  });
});
