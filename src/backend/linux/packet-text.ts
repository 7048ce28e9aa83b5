/**
 * One line per captured packet, with what `tcpdump -n -tttt` prints: the time, the protocol
 * (IP, IP6, ARP), addresses and ports, ICMP and ICMPv6 messages (echo with id and seq, neighbour
 * solicitation and advertisement, unreachables), TCP flags in tcpdump's notation ([S], [S.], [.],
 * [P.], [F.], [R]) with seq, ack and window, and each protocol's length as tcpdump counts it.
 * Added where tcpdump needs -e: the direction as `tcpdump -i any` shows it (In, Out, B, M, P)
 * and 802.1Q tags (`vlan 10`). Sequence numbers are absolute (tcpdump -S); protocols above UDP
 * are not decoded; a frame nsh does not know shows its ethertype.
 */
import ipaddr from 'ipaddr.js';

const ETH_IPV4 = 0x0800;
const ETH_ARP = 0x0806;
const ETH_IPV6 = 0x86dd;
const VLAN_TYPES = new Set([0x8100, 0x88a8, 0x9100]);

/** sll_pkttype → the word `tcpdump -i any` prints. */
const DIRECTION = ['In', 'B', 'M', 'P', 'Out'];
export const PACKET_OUTGOING = 4;

export interface PacketMeta {
  readonly sec: number;
  readonly nsec: number;
  /** The frame's length on the wire (the bytes at hand may be fewer). */
  readonly wire: number;
  /** sll_pkttype: PACKET_HOST 0, BROADCAST 1, MULTICAST 2, OTHERHOST 3, OUTGOING 4. */
  readonly pkttype: number;
  /** An 802.1Q tag the kernel took out of the frame (the ring's tp_vlan_tci); -1 or undefined for none. */
  readonly vlanTci?: number;
}

/** `2026-12-05 03:38:55.123456` in local time, as tcpdump -tttt; the date part is made once a second. */
export class TimeText {
  private sec = -1;
  private head = '';

  text(sec: number, nsec: number): string {
    if (sec !== this.sec) {
      const d = new Date(sec * 1000);
      const p = (n: number) => String(n).padStart(2, '0');
      this.head = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
      this.sec = sec;
    }
    return `${this.head}.${String(Math.floor(nsec / 1000)).padStart(6, '0')}`;
  }
}

/** The whole line: time, direction, then what the frame holds. */
export function packetLine(frame: Buffer, m: PacketMeta, time: TimeText): string {
  return `${time.text(m.sec, m.nsec)} ${DIRECTION[m.pkttype] ?? `pkttype-${m.pkttype}`} ${describeFrame(frame, m.wire, m.vlanTci)}`;
}

/** What an Ethernet frame holds, tcpdump-style (`IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 7, seq 1, length 64`). */
export function describeFrame(f: Buffer, wire: number, vlanTci?: number): string {
  let head = vlanTci === undefined || vlanTci < 0 ? '' : `vlan ${vlanTci & 0xfff}, `;
  if (f.length < 14) return `${head}[|ether]`;
  let type = f.readUInt16BE(12);
  let off = 14;
  while (VLAN_TYPES.has(type) && f.length >= off + 4) {
    head += `vlan ${f.readUInt16BE(off) & 0xfff}, `;
    type = f.readUInt16BE(off + 2);
    off += 4;
  }
  const p = f.subarray(off);
  switch (type) {
    case ETH_IPV4:
      return head + ipv4(p);
    case ETH_IPV6:
      return head + ipv6(p);
    case ETH_ARP:
      return head + arp(p);
    default:
      if (type < 0x0600) return `${head}802.3, length ${wire}`;
      return `${head}ethertype Unknown (0x${type.toString(16).padStart(4, '0')}), length ${wire}`;
  }
}

// ---- IPv4 ----------------------------------------------------------------------------------------

const v4 = (b: Buffer, at: number): string => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;

