/**
 * The capture's line per packet (packet-text.ts) on frames made here, byte by byte: what tcpdump
 * -n prints for each (the kernel test compares with tcpdump itself on real traffic), and the
 * pcap file and record headers. Needs no kernel.
 */
import { strict as assert } from 'node:assert';
import { TimeText, describeFrame, packetLine } from '../../src/backend/linux/packet-text.js';
import { PCAP_MAGIC_NS, pcapFileHeader, pcapRecord } from '../../src/backend/linux/pcap.js';

const MAC_A = [0x02, 0, 0, 0, 0, 0x0a];
const MAC_B = [0x02, 0, 0, 0, 0, 0x0b];

function eth(type: number, payload: number[], tags: number[] = []): Buffer {
  const vlan = tags.flatMap(id => [0x81, 0x00, id >> 8, id & 0xff]);
  return Buffer.from([...MAC_B, ...MAC_A, ...vlan, type >> 8, type & 0xff, ...payload]);
}

const u16 = (n: number) => [n >> 8, n & 0xff];
const u32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

function ipv4(proto: number, body: number[], opts: { frag?: number; id?: number } = {}): number[] {
  return [0x45, 0, ...u16(20 + body.length), ...u16(opts.id ?? 1), ...u16(opts.frag ?? 0), 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, ...body];
}

function ipv6(next: number, body: number[], src = [0xfd, 0, ...Array(13).fill(0), 1], dst = [0xfd, 0, ...Array(13).fill(0), 2]): number[] {
  return [0x60, 0, 0, 0, ...u16(body.length), next, 64, ...src, ...dst, ...body];
}

