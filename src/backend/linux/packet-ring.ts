/**
 * The layout of an AF_PACKET receive ring, TPACKET_V3 (linux/if_packet.h), as libpcap uses it:
 * the kernel writes packets one after another into fixed-size blocks and hands a block to user
 * space whole (block_status TP_STATUS_USER) when it is full or its retire timer fires; user space
 * reads it in place, through the mapping, and gives it back (TP_STATUS_KERNEL). Each packet is a
 * struct tpacket3_hdr, then a struct sockaddr_ll (the direction: sll_pkttype), then the frame.
 * Offsets are those of the structs on every Linux architecture (fixed-size fields only).
 */

export const TPACKET_V3 = 2;
export const PACKET_RX_RING = 5;
export const PACKET_STATISTICS = 6;
export const PACKET_VERSION = 10;

export const TP_STATUS_KERNEL = 0;
export const TP_STATUS_USER = 1;
export const TP_STATUS_VLAN_VALID = 1 << 4;
export const TP_STATUS_VLAN_TPID_VALID = 1 << 6;

export const ARPHRD_ETHER = 1;
export const ARPHRD_LOOPBACK = 772;

/** How the ring is cut: blocks of blockSize bytes (a page multiple), each retired after retireMs at most. */
export interface RingGeometry {
  readonly blockSize: number;
  readonly blocks: number;
  readonly retireMs: number;
}

/**
 * 32 blocks of 512 KiB (16 MiB; tcpdump's default is 2 MiB), each handed over when full or 50 ms
 * after its first packet. 16 MiB are 130 ms of a 1 Gbit/s stream: on a busy machine the worker
 * may wait that long for a CPU. Sparse traffic takes a block per packet, so 32 blocks of 50 ms
 * let the worker start (up to half a second on a busy machine) without a drop, and 50 ms bound
 * how late a quiet link's packet is printed. Large blocks cost fewer wake-ups and writes per
 * packet (scripts/bench-capture: a third less CPU than 128 blocks of 128 KiB).
 */
export const DEFAULT_RING: RingGeometry = { blockSize: 1 << 19, blocks: 32, retireMs: 50 };

/** The bytes of a V3 frame slot; with V3 it only has to divide the block (packets may span slots). */
const FRAME_SIZE = 2048;

/** struct tpacket_req3 for setsockopt(PACKET_RX_RING). */
export function ringRequest(g: RingGeometry): Buffer {
  const b = Buffer.alloc(28);
  b.writeUInt32LE(g.blockSize, 0); // tp_block_size
  b.writeUInt32LE(g.blocks, 4); // tp_block_nr
  b.writeUInt32LE(FRAME_SIZE, 8); // tp_frame_size
  b.writeUInt32LE((g.blockSize / FRAME_SIZE) * g.blocks, 12); // tp_frame_nr
  b.writeUInt32LE(g.retireMs, 16); // tp_retire_blk_tov
  b.writeUInt32LE(0, 20); // tp_sizeof_priv
  b.writeUInt32LE(0, 24); // tp_feature_req_word
  return b;
}

/** struct sockaddr_ll to bind(): every protocol (ETH_P_ALL, network order) on one interface. */
export function packetSockaddr(ifindex: number, family: number, protocol: number): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt16LE(family, 0);
  b.writeUInt16BE(protocol, 2);
  b.writeInt32LE(ifindex, 4);
  return b;
}

/** sll_hatype of a bound packet socket's getsockname(): the interface's ARPHRD_* type. */
export const hardwareType = (sockaddrLl: Buffer): number => (sockaddrLl.length >= 10 ? sockaddrLl.readUInt16LE(8) : -1);

// struct tpacket_block_desc: version, offset_to_priv, then struct tpacket_hdr_v1
const BLOCK_STATUS = 8;
const BLOCK_NUM_PKTS = 12;
const BLOCK_FIRST = 16;
// struct tpacket3_hdr
const TP_NEXT = 0;
const TP_SEC = 4;
const TP_NSEC = 8;
const TP_SNAPLEN = 12;
const TP_LEN = 16;
const TP_STATUS = 20;
const TP_MAC = 24;
const TP_VLAN_TCI = 32;
const TP_VLAN_TPID = 36;
/** TPACKET_ALIGN(sizeof(struct tpacket3_hdr)): where the sockaddr_ll starts. */
const TP_SLL = 48;
const SLL_PKTTYPE = 10;

