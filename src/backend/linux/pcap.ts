/**
 * The classic pcap file format (what `tcpdump -w` writes): a 24-byte file header, then one record
 * per packet, a 16-byte record header followed by the packet's bytes. Timestamps in nanoseconds
 * (the nanosecond magic, which tcpdump and Wireshark read); link type Ethernet; snaplen 262144,
 * tcpdump's default. Written in the machine's byte order, as libpcap does (the magic tells).
 */

/** The magic of a file whose record timestamps hold nanoseconds (0xa1b2c3d4 is microseconds). */
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const LINKTYPE_ETHERNET = 1;
/** Bytes kept of each packet at most: tcpdump's default snapshot length. */
export const SNAPLEN = 262144;
export const FILE_HEADER_SIZE = 24;
export const RECORD_HEADER_SIZE = 16;

/** The file header: magic, version 2.4, no time zone offset, no accuracy, snaplen, link type. */
export function pcapFileHeader(nanoseconds = true): Buffer {
  const b = Buffer.alloc(FILE_HEADER_SIZE);
  b.writeUInt32LE(nanoseconds ? PCAP_MAGIC_NS : PCAP_MAGIC_US, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeInt32LE(0, 8);
  b.writeUInt32LE(0, 12);
  b.writeUInt32LE(SNAPLEN, 16);
  b.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  return b;
}

/**
 * Writes a record header at `at`: seconds, the fraction (ns or µs, as the file header says),
 * the bytes that follow in the file (`kept`), and the packet's length on the wire.
 */
export function writeRecordHeader(b: Buffer, at: number, sec: number, fraction: number, kept: number, wire: number): void {
  b.writeUInt32LE(sec >>> 0, at);
  b.writeUInt32LE(fraction >>> 0, at + 4);
  b.writeUInt32LE(kept >>> 0, at + 8);
  b.writeUInt32LE(wire >>> 0, at + 12);
}

/** A record of a packet whose bytes are all at hand (tests, and anything not read from the ring). */
export function pcapRecord(sec: number, nsec: number, frame: Uint8Array, wire = frame.length): Buffer {
  const kept = Math.min(frame.length, SNAPLEN);
  const b = Buffer.alloc(RECORD_HEADER_SIZE + kept);
  writeRecordHeader(b, 0, sec, nsec, kept, wire);
  b.set(frame.subarray(0, kept), RECORD_HEADER_SIZE);
  return b;
}
