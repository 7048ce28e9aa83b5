import { closeSync } from 'node:fs';
/**
 * RtnlSocket and the request builders against the real kernel (in the sandbox), with iproute2 as
 * the oracle. Two named namespaces ra and rb; the sandbox's own namespace plays "host".
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import {
  AF_INET, AF_INET6, AF_UNSPEC, NetlinkError, RtnlSocket, addrAdd, addrDel, bridgeCreate, dumpAddrs, dumpLinks, dumpRoutes,
  getLink, linkDelete, linkDeleteGroup, linkMove, linkSetMaster, linkSetUp, routeAdd, routeDel, vethCreate,
} from '../../src/backend/linux/netlink/index.js';
import { createNamedNetns, deleteNamedNetns, listNamedNetns } from '../../src/backend/linux/netns.js';
import { describeKernel, ip, ipJson } from './kernel-sandbox.js';
import { NsHandles } from '../../src/backend/linux/handles.js';

const handles = new NsHandles();

interface IpLink { ifindex: number; ifname: string; flags: string[]; mtu: number; master?: string; link_netnsid?: number; group?: string }
interface IpAddr { ifname: string; addr_info: Array<{ family: string; local: string; prefixlen: number; tentative?: boolean; nodad?: boolean }> }
interface IpRoute { dst: string; gateway?: string; dev?: string }

/** ifindex of `name` through our own lookup (RTM_GETLINK by name). */
const linkIndex = (s: RtnlSocket, name: string): number => {
  const l = getLink(s, name);
  assert.ok(l, `no link ${name}`);
  return l.index;
};
const links = (ns: string): IpLink[] => ipJson<IpLink[]>('-n', ns, 'link', 'show');
const link = (ns: string, name: string): IpLink | undefined => links(ns).find((l) => l.ifname === name);
const addrs = (ns: string, dev: string) => ipJson<IpAddr[]>('-n', ns, 'addr', 'show', 'dev', dev)[0]?.addr_info ?? [];
const routes = (ns: string, ...fam: string[]): IpRoute[] => ipJson<IpRoute[]>('-n', ns, ...fam, 'route', 'show');

