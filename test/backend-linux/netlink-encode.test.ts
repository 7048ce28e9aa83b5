/**
 * Byte-exact tests of the rtnetlink encoder and decoder against what iproute2 itself sends and
 * receives (test/backend-linux/fixtures.ts, captured with strace by capture-fixtures.sh). No privileges
 * needed: nothing here talks to the kernel.
 *
 * Our request for the same operation must equal ip's bytes, with the same nlmsg_seq (ip uses the
 * time of day; we pass the captured one) and nlmsg_pid 0. Interface indices and namespace fds
 * below are the ones the capture saw (fresh sandbox: lo=1, v0=3, br0=4, ...; ip opened the
 * namespace files of `netns a`/`netns b` as fds 4 and 5).
 */
import { strict as assert } from 'node:assert';
import {
  AF_INET, AF_INET6, AttrMap, Attr, IFA_F_NODAD, IFINFOMSG_LEN, IFLA_IFNAME, IFLA_INFO_DATA, IFLA_INFO_KIND,
  IFLA_LINKINFO, IFLA_MTU, IFLA_NET_NS_FD, IFADDRMSG_LEN, NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK_TLVS, NLM_F_CAPPED,
  NlRequest, RTMSG_LEN, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWROUTE, VETH_INFO_PEER, addrAdd, addrDel, addrDump,
  bridgeCreate, decodeAddr, decodeLink, decodeMessages, decodeRoute, encodeMessage, linkDelete,
  linkDeleteGroup, linkDump, linkMove, linkSetGroup, linkSetMaster, linkSetUp, messageAttrs, nested,
  findU32, messageU32, parseError, parseIfinfomsg, routeAdd, routeDel, routeDump, str, u32, vethCreate, IFF_UP, IFLA_GROUP, NLM_F_ECHO,
  RTM_DELLINK,
} from '../../src/backend/linux/netlink/index.js';
import { LINK_MSG, infoData } from '../../src/backend/linux/netlink/maps.js';
import { decodeHeaded } from '../../src/backend/linux/netlink/nla.js';
import { captured as capturedIn, ipRequest as ipRequestIn } from './captured.js';
import { FIXTURES } from './fixtures.js';

const captured = (key: string, dir: 'send' | 'recv') => capturedIn(FIXTURES, key, dir);
const ipRequest = (key: string, req: NlRequest): Buffer => ipRequestIn(FIXTURES, key, req);

const CASES: Array<[key: string, req: NlRequest]> = [
  ['veth_add', vethCreate({ name: 'v0' }, { name: 'v1' })],
  ['veth_netns', vethCreate({ name: 'v2', mtu: 1400, netns: { fd: 4 } }, { name: 'v3', mtu: 1400, netns: { fd: 5 } })],
  ['veth_queues', vethCreate({ name: 'v4', queues: 1 }, { name: 'v5', queues: 1 })],
  ['bridge_add', bridgeCreate('br0')],
  ['link_up', linkSetUp(3, true)],
  ['link_down', linkSetUp(3, false)],
  ['set_master', linkSetMaster(3, 4)],
  ['nomaster', linkSetMaster(3, 0)],
  ['move_fd', linkMove(2, { fd: 4 })],
  ['move_pid', linkMove(3, { pid: 1 })],
  ['move_rename', linkMove(5, { fd: 4 }, 'w1')],
  ['set_group', linkSetGroup(3, 7)],
  ['addr_add4', addrAdd(3, { address: '10.1.1.1', prefix: 24 })],
  ['addr_add6', addrAdd(3, { address: 'fd00::1', prefix: 64 }, { nodad: true })],
  ['addr_del4', addrDel(3, { address: '10.1.1.1', prefix: 24 })],
  ['route_add_default4', routeAdd({ dst: 'default', gateway: '10.1.1.2' })],
  ['route_add_dev4', routeAdd({ dst: { address: '10.9.0.0', prefix: 16 }, oif: 3 })],
  ['route_add_via6', routeAdd({ dst: { address: 'fd01::', prefix: 64 }, gateway: 'fd00::2' })],
  ['route_add_default6', routeAdd({ dst: 'default', gateway: 'fd00::2' })],
  ['route_del4', routeDel({ dst: { address: '10.9.0.0', prefix: 16 } })],
  ['route_err_extack', routeAdd({ dst: { address: '10.5.0.0', prefix: 16 }, gateway: '10.99.0.1' })],
  ['link_del', linkDelete(4)],
  ['link_del_group', linkDeleteGroup(7)],
  ['dump_links', linkDump()],
  ['dump_addrs', addrDump()],
  ['dump_routes', routeDump(AF_INET)],
  ['dump_routes6', routeDump(AF_INET6)],
];