function ipv4(p: Buffer): string {
  if (p.length < 20 || p[0]! >> 4 !== 4) return 'IP [|ip]';
  const ihl = (p[0]! & 0x0f) * 4;
  const total = p.readUInt16BE(2);
  const frag = p.readUInt16BE(6);
  const offset = (frag & 0x1fff) * 8;
  const proto = p[9]!;
  const src = v4(p, 12);
  const dst = v4(p, 16);
  const len = total - ihl; // the payload's length, as the header says
  const body = p.subarray(ihl, Math.max(ihl, Math.min(p.length, total)));
  const fragText = offset > 0 || frag & 0x2000 ? ` (frag ${p.readUInt16BE(4)}:${len}@${offset}${frag & 0x2000 ? '+' : ''})` : '';
  if (offset > 0) return `IP ${src} > ${dst}: ip-proto-${proto}${fragText}`;
  return `IP ${transport(proto, src, dst, body, len, 4)}${fragText}`;
}

function icmp4(b: Buffer, len: number): string {
  if (b.length < 8) return 'ICMP [|icmp]';
  const type = b[0]!;
  const code = b[1]!;
  const tail = `, length ${len}`;
  if (type === 8 || type === 0) {
    return `ICMP echo ${type === 8 ? 'request' : 'reply'}, id ${b.readUInt16BE(4)}, seq ${b.readUInt16BE(6)}${tail}`;
  }
  if (type === 3) {
    // the packet that was not delivered follows, from its IP header on
    const inner = b.subarray(8);
    const ok = inner.length >= 20;
    const dst = ok ? v4(inner, 16) : '?';
    const innerProto = ok ? inner[9]! : 0;
    const innerBody = ok ? inner.subarray((inner[0]! & 0x0f) * 4) : Buffer.alloc(0);
    switch (code) {
      case 0:
        return `ICMP net ${dst} unreachable${tail}`;
      case 1:
        return `ICMP host ${dst} unreachable${tail}`;
      case 2:
        return `ICMP ${dst} protocol ${innerProto} unreachable${tail}`;
      case 3: {
        const name = innerProto === 6 ? 'tcp' : innerProto === 17 ? 'udp' : `ip-proto-${innerProto}`;
        const port = innerBody.length >= 4 ? innerBody.readUInt16BE(2) : 0;
        return `ICMP ${dst} ${name} port ${port} unreachable${tail}`;
      }
      case 4:
        return `ICMP ${dst} unreachable - need to frag (mtu ${b.readUInt16BE(6)})${tail}`;
      default:
        return `ICMP ${dst} unreachable - code ${code}${tail}`;
    }
  }
  if (type === 11) return `ICMP ${code === 0 ? 'time exceeded in-transit' : 'ip reassembly time exceeded'}${tail}`;
  return `ICMP type-#${type}${tail}`;
}

// ---- IPv6 ----------------------------------------------------------------------------------------

const v6 = (b: Buffer, at: number): string => ipaddr.fromByteArray([...b.subarray(at, at + 16)]).toString();

/** Extension headers tcpdump names before the upper protocol. */
const EXTENSIONS: Record<number, string> = { 0: 'HBH', 43: 'srcrt', 60: 'DSTOPT' };

function ipv6(p: Buffer): string {
  if (p.length < 40 || p[0]! >> 4 !== 6) return 'IP6 [|ip6]';
  const src = v6(p, 8);
  const dst = v6(p, 24);
  let next = p[6]!;
  let len = p.readUInt16BE(4);
  let off = 40;
  const end = Math.min(p.length, 40 + len);
  let names = '';
  for (;;) {
    const ext = EXTENSIONS[next];
    if (ext !== undefined && off + 2 <= end) {
      const size = (p[off + 1]! + 1) * 8;
      names += `${ext} `;
      next = p[off]!;
      off += size;
      len -= size;
      continue;
    }
    if (next === 44 && off + 8 <= end) {
      const f = p.readUInt16BE(off + 2);
      const offset = f & 0xfff8;
      names += `frag (${offset}|${len - 8}) `;
      next = p[off]!;
      off += 8;
      len -= 8;
      if (offset > 0) return `IP6 ${src} > ${dst}: ${names}ip-proto-${next}`;
      continue;
    }
    break;
  }
  const body = p.subarray(Math.min(off, end), end);
  if (next === 58) return `IP6 ${src} > ${dst}: ${names}${icmp6(body, len)}`;
  return `IP6 ${transport(next, src, dst, body, len, 6, names)}`;
}