describeKernel('linux/rtnl: rtnetlink on the kernel', () => {
  let host: RtnlSocket;
  let sa: RtnlSocket;
  let sb: RtnlSocket;
  let fa: number;
  let fb: number;

  before(() => {
    closeSync(createNamedNetns('ra'));
    closeSync(createNamedNetns('rb'));
    fa = handles.netFd('ra');
    fb = handles.netFd('rb');
    host = RtnlSocket.open();
    sa = RtnlSocket.open(fa);
    sb = RtnlSocket.open(fb);
  });

  after(() => {
    for (const s of [host, sa, sb]) s?.close();
    handles.closeAll();
    for (const n of listNamedNetns()) deleteNamedNetns(n);
  });

  it('a socket acts on the namespace it was opened in', () => {
    assert.deepEqual(dumpLinks(sa).map((l) => l.ifname), ['lo']);
    sa.request(linkSetUp(1, true));
    assert.ok(link('ra', 'lo')!.flags.includes('UP'));
    assert.ok(!link('rb', 'lo')!.flags.includes('UP'));
    sb.request(linkSetUp(1, true));
  });

  it('creates a veth pair between two namespaces in one message', () => {
    host.request(vethCreate({ name: 'va', mtu: 1400, netns: { fd: fa } }, { name: 'vb', mtu: 1400, netns: { fd: fb } }));
    const va = link('ra', 'va')!;
    const vb = link('rb', 'vb')!;
    assert.ok(va && vb);
    assert.equal(va.mtu, 1400);
    assert.equal(vb.mtu, 1400);
    assert.equal(typeof va.link_netnsid, 'number', 'the peer is in another namespace');
    assert.ok(!ip('-j', 'link').includes('"va"'), 'nothing created in the host namespace');
    const mine = getLink(sa, 'va')!;
    assert.equal(mine.kind, 'veth');
    assert.equal(mine.peerIfindex, vb.ifindex);
  });

  it('sets links up and down, by name and by index', () => {
    sa.request(linkSetUp('va', true));
    sb.request(linkSetUp(linkIndex(sb, 'vb'), true));
    assert.ok(link('ra', 'va')!.flags.includes('UP'));
    assert.ok(link('rb', 'vb')!.flags.includes('UP'));
    sa.request(linkSetUp('va', false));
    assert.ok(!link('ra', 'va')!.flags.includes('UP'));
    sa.request(linkSetUp('va', true));
  });

  it('adds IPv4 and IPv6 addresses, IPv6 usable at once (no tentative flag)', () => {
    const ia = linkIndex(sa, 'va');
    const ib = linkIndex(sb, 'vb');
    sa.batchOrThrow([addrAdd(ia, { address: '10.1.1.1', prefix: 24 }), addrAdd(ia, { address: 'fd00::1', prefix: 64 })]);
    sb.batchOrThrow([addrAdd(ib, { address: '10.1.1.2', prefix: 24 }), addrAdd(ib, { address: 'fd00::2', prefix: 64 })]);
    const got = addrs('ra', 'va').filter((a) => a.local !== undefined && !a.local.startsWith('fe80'));
    assert.deepEqual(got.map((a) => `${a.local}/${a.prefixlen}`), ['10.1.1.1/24', 'fd00::1/64']);
    assert.ok(got.every((a) => !a.tentative));
    // addresses of namespaces created in this sandbox only
    execFileSync('ip', ['netns', 'exec', 'ra', 'ping', '-c1', '-W2', '10.1.1.2'], { stdio: 'ignore' });
    execFileSync('ip', ['netns', 'exec', 'ra', 'ping', '-6', '-c1', '-W2', 'fd00::2'], { stdio: 'ignore' });
    const mine = dumpAddrs(sa, AF_UNSPEC, ia).filter((a) => !a.address.startsWith('fe80'));
    assert.deepEqual(mine.map((a) => `${a.address}/${a.prefix}`), ['10.1.1.1/24', 'fd00::1/64']);
  });

  it('an error carries errno, its code and the kernel\'s extended-ack text', () => {
    const ia = linkIndex(sa, 'va');
    assert.throws(
      () => sa.request(addrAdd(ia, { address: '10.1.1.1', prefix: 24 })),
      (e: unknown) =>
        e instanceof NetlinkError && e.errno === 17 && e.code === 'EEXIST' && e.extack === 'ipv4: Address already assigned' &&
        /Address already assigned \(EEXIST\)/.test(e.message),
    );
    assert.throws(
      () => sa.request(routeAdd({ dst: { address: '10.5.0.0', prefix: 16 }, gateway: '10.99.0.1' })),
      (e: unknown) => e instanceof NetlinkError && e.code === 'ENETUNREACH' && e.extack === 'Nexthop has invalid gateway',
    );
    assert.throws(
      () => sa.request(linkDelete('nope')),
      (e: unknown) => e instanceof NetlinkError && e.code === 'ENODEV',
    );
  });

  it('removes addresses', () => {
    const ia = linkIndex(sa, 'va');
    sa.request(addrAdd(ia, { address: '10.3.3.3', prefix: 32 }));
    sa.request(addrDel(ia, { address: '10.3.3.3', prefix: 32 }));
    assert.ok(!addrs('ra', 'va').some((a) => a.local === '10.3.3.3'));
  });

  it('adds and deletes routes, IPv4 and IPv6', () => {
    const ia = linkIndex(sa, 'va');
    sa.batchOrThrow([
      routeAdd({ dst: 'default', gateway: '10.1.1.2' }),
      routeAdd({ dst: { address: '10.9.0.0', prefix: 16 }, oif: ia }),
      routeAdd({ dst: { address: 'fd01::', prefix: 64 }, gateway: 'fd00::2' }),
      routeAdd({ dst: 'default', gateway: 'fd00::2' }),
    ]);
    const r4 = routes('ra');
    assert.ok(r4.some((r) => r.dst === 'default' && r.gateway === '10.1.1.2'));
    assert.ok(r4.some((r) => r.dst === '10.9.0.0/16' && r.dev === 'va'));
    const r6 = routes('ra', '-6');
    assert.ok(r6.some((r) => r.dst === 'fd01::/64' && r.gateway === 'fd00::2'));
    assert.ok(r6.some((r) => r.dst === 'default' && r.gateway === 'fd00::2'));
    // our dump agrees with ip's
    const ours4 = dumpRoutes(sa, AF_INET).map((r) => (r.dst === 'default' ? 'default' : `${r.dst}/${r.prefix}`));
    assert.deepEqual(ours4, r4.map((r) => (r.dst.includes('/') || r.dst === 'default' ? r.dst : `${r.dst}/32`)));
    const ours6 = dumpRoutes(sa, AF_INET6).map((r) => (r.dst === 'default' ? 'default' : `${r.dst}/${r.prefix}`));
    assert.deepEqual(ours6, r6.map((r) => r.dst));

    sa.batchOrThrow([
      routeDel({ dst: { address: '10.9.0.0', prefix: 16 } }),
      routeDel({ dst: 'default', family: AF_INET }),
      routeDel({ dst: { address: 'fd01::', prefix: 64 } }),
      routeDel({ dst: 'default', family: AF_INET6 }),
    ]);
    assert.deepEqual(routes('ra').map((r) => r.dst), ['10.1.1.0/24']);
    assert.ok(!routes('ra', '-6').some((r) => r.dst === 'default' || r.dst === 'fd01::/64'));
  });

  it('creates a bridge and attaches and detaches ports', () => {
    sa.request(bridgeCreate('br0'));
    sa.request(vethCreate({ name: 'p0' }, { name: 'p1' }));
    const br = linkIndex(sa, 'br0');
    sa.batchOrThrow([linkSetUp('br0', true), linkSetMaster('p0', br)]);
    assert.equal(link('ra', 'p0')!.master, 'br0');
    assert.equal(getLink(sa, 'br0')!.kind, 'bridge');
    assert.equal(getLink(sa, 'p0')!.master, br);
    sa.request(linkSetMaster(linkIndex(sa, 'p0'), 0));
    assert.equal(link('ra', 'p0')!.master, undefined);
  });

  it('moves a link to another namespace with a new name, by fd and by pid', () => {
    const p1 = linkIndex(sa, 'p1');
    sa.request(linkMove(p1, { fd: fb }, 'q1'));
    assert.equal(link('ra', 'p1'), undefined);
    assert.ok(link('rb', 'q1'));
    // by pid: to the namespace of this process (the sandbox's own, "host" here)
    sb.request(linkMove(linkIndex(sb, 'q1'), { pid: process.pid }));
    assert.equal(link('rb', 'q1'), undefined);
    assert.ok(ipJson<IpLink[]>('link', 'show').some((l) => l.ifname === 'q1'));
    host.request(linkDelete('q1')); // deletes the pair (p0 in ra too)
    assert.equal(link('ra', 'p0'), undefined);
  });

  it('sends a batch of 100 messages in one buffer and reports each result', () => {
    const ia = linkIndex(sa, 'va');
    const adds = Array.from({ length: 100 }, (_, i) => addrAdd(ia, { address: `10.2.${i >> 8}.${(i & 255) + 1}`, prefix: 32 }));
    const results = sa.batch(adds);
    assert.equal(results.length, 100);
    assert.ok(results.every((r) => r.ok));
    assert.equal(addrs('ra', 'va').filter((a) => a.local?.startsWith('10.2.')).length, 100);

    // a failure in the middle names its message; the others still run
    const mixed = [adds[0]!, addrAdd(ia, { address: '10.4.0.1', prefix: 32 }), adds[1]!];
    const r = sa.batch(mixed);
    assert.deepEqual(r.map((x) => x.ok), [false, true, false]);
    const first = r[0]!;
    assert.ok(!first.ok && first.error.code === 'EEXIST' && first.error.index === 0);
    const third = r[2]!;
    assert.ok(!third.ok && third.error.index === 2);
    assert.throws(() => sa.batchOrThrow(mixed), (e: unknown) => e instanceof NetlinkError && e.index === 0);

    // only the last request of a batch asks for an ack: a batch that succeeds is one read
    const reads = { n: 0 };
    const receiveNow = sa.receiveNow.bind(sa);
    sa.receiveNow = () => (reads.n++, receiveNow());
    try {
      sa.batchOrThrow([3, 4, 5].map(i => addrAdd(ia, { address: `10.4.0.${i}`, prefix: 32 })));
      assert.equal(reads.n, 1);
      sa.batchOrThrow([3, 4, 5].map(i => addrDel(ia, { address: `10.4.0.${i}`, prefix: 32 })));
    } finally {
      sa.receiveNow = receiveNow;
    }

    const dels = Array.from({ length: 100 }, (_, i) => addrDel(ia, { address: `10.2.${i >> 8}.${(i & 255) + 1}`, prefix: 32 }));
    sa.batchOrThrow([...dels, addrDel(ia, { address: '10.4.0.1', prefix: 32 })]);
    assert.equal(addrs('ra', 'va').filter((a) => a.local?.startsWith('10.2.')).length, 0);
  });

  it('deletes a group of links in one message', () => {
    sb.batchOrThrow([
      vethCreate({ name: 'g0', group: 42 }, { name: 'g1', group: 42 }),
      vethCreate({ name: 'g2', group: 42 }, { name: 'g3', group: 42 }),
    ]);
    assert.equal(links('rb').filter((l) => l.group === '42').length, 4);
    sb.request(linkDeleteGroup(42));
    assert.deepEqual(links('rb').map((l) => l.ifname).sort(), ['lo', 'vb']);
  });

  it('link and address dumps agree with ip -j', () => {
    for (const [ns, s] of [['ra', sa], ['rb', sb]] as const) {
      assert.deepEqual(
        dumpLinks(s).map((l) => [l.index, l.ifname, l.mtu, l.up]),
        links(ns).map((l) => [l.ifindex, l.ifname, l.mtu, l.flags.includes('UP')]),
      );
      const theirs = ipJson<Array<IpAddr & { ifindex: number }>>('-n', ns, 'addr', 'show').flatMap((l) =>
        l.addr_info.map((a) => `${l.ifindex} ${a.local}/${a.prefixlen}`),
      );
      assert.deepEqual(dumpAddrs(s).map((a) => `${a.index} ${a.address}/${a.prefix}`).sort(), theirs.sort());
    }
  });

  it('deletes links by name and by index; deleting one veth end removes the pair', () => {
    sa.request(linkDelete('va'));
    assert.equal(link('ra', 'va'), undefined);
    assert.equal(link('rb', 'vb'), undefined);
    sa.request(linkDelete(linkIndex(sa, 'br0')));
    assert.deepEqual(links('ra').map((l) => l.ifname), ['lo']);
  });

  it('leaves nothing behind', () => {
    for (const s of [host, sa, sb]) s.close();
    handles.closeAll();
    deleteNamedNetns('ra');
    deleteNamedNetns('rb');
    assert.equal(ip('netns', 'list').trim(), '');
    assert.deepEqual(ipJson<IpLink[]>('link', 'show').map((l) => l.ifname), ['lo']);
  });
});
