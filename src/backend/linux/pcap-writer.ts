/**
 * pcap records straight from the ring to the file: a record is its header (made here) and the
 * frame's bytes where the kernel put them, gathered by writev(); nothing of a packet is copied in
 * user space. A writev() holds whole records only, so the file ends at a record's end whenever
 * nsh stops or is killed between two calls. An 802.1Q tag the kernel took out of the frame is
 * put back between the MAC addresses and the ethertype, as libpcap does.
 */
import { type Mapped, allocStable, freeStable, writev } from './libc-packet.js';
import { RECORD_HEADER_SIZE, SNAPLEN } from './pcap.js';
import type { RingPacket } from './packet-ring.js';

/** iovecs per writev() (IOV_MAX is 1024). */
const IOVECS = 1024;
const IOVEC = 16;
/** Room for the record headers and tags of the iovecs' records. */
const HEADS = IOVECS * 12;
const MACS = 12;
const TAG = 4;

export class PcapWriter {
  private readonly iov: Mapped;
  /** The iovecs as 32-bit words: base low, base high, length low, length high. */
  private readonly iovWords: Uint32Array;
  private readonly heads: Mapped;
  private readonly headWords: Uint32Array;
  private readonly headView: Buffer;
  private n = 0;
  private used = 0;
  private pendingBytes = 0;
  /** Bytes written to the file so far (after the file header). */
  written = 0;

  /** `ringAddress`: where the ring is mapped; `RingPacket.frame` offsets are from there. */
  constructor(
    private readonly fd: number,
    private readonly ringAddress: number,
  ) {
    this.iov = allocStable(IOVECS * IOVEC);
    this.iovWords = new Uint32Array(this.iov.buffer);
    this.heads = allocStable(HEADS);
    this.headWords = new Uint32Array(this.heads.buffer);
    this.headView = Buffer.from(this.heads.buffer);
  }

  /** Adds the record of packet `p` (written at the next flush, or now when the batch is full). */
  add(p: RingPacket): void {
    if (this.n + 4 > IOVECS || this.used + RECORD_HEADER_SIZE + TAG > HEADS) this.flush();
    const tagged = p.vlanTci >= 0 && p.kept >= MACS;
    const kept = Math.min(p.kept + (tagged ? TAG : 0), SNAPLEN);
    const head = this.used;
    // the record header (pcap.ts's layout), as words of the machine's order, which the magic declares
    const hw = this.headWords;
    const h = head >> 2;
    hw[h] = p.sec;
    hw[h + 1] = p.nsec;
    hw[h + 2] = kept;
    hw[h + 3] = p.wire + (tagged ? TAG : 0);
    this.used += RECORD_HEADER_SIZE;
    this.vec(this.heads.address + head, RECORD_HEADER_SIZE);
    const frame = this.ringAddress + p.frame;
    if (!tagged) {
      this.vec(frame, kept);
      return;
    }
    const tag = this.used;
    this.headView.writeUInt16BE(p.vlanTpid, tag);
    this.headView.writeUInt16BE(p.vlanTci, tag + 2);
    this.used += TAG;
    this.vec(frame, MACS);
    this.vec(this.heads.address + tag, TAG);
    if (kept > MACS + TAG) this.vec(frame + MACS, kept - MACS - TAG);
  }

  private vec(address: number, len: number): void {
    const w = this.iovWords;
    const at = this.n * 4;
    // addresses of user space fit in 47 bits: exact as numbers
    w[at] = address % 0x1_0000_0000;
    w[at + 1] = Math.floor(address / 0x1_0000_0000);
    w[at + 2] = len;
    w[at + 3] = 0;
    this.n++;
    this.pendingBytes += len;
  }

  /** Writes the records added so far; a short write is continued where it stopped. */
  flush(): void {
    while (this.n > 0) {
      const wrote = writev(this.fd, this.iov, this.n);
      this.written += wrote;
      if (wrote >= this.pendingBytes) break;
      if (wrote === 0) throw new Error('the file takes no more bytes');
      this.skip(wrote);
    }
    this.n = 0;
    this.used = 0;
    this.pendingBytes = 0;
  }

  /** Drops the first `bytes` of the pending iovecs (after a short write). */
  private skip(bytes: number): void {
    const w = this.iovWords;
    let i = 0;
    let left = bytes;
    for (; i < this.n; i++) {
      const len = w[i * 4 + 2]!;
      if (left < len) break;
      left -= len;
    }
    w.copyWithin(0, i * 4, this.n * 4);
    this.n -= i;
    const address = w[1]! * 0x1_0000_0000 + w[0]! + left;
    w[0] = address % 0x1_0000_0000;
    w[1] = Math.floor(address / 0x1_0000_0000);
    w[2] = w[2]! - left;
    this.pendingBytes -= bytes;
  }

  close(): void {
    freeStable(this.iov);
    freeStable(this.heads);
  }
}