describe('linux/packet-text: one line per packet, as tcpdump -n prints it', () => {
  it('ICMP echo request and reply', () => {
    const req = eth(0x0800, ipv4(1, [8, 0, 0, 0, ...u16(0x1234), ...u16(7), ...Array(56).fill(0)]));
    assert.equal(describeFrame(req, req.length), 'IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 4660, seq 7, length 64');
    const rep = eth(0x0800, ipv4(1, [0, 0, 0, 0, ...u16(1), ...u16(2)]));
    assert.equal(describeFrame(rep, rep.length), 'IP 10.0.0.1 > 10.0.0.2: ICMP echo reply, id 1, seq 2, length 8');
  });

  it('TCP flags, seq, ack, window and options in tcpdump notation', () => {
    const syn = [...u16(40000), ...u16(80), ...u32(100), ...u32(0), 0xa0, 0x02, ...u16(64240), 0, 0, 0, 0,
      2, 4, ...u16(1460), 4, 2, 8, 10, ...u32(5), ...u32(0), 1, 3, 3, 7];
    const f = eth(0x0800, ipv4(6, syn));
    assert.equal(describeFrame(f, f.length),
      'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 100, win 64240, options [mss 1460,sackOK,TS val 5 ecr 0,nop,wscale 7], length 0');
    const tcp = (flags: number, data: number[] = []) => {
      const b = eth(0x0800, ipv4(6, [...u16(80), ...u16(40000), ...u32(7), ...u32(101), 0x50, flags, ...u16(512), 0, 0, 0, 0, ...data]));
      return describeFrame(b, b.length).replace(/^.*?: /, '');
    };
    assert.equal(tcp(0x12), 'Flags [S.], seq 7, ack 101, win 512, length 0');
    assert.equal(tcp(0x10), 'Flags [.], ack 101, win 512, length 0');
    assert.equal(tcp(0x18, [1, 2, 3]), 'Flags [P.], seq 7:10, ack 101, win 512, length 3');
    assert.equal(tcp(0x11), 'Flags [F.], seq 7, ack 101, win 512, length 0');
    assert.equal(tcp(0x04), 'Flags [R], seq 7, win 512, length 0');
    assert.equal(tcp(0x00), 'Flags [none], win 512, length 0');
  });

  it('UDP over IPv4 and IPv6, and the unreachables that answer it', () => {
    const udp = [...u16(5000), ...u16(6000), ...u16(13), 0, 0, 1, 2, 3, 4, 5];
    const f4 = eth(0x0800, ipv4(17, udp));
    assert.equal(describeFrame(f4, f4.length), 'IP 10.0.0.1.5000 > 10.0.0.2.6000: UDP, length 5');
    const f6 = eth(0x86dd, ipv6(17, udp));
    assert.equal(describeFrame(f6, f6.length), 'IP6 fd00::1.5000 > fd00::2.6000: UDP, length 5');
    const unreach = eth(0x0800, ipv4(1, [3, 3, 0, 0, 0, 0, 0, 0, ...ipv4(17, udp)]));
    assert.equal(describeFrame(unreach, unreach.length), 'IP 10.0.0.1 > 10.0.0.2: ICMP 10.0.0.2 udp port 6000 unreachable, length 41');
  });

  it('ARP request and reply', () => {
    const arp = (op: number, tha: number[]) => eth(0x0806, [0, 1, 8, 0, 6, 4, 0, op, ...MAC_A, 10, 0, 0, 1, ...tha, 10, 0, 0, 2]);
    const req = arp(1, [0, 0, 0, 0, 0, 0]);
    assert.equal(describeFrame(req, req.length), 'ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28');
    const probe = arp(1, MAC_B);
    assert.equal(describeFrame(probe, probe.length), 'ARP, Request who-has 10.0.0.2 (02:00:00:00:00:0b) tell 10.0.0.1, length 28');
    const rep = arp(2, MAC_B);
    assert.equal(describeFrame(rep, rep.length), 'ARP, Reply 10.0.0.1 is-at 02:00:00:00:00:0a, length 28');
  });

  it('ICMPv6 neighbour solicitation and advertisement, echo, and an extension header', () => {
    const target = [0xfd, 0, ...Array(13).fill(0), 2];
    const ns = eth(0x86dd, ipv6(58, [135, 0, 0, 0, 0, 0, 0, 0, ...target, 1, 1, ...MAC_A]));
    assert.equal(describeFrame(ns, ns.length), 'IP6 fd00::1 > fd00::2: ICMP6, neighbor solicitation, who has fd00::2, length 32');
    const na = eth(0x86dd, ipv6(58, [136, 0, 0, 0, 0x60, 0, 0, 0, ...target]));
    assert.equal(describeFrame(na, na.length), 'IP6 fd00::1 > fd00::2: ICMP6, neighbor advertisement, tgt is fd00::2, length 24');
    const echo = eth(0x86dd, ipv6(58, [128, 0, 0, 0, ...u16(9), ...u16(3)]));
    assert.equal(describeFrame(echo, echo.length), 'IP6 fd00::1 > fd00::2: ICMP6, echo request, id 9, seq 3, length 8');
    const mld = eth(0x86dd, ipv6(0, [58, 0, 5, 2, 0, 0, 1, 0, 143, 0, 0, 0, 0, 0, 0, 1]));
    assert.equal(describeFrame(mld, mld.length), 'IP6 fd00::1 > fd00::2: HBH ICMP6, multicast listener report v2, 1 group record(s), length 8');
  });

  it('802.1Q tags, in the frame or taken out by the kernel; an unknown ethertype; a cut frame', () => {
    const udp = ipv4(17, [...u16(1), ...u16(2), ...u16(8), 0, 0]);
    const tagged = eth(0x0800, udp, [10]);
    assert.equal(describeFrame(tagged, tagged.length), 'vlan 10, IP 10.0.0.1.1 > 10.0.0.2.2: UDP, length 0');
    const untagged = eth(0x0800, udp);
    assert.equal(describeFrame(untagged, untagged.length, 0x2000 | 20), 'vlan 20, IP 10.0.0.1.1 > 10.0.0.2.2: UDP, length 0');
    const odd = eth(0x88b5, [1, 2, 3]);
    assert.equal(describeFrame(odd, 60), 'ethertype Unknown (0x88b5), length 60');
    assert.equal(describeFrame(Buffer.from([1, 2, 3]), 3), '[|ether]');
    const cut = eth(0x0800, ipv4(6, [0, 80]));
    assert.equal(describeFrame(cut, 100), 'IP 10.0.0.1 > 10.0.0.2: TCP [|tcp]');
    const frag = eth(0x0800, ipv4(17, [1, 2, 3, 4, 5, 6, 7, 8], { frag: 185, id: 42 }));
    assert.equal(describeFrame(frag, frag.length), 'IP 10.0.0.1 > 10.0.0.2: ip-proto-17 (frag 42:8@1480)');
  });

  it('the time as -tttt (local time, microseconds) and the direction as tcpdump -i any', () => {
    const t = new TimeText();
    const sec = Math.floor(new Date(2026, 0, 2, 3, 4, 5).getTime() / 1000);
    assert.equal(t.text(sec, 6_789_123), '2026-01-02 03:04:05.006789');
    const f = eth(0x0806, [0, 1, 8, 0, 6, 4, 0, 1, ...MAC_A, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2]);
    assert.equal(packetLine(f, { sec, nsec: 0, wire: f.length, pkttype: 4 }, t), '2026-01-02 03:04:05.000000 Out ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28');
    assert.match(packetLine(f, { sec, nsec: 0, wire: f.length, pkttype: 0 }, t), / In ARP/);
    assert.match(packetLine(f, { sec, nsec: 0, wire: f.length, pkttype: 1 }, t), / B ARP/);
  });

  it('pcap: the nanosecond magic, version 2.4, snaplen 262144, Ethernet; a record header', () => {
    const h = pcapFileHeader();
    assert.equal(h.length, 24);
    assert.deepEqual([h.readUInt32LE(0), h.readUInt16LE(4), h.readUInt16LE(6), h.readUInt32LE(16), h.readUInt32LE(20)], [PCAP_MAGIC_NS, 2, 4, 262144, 1]);
    const r = pcapRecord(100, 200, Buffer.from([1, 2, 3]), 60);
    assert.deepEqual([r.readUInt32LE(0), r.readUInt32LE(4), r.readUInt32LE(8), r.readUInt32LE(12), [...r.subarray(16)]], [100, 200, 3, 60, [1, 2, 3]]);
  });
});