function icmp6(b: Buffer, len: number): string {
  if (b.length < 4) return 'ICMP6 [|icmp6]';
  const type = b[0]!;
  const code = b[1]!;
  const tail = `, length ${len}`;
  const target = (at: number) => (b.length >= at + 16 ? v6(b, at) : '?');
  switch (type) {
    case 128:
    case 129:
      if (b.length < 8) return 'ICMP6 [|icmp6]';
      return `ICMP6, echo ${type === 128 ? 'request' : 'reply'}, id ${b.readUInt16BE(4)}, seq ${b.readUInt16BE(6)}${tail}`;
    case 135:
      return `ICMP6, neighbor solicitation, who has ${target(8)}${tail}`;
    case 136:
      return `ICMP6, neighbor advertisement, tgt is ${target(8)}${tail}`;
    case 133:
      return `ICMP6, router solicitation${tail}`;
    case 134:
      return `ICMP6, router advertisement${tail}`;
    case 130:
      return `ICMP6, multicast listener query${tail}`;
    case 131:
      return `ICMP6, multicast listener report${tail}`;
    case 132:
      return `ICMP6, multicast listener done${tail}`;
    case 143:
      return `ICMP6, multicast listener report v2, ${b.length >= 8 ? b.readUInt16BE(6) : 0} group record(s)${tail}`;
    case 1: {
      const inner = b.subarray(8);
      const dst = inner.length >= 40 ? v6(inner, 24) : '?';
      if (code === 4) {
        const name = inner[6] === 6 ? 'tcp' : inner[6] === 17 ? 'udp' : `ip-proto-${inner[6] ?? 0}`;
        const port = inner.length >= 44 ? inner.readUInt16BE(42) : 0;
        return `ICMP6, destination unreachable, unreachable port, ${dst} ${name} port ${port}${tail}`;
      }
      const why = ['unreachable route', 'unreachable prohibited', 'beyond scope', 'unreachable address'][code] ?? `code ${code}`;
      return `ICMP6, destination unreachable, ${why} ${dst}${tail}`;
    }
    case 2:
      return `ICMP6, packet too big, mtu ${b.length >= 8 ? b.readUInt32BE(4) : 0}${tail}`;
    case 3:
      return `ICMP6, time exceeded in-transit${tail}`;
    default:
      return `ICMP6, type-#${type}${tail}`;
  }
}

// ---- above IP --------------------------------------------------------------------------------------

/**
 * `SRC > DST: …` for an IP payload; `len` is the payload's length by the IP header, `names` the
 * IPv6 extension headers passed on the way.
 */
function transport(proto: number, src: string, dst: string, b: Buffer, len: number, family: 4 | 6, names = ''): string {
  const ports = (what: string) => {
    if (b.length < 4) return `${src} > ${dst}: ${names}${what} [|${what.toLowerCase()}]`;
    return `${src}.${b.readUInt16BE(0)} > ${dst}.${b.readUInt16BE(2)}: ${names}`;
  };
  switch (proto) {
    case 6: {
      const head = ports('TCP');
      if (b.length < 4) return head;
      return head + tcp(b, len);
    }
    case 17: {
      const head = ports('UDP');
      if (b.length < 4) return head;
      return `${head}UDP, length ${b.length >= 6 ? b.readUInt16BE(4) - 8 : len - 8}`;
    }
    case 1:
      if (family === 4) return `${src} > ${dst}: ${icmp4(b, len)}`;
      break;
    case 2:
      if (family === 4) return `${src} > ${dst}: igmp${b.length >= 1 ? ` type 0x${b[0]!.toString(16)}` : ''}, length ${len}`;
      break;
  }
  return `${src} > ${dst}: ${names}ip-proto-${proto} ${len}`;
}

