/**
 * pcap records straight from the ring to the file: a record is its header (made here) and the
 * frame's bytes where the kernel put them, gathered by writev(); nothing of a packet is copied in
 * user space. A writev() holds whole records only, so the file ends at a record's end whenever
 * nsh stops or is killed between two calls. An 802.1Q tag the kernel took out of the frame is
 * put back between the MAC addresses and the ethertype, as libpcap does.
 */
import { type Mapped, allocStable, freeStable, writev } from './libc.js';
import { RECORD_HEADER_SIZE, SNAPLEN, writeRecordHeader } from './pcap.js';
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
  private readonly iovView: Buffer;
  private readonly heads: Mapped;
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
    this.iovView = Buffer.from(this.iov.buffer);
    this.heads = allocStable(HEADS);
    this.headView = Buffer.from(this.heads.buffer);
  }

  /** Adds the record of packet `p` (written at the next flush, or now when the batch is full). */
  add(p: RingPacket): void {
    if (this.n + 4 > IOVECS || this.used + RECORD_HEADER_SIZE + TAG > HEADS) this.flush();
    const tagged = p.vlanTci >= 0 && p.kept >= MACS;
    const kept = Math.min(p.kept + (tagged ? TAG : 0), SNAPLEN);
    const head = this.used;
    writeRecordHeader(this.headView, head, p.sec, p.nsec, kept, p.wire + (tagged ? TAG : 0));
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
    const at = this.n * IOVEC;
    // addresses of user space fit in 47 bits: exact as numbers
    this.iovView.writeUInt32LE(address % 0x1_0000_0000, at);
    this.iovView.writeUInt32LE(Math.floor(address / 0x1_0000_0000), at + 4);
    this.iovView.writeUInt32LE(len, at + 8);
    this.iovView.writeUInt32LE(0, at + 12);
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
    const v = this.iovView;
    let i = 0;
    let left = bytes;
    for (; i < this.n; i++) {
      const len = v.readUInt32LE(i * IOVEC + 8);
      if (left < len) break;
      left -= len;
    }
    v.copyWithin(0, i * IOVEC, this.n * IOVEC);
    this.n -= i;
    const lo = v.readUInt32LE(0) + left;
    const hi = v.readUInt32LE(4);
    const address = hi * 0x1_0000_0000 + lo;
    v.writeUInt32LE(address % 0x1_0000_0000, 0);
    v.writeUInt32LE(Math.floor(address / 0x1_0000_0000), 4);
    v.writeUInt32LE(v.readUInt32LE(8) - left, 8);
    this.pendingBytes -= bytes;
  }

  close(): void {
    freeStable(this.iov);
    freeStable(this.heads);
  }
}