describe('linux/netlink encoder (bytes of iproute2)', () => {
  for (const [key, req] of CASES) {
    it(`${key}: ${FIXTURES[key]?.cmd}`, () => {
      const theirs = ipRequest(key, req);
      const ours = encodeMessage(req, theirs.readUInt32LE(8), 0);
      assert.equal(ours.toString('hex'), theirs.toString('hex'));
    });
  }

  it('decoding a request and re-encoding its attributes round-trips', () => {
    for (const [key, req] of CASES) {
      const bytes = ipRequest(key, req);
      const [m] = decodeMessages(bytes);
      assert.ok(m);
      const hdrLen = req.header.length;
      const attrs = messageAttrs(m, hdrLen).list.map((a) => new Attr(a.type, a.payload));
      const again = encodeMessage({ type: m.type, flags: m.flags, header: m.body.subarray(0, hdrLen), attrs }, m.seq, m.pid);
      assert.equal(again.toString('hex'), bytes.toString('hex'), key);
    }
  });

  it('nested attributes: the veth peer is an ifinfomsg plus attributes inside VETH_INFO_PEER', () => {
    const req = vethCreate({ name: 'v2', mtu: 1400, netns: { fd: 4 } }, { name: 'v3', mtu: 1400, netns: { fd: 5 } });
    const [m] = decodeMessages(encodeMessage(req, 1));
    assert.ok(m);
    const top = messageAttrs(m, IFINFOMSG_LEN);
    assert.equal(top.str(IFLA_IFNAME), 'v2');
    assert.equal(top.u32(IFLA_NET_NS_FD), 4);
    const info = top.nested(IFLA_LINKINFO)!;
    assert.equal(info.str(IFLA_INFO_KIND), 'veth');
    const peer = info.nested(IFLA_INFO_DATA)!.get(VETH_INFO_PEER)!;
    assert.equal(parseIfinfomsg(peer).index, 0);
    const peerAttrs = new AttrMap(peer, IFINFOMSG_LEN);
    assert.equal(peerAttrs.str(IFLA_IFNAME), 'v3');
    assert.equal(peerAttrs.u32(IFLA_MTU), 1400);
    assert.equal(peerAttrs.u32(IFLA_NET_NS_FD), 5);
  });

  it('the same request decodes through the declared maps: the veth peer is a link message inside IFLA_INFO_DATA', () => {
    const [m] = decodeMessages(ipRequest('veth_netns', CASES[1]![1]));
    const link = decodeHeaded(LINK_MSG, m!.body)!;
    assert.deepEqual([link.attrs.ifname, link.attrs.mtu, link.attrs.netnsFd, link.attrs.linkinfo?.kind], ['v2', 1400, 4, 'veth']);
    const data = infoData(link.attrs.linkinfo?.kind, link.attrs.linkinfo?.data);
    assert.ok(data?.kind === 'veth');
    assert.deepEqual(data.peer?.header, { family: 0, type: 0, index: 0, flags: 0, change: 0 });
    assert.deepEqual([data.peer?.attrs.ifname, data.peer?.attrs.mtu, data.peer?.attrs.netnsFd], ['v3', 1400, 5]);
  });

  it('a veth made up, numbered and grouped: index and IFF_UP in each ifinfomsg, IFLA_GROUP, NLM_F_ECHO', () => {
    const req = vethCreate({ name: 'h1', up: true, group: 77 }, { name: 'v0', index: 7, netns: { fd: 5 } }, { echo: true });
    const [m] = decodeMessages(encodeMessage(req, 1));
    assert.equal(m!.flags & NLM_F_ECHO, NLM_F_ECHO);
    const hdr = parseIfinfomsg(m!.body);
    assert.deepEqual([hdr.index, hdr.flags, hdr.change], [0, IFF_UP, IFF_UP]);
    const top = messageAttrs(m!, IFINFOMSG_LEN);
    assert.equal(top.u32(IFLA_GROUP), 77);
    const peer = top.nested(IFLA_LINKINFO)!.nested(IFLA_INFO_DATA)!.get(VETH_INFO_PEER)!;
    const p = parseIfinfomsg(peer);
    assert.deepEqual([p.index, p.flags, p.change], [7, 0, 0]);
    assert.equal(new AttrMap(peer, IFINFOMSG_LEN).u32(IFLA_GROUP), undefined);
  });

  it('a link named instead of numbered: ifi_index 0 and IFLA_IFNAME last, the rest as by index', () => {
    const pairs: Array<[NlRequest, NlRequest]> = [
      [linkSetUp('v0', true), linkSetUp(3, true)],
      [linkSetMaster('v0', 4), linkSetMaster(3, 4)],
      [linkSetGroup('v0', 7), linkSetGroup(3, 7)],
      [linkDelete('v0'), linkDelete(3)],
    ];
    for (const [named, numbered] of pairs) {
      const [m] = decodeMessages(encodeMessage(named, 1));
      const [n] = decodeMessages(encodeMessage(numbered, 1));
      assert.equal(m!.type, n!.type);
      assert.deepEqual(parseIfinfomsg(m!.body), { ...parseIfinfomsg(n!.body), index: 0 });
      const attrs = messageAttrs(m!, IFINFOMSG_LEN).list;
      assert.deepEqual(attrs.at(-1), { type: IFLA_IFNAME, payload: Buffer.from('v0\0') });
      assert.deepEqual(attrs.slice(0, -1), messageAttrs(n!, IFINFOMSG_LEN).list);
    }
    assert.equal(linkDelete('v0').type, RTM_DELLINK);
  });

  it('attribute lengths: nla_len excludes padding, nested lengths include the children padding', () => {
    const a = str(IFLA_IFNAME, 'v0'); // 4 + 3 bytes
    assert.equal(a.len(), 7);
    assert.equal(a.size(), 8);
    assert.equal(a.toBuffer().toString('hex'), '0700030076300000');
    const n = nested(IFLA_LINKINFO, [a, u32(IFLA_MTU, 1)], true);
    assert.equal(n.len(), 4 + 8 + 8);
    assert.equal(n.toBuffer().readUInt16LE(2), IFLA_LINKINFO | 0x8000); // NLA_F_NESTED
    assert.equal(new AttrMap(n.toBuffer()).nested(IFLA_LINKINFO)?.u32(IFLA_MTU), 1);
  });

  it('one u32 attribute is read without a map, as the map reads it (the last of a repeated type wins)', () => {
    const attrs = Buffer.concat([str(IFLA_IFNAME, 'v0'), u32(IFLA_MTU, 1400), u32(IFLA_GROUP, 7), u32(IFLA_MTU, 9000)].map(a => a.toBuffer()));
    const map = new AttrMap(attrs);
    for (const type of [IFLA_MTU, IFLA_GROUP, IFLA_LINKINFO]) assert.equal(findU32(attrs, type), map.u32(type));
    assert.equal(findU32(attrs, IFLA_MTU), 9000);
    assert.equal(findU32(attrs, IFLA_IFNAME), undefined); // a payload of 3 bytes is no u32
    const [m] = decodeMessages(encodeMessage(linkSetGroup(4, 9), 1));
    assert.equal(messageU32(m!, IFINFOMSG_LEN, IFLA_GROUP), messageAttrs(m!, IFINFOMSG_LEN).u32(IFLA_GROUP));
  });

  it('IPv6 addresses are added without DAD (IFA_F_NODAD in ifa_flags)', () => {
    const [m] = decodeMessages(encodeMessage(addrAdd(3, { address: 'fd00::1', prefix: 64 }), 1));
    assert.equal(m!.body.readUInt8(2), IFA_F_NODAD);
    const [v4] = decodeMessages(encodeMessage(addrAdd(3, { address: '10.0.0.1', prefix: 8 }), 1));
    assert.equal(v4!.body.readUInt8(2), 0);
  });
});