/** tcpdump's flag letters, in its order: FIN SYN RST PUSH ACK URG ECE CWR. */
const TCP_FLAGS: readonly [number, string][] = [[0x01, 'F'], [0x02, 'S'], [0x04, 'R'], [0x08, 'P'], [0x10, '.'], [0x20, 'U'], [0x40, 'E'], [0x80, 'W']];

function tcp(b: Buffer, len: number): string {
  if (b.length < 20) return 'Flags [|tcp]';
  const seq = b.readUInt32BE(4);
  const ack = b.readUInt32BE(8);
  const doff = (b[12]! >> 4) * 4;
  const flags = b[13]!;
  const win = b.readUInt16BE(14);
  const data = len - doff;
  const letters = TCP_FLAGS.filter(([bit]) => flags & bit).map(([, c]) => c).join('') || 'none';
  let s = `Flags [${letters}]`;
  if (data > 0) s += `, seq ${seq}:${(seq + data) >>> 0}`;
  else if (flags & 0x07) s += `, seq ${seq}`;
  if (flags & 0x10) s += `, ack ${ack}`;
  s += `, win ${win}`;
  const opts = tcpOptions(b.subarray(20, Math.min(doff, b.length)));
  if (opts) s += `, options [${opts}]`;
  return `${s}, length ${Math.max(0, data)}`;
}

function tcpOptions(o: Buffer): string {
  const out: string[] = [];
  for (let i = 0; i < o.length; ) {
    const kind = o[i]!;
    if (kind === 0) {
      out.push('eol');
      break;
    }
    if (kind === 1) {
      out.push('nop');
      i++;
      continue;
    }
    const size = o[i + 1] ?? 0;
    if (size < 2 || i + size > o.length) {
      out.push('[bad opt]');
      break;
    }
    const v = o.subarray(i + 2, i + size);
    if (kind === 2 && size === 4) out.push(`mss ${v.readUInt16BE(0)}`);
    else if (kind === 3 && size === 3) out.push(`wscale ${v[0]}`);
    else if (kind === 4) out.push('sackOK');
    else if (kind === 8 && size === 10) out.push(`TS val ${v.readUInt32BE(0)} ecr ${v.readUInt32BE(4)}`);
    else if (kind === 5) {
      const blocks: string[] = [];
      for (let j = 0; j + 8 <= v.length; j += 8) blocks.push(`{${v.readUInt32BE(j)}:${v.readUInt32BE(j + 4)}}`);
      out.push(`sack ${blocks.length} ${blocks.join('')}`);
    } else out.push(`opt-${kind}`);
    i += size;
  }
  return out.join(',');
}

// ---- ARP --------------------------------------------------------------------------------------------

const mac = (b: Buffer, at: number): string => [...b.subarray(at, at + 6)].map(x => x.toString(16).padStart(2, '0')).join(':');

function arp(p: Buffer): string {
  const tail = `, length ${p.length}`;
  if (p.length < 28 || p.readUInt16BE(0) !== 1 || p.readUInt16BE(2) !== ETH_IPV4 || p[4] !== 6 || p[5] !== 4) {
    return `ARP${p.length >= 8 ? `, op ${p.readUInt16BE(6)}` : ''}${tail}`;
  }
  const op = p.readUInt16BE(6);
  const sha = mac(p, 8);
  const spa = v4(p, 14);
  const tha = mac(p, 18);
  const tpa = v4(p, 24);
  if (op === 1) {
    const known = tha === '00:00:00:00:00:00' ? '' : ` (${tha})`;
    return `ARP, Request who-has ${tpa}${known} tell ${spa}${tail}`;
  }
  if (op === 2) return `ARP, Reply ${spa} is-at ${sha}${tail}`;
  return `ARP, op ${op}${tail}`;
}