/** One packet of a block, read in place (the fields of the struct it lies behind). */
export interface RingPacket {
  /** Offset in the ring of the frame's first byte. */
  frame: number;
  /** Bytes of the frame in the ring. */
  kept: number;
  /** The frame's length on the wire. */
  wire: number;
  sec: number;
  nsec: number;
  pkttype: number;
  /** An 802.1Q tag the kernel took out of the frame (TP_STATUS_VLAN_VALID), else -1. */
  vlanTci: number;
  vlanTpid: number;
}

/**
 * The ring through the mapping: which blocks are user space's, and the packets they hold. The
 * headers' fields are read as 32-bit words of the machine's (little-endian) order: every field
 * read per packet lies at a multiple of 4 (a packet's header is 16-byte aligned).
 */
export class Ring {
  private readonly words: Int32Array;
  private readonly u32: Uint32Array;
  private readonly view: Buffer;

  constructor(
    buffer: ArrayBuffer,
    readonly g: RingGeometry,
  ) {
    this.words = new Int32Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.view = Buffer.from(buffer);
  }

  /** The ring's bytes (a view: nothing is copied). */
  get bytes(): Buffer {
    return this.view;
  }

  /** Whether block `i` is user space's to read (an atomic load: its packets are written before it). */
  ready(i: number): boolean {
    return (Atomics.load(this.words, (i * this.g.blockSize + BLOCK_STATUS) >> 2) & TP_STATUS_USER) !== 0;
  }

  /** Packets the kernel has put in block `i` so far (a hint while the kernel fills it). */
  filling(i: number): number {
    return this.u32[(i * this.g.blockSize + BLOCK_NUM_PKTS) >> 2]!;
  }

  /**
   * Calls `each` for the packets of block `i` in order, one reused object; `each` returns false
   * to stop early. Returns whether it went through all of them.
   */
  walk(i: number, p: RingPacket, each: (p: RingPacket) => boolean): boolean {
    const w = this.u32;
    const base = i * this.g.blockSize;
    const n = w[(base + BLOCK_NUM_PKTS) >> 2]!;
    let at = base + w[(base + BLOCK_FIRST) >> 2]!;
    for (let k = 0; k < n; k++) {
      const h = at >> 2;
      const status = w[h + TP_STATUS / 4]!;
      p.frame = at + (w[h + TP_MAC / 4]! & 0xffff);
      p.kept = w[h + TP_SNAPLEN / 4]!;
      p.wire = w[h + TP_LEN / 4]!;
      p.sec = w[h + TP_SEC / 4]!;
      p.nsec = w[h + TP_NSEC / 4]!;
      p.pkttype = this.view[at + TP_SLL + SLL_PKTTYPE]!;
      const tagged = (status & TP_STATUS_VLAN_VALID) !== 0;
      p.vlanTci = tagged ? w[h + TP_VLAN_TCI / 4]! & 0xffff : -1;
      p.vlanTpid = tagged && status & TP_STATUS_VLAN_TPID_VALID ? w[h + TP_VLAN_TPID / 4]! & 0xffff : 0x8100;
      if (!each(p)) return false;
      at += w[h + TP_NEXT / 4]!;
    }
    return true;
  }

  /** Gives block `i` back to the kernel (its count cleared first, so filling() never reads a stale one). */
  release(i: number): void {
    const base = i * this.g.blockSize;
    this.u32[(base + BLOCK_NUM_PKTS) >> 2] = 0;
    Atomics.store(this.words, (base + BLOCK_STATUS) >> 2, TP_STATUS_KERNEL);
  }
}

/** struct tpacket_stats_v3 (PACKET_STATISTICS; reading it resets the kernel's counters). */
export function readStats(b: Buffer): { packets: number; drops: number } {
  return { packets: b.readUInt32LE(0), drops: b.readUInt32LE(4) };
}