describe('linux/netlink decoder (kernel answers captured from iproute2)', () => {
  /** The last datagram received on the main socket (fd 3) for `key`. */
  function lastReply(key: string) {
    const r = captured(key, 'recv').filter((x) => x.fd === 3);
    return decodeMessages(r[r.length - 1]!.buf);
  }

  it('a success ACK is a capped NLMSG_ERROR with error 0 and the request header', () => {
    const req = ipRequest('veth_add', CASES[0]![1]);
    const [ack] = lastReply('veth_add');
    assert.equal(ack!.type, NLMSG_ERROR);
    assert.ok(ack!.flags & NLM_F_CAPPED);
    const e = parseError(ack!);
    assert.equal(e.errno, 0);
    assert.equal(e.request.seq, req.readUInt32LE(8));
    assert.equal(e.request.type, RTM_NEWLINK);
    assert.equal(e.request.len, req.length);
  });

  it('EEXIST: the error ack echoes the whole request and has no extended ack', () => {
    const [ack] = lastReply('veth_exists');
    const e = parseError(ack!);
    assert.equal(e.errno, 17);
    assert.equal(e.message, undefined);
    assert.equal(ack!.body.length, 4 + e.request.len);
  });

  it('extended ack: the kernel explains the error in text (NLMSGERR_ATTR_MSG)', () => {
    const [ack] = lastReply('route_err_extack');
    assert.ok(ack!.flags & NLM_F_ACK_TLVS);
    const e = parseError(ack!);
    assert.equal(e.errno, 101); // ENETUNREACH
    assert.equal(e.message, 'Nexthop has invalid gateway');
    assert.equal(FIXTURES['route_err_extack']!.err, 'Error: Nexthop has invalid gateway.');
  });

  it('a link dump reply decodes to links, then NLMSG_DONE', () => {
    const dgrams = captured('dump_links', 'recv').filter((x) => x.fd === 3);
    const msgs = dgrams.flatMap((d) => decodeMessages(d.buf));
    const links = msgs.filter((m) => m.type === RTM_NEWLINK).map(decodeLink);
    assert.deepEqual(links.map((l) => [l.index, l.ifname]), [[1, 'lo'], [2, 'v3']]);
    const [lo, v3] = links;
    assert.equal(lo!.up, true);
    assert.equal(lo!.mtu, 65536);
    assert.equal(v3!.kind, 'veth');
    assert.equal(v3!.mtu, 1400);
    assert.equal(v3!.up, false);
    assert.equal(v3!.peerIfindex, 2); // v2, in the other namespace
    assert.equal(typeof v3!.linkNetnsId, 'number');
    assert.ok(msgs.some((m) => m.type === NLMSG_DONE));
  });

  it('an address dump reply decodes to addresses', () => {
    const msgs = captured('dump_addrs', 'recv').flatMap((d) => decodeMessages(d.buf));
    const addrs = msgs.filter((m) => m.type === RTM_NEWADDR).map(decodeAddr);
    assert.deepEqual(
      addrs.map((a) => [a.index, a.family, a.address, a.prefix]),
      [[1, AF_INET, '127.0.0.1', 8], [1, AF_INET6, '::1', 128]],
    );
    assert.equal(IFADDRMSG_LEN, 8);
  });

  it('route dump replies decode to routes', () => {
    const v4 = captured('dump_routes', 'recv').filter((x) => x.fd === 3).flatMap((d) => decodeMessages(d.buf));
    const r4 = v4.filter((m) => m.type === RTM_NEWROUTE).map(decodeRoute);
    assert.deepEqual(
      r4.map((r) => [r.dst, r.prefix, r.gateway, r.oif, r.table]),
      [['default', 0, '10.1.1.2', 3, 254], ['10.1.1.0', 24, undefined, 3, 254]],
    );
    const v6 = captured('dump_routes6', 'recv').filter((x) => x.fd === 3).flatMap((d) => decodeMessages(d.buf));
    const r6 = v6.filter((m) => m.type === RTM_NEWROUTE).map(decodeRoute);
    assert.deepEqual(
      r6.map((r) => [r.dst, r.prefix, r.gateway]),
      [['fd00::', 64, undefined], ['fd01::', 64, 'fd00::2'], ['default', 0, 'fd00::2']],
    );
    assert.equal(RTMSG_LEN, 12);
  });
});
