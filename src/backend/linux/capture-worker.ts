/**
 * The worker thread of a capture (packet-capture.ts): maps the packet socket's ring, waits on it
 * with poll() (blocking this thread only), and for each block the kernel hands over writes pcap
 * records to the file or formats one line per packet for the main thread to print. It ends after
 * `count` packets, at the deadline, or when the main thread writes to the eventfd; then it takes
 * the packets that arrived before that moment and are still in the block the kernel is filling
 * (the block is handed over within one retire period), reads PACKET_STATISTICS, unmaps the ring
 * and posts the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import {
  POLLERR, POLLIN, SOL_SOCKET, SO_ERROR, SysError, getsockname, getsockoptBuf, getsockoptInt, pollSync, realtimeNs,
} from './libc.js';
import { SOL_PACKET, mmapShared, munmap } from './libc-packet.js';
import { PACKET_STATISTICS, Ring, type RingGeometry, type RingPacket, readStats } from './packet-ring.js';
import { PACKET_OUTGOING, TimeText, packetLine } from './packet-text.js';
import { PcapWriter } from './pcap-writer.js';

export interface CaptureWorkerData {
  readonly fd: number;
  readonly eventFd: number;
  /** [0]: the CLOCK_REALTIME ns at which the main thread stopped the capture (0 until then); it writes the eventfd after. */
  readonly stop: SharedArrayBuffer;
  /** The pcap file (its header written already), or -1 to print lines. */
  readonly fileFd: number;
  readonly ring: RingGeometry;
  /** Packets to take; 0 for no limit. */
  readonly count: number;
  /** CLOCK_REALTIME ns after which no packet is taken (the packets' own clock); undefined for none. */
  readonly deadline: bigint | undefined;
  /** On loopback every packet is seen twice, leaving and arriving: the leaving copy is skipped, as libpcap does. */
  readonly skipOutgoing: boolean;
}

export type CaptureWorkerMessage =
  | { readonly kind: 'reading' }
  | { readonly kind: 'lines'; readonly text: string }
  | {
      readonly kind: 'end';
      readonly captured: number;
      readonly received: number;
      readonly dropped: number;
      /** What ended it early: a socket error (ENODEV: the interface went away) or a write error. */
      readonly error?: { readonly syscall: string; readonly code: string; readonly message: string };
    };

const ENETDOWN = osConstants.errno.ENETDOWN;
const WATCH_MS = 100;

/** The ifindex a packet socket is bound to; -1 once its interface is gone. */
const boundIndex = (fd: number): number => getsockname(fd).readInt32LE(4);

const d = workerData as CaptureWorkerData;
const stopped = new BigInt64Array(d.stop);
const post = (m: CaptureWorkerMessage): void => parentPort!.postMessage(m);

function run(): Omit<Extract<CaptureWorkerMessage, { kind: 'end' }>, 'kind' | 'received' | 'dropped'> {
  const g = d.ring;
  const mapped = mmapShared(d.fd, g.blockSize * g.blocks);
  const ring = new Ring(mapped.buffer, g);
  const bytes = ring.bytes;
  const writer = d.fileFd >= 0 ? new PcapWriter(d.fileFd, mapped.address) : undefined;
  const time = new TimeText();
  const lines: string[] = [];
  const p: RingPacket = { frame: 0, kept: 0, wire: 0, sec: 0, nsec: 0, pkttype: 0, vlanTci: -1, vlanTpid: 0 };
  let captured = 0;
  /** Packets stamped after this are not taken (set at the deadline or the stop). */
  let stopAt = d.deadline;
  // the same as seconds and nanoseconds, the ring's own terms (no bigint made per packet)
  let stopSec = Infinity;
  let stopNsec = 0;
  const stopAtNow = (at: bigint): void => {
    stopAt = at;
    stopSec = Number(at / 1_000_000_000n);
    stopNsec = Number(at % 1_000_000_000n);
  };
  if (stopAt !== undefined) stopAtNow(stopAt);
  let stopping = false;
  let graceEnd = 0;

  const take = (q: RingPacket): boolean => {
    if (d.skipOutgoing && q.pkttype === PACKET_OUTGOING) return true;
    if (q.sec > stopSec || (q.sec === stopSec && q.nsec > stopNsec)) return false;
    if (writer) writer.add(q);
    else lines.push(packetLine(bytes.subarray(q.frame, q.frame + q.kept), q, time));
    captured++;
    return d.count === 0 || captured < d.count;
  };

  let error: { syscall: string; code: string; message: string } | undefined;
  /**
   * ENETDOWN: the interface went down (the capture goes on when it is up again: the kernel takes
   * the socket back), or it is going away (deleted, or moved to another namespace), which the
   * kernel tells no more than that: from then on the socket is looked at every WATCH_MS, and
   * once it is bound to no interface the capture ends.
   */
  let watchBound = false;
  post({ kind: 'reading' });
  try {
    for (let block = 0; ; ) {
      const at = Atomics.load(stopped, 0);
      if (at !== 0n && (stopAt === undefined || at < stopAt)) stopAtNow(at);
      if (ring.ready(block)) {
        const all = ring.walk(block, p, take);
        writer?.flush();
        if (lines.length > 0) post({ kind: 'lines', text: `${lines.join('\n')}\n` });
        lines.length = 0;
        ring.release(block);
        block = (block + 1) % g.blocks;
        if (!all) break;
        continue;
      }
      const now = performance.now();
      if (!stopping && stopAt !== undefined && realtimeNs() >= stopAt) {
        stopping = true;
        graceEnd = now + 2 * g.retireMs + 5;
      }
      // stopping: wait only for a block that holds packets, and only until it is surely handed over
      if (stopping && (ring.filling(block) === 0 || now >= graceEnd)) break;
      let timeout = -1; // no deadline: until the kernel or the main thread wakes us
      if (stopping) timeout = Math.max(0, graceEnd - now);
      else if (stopAt !== undefined) timeout = Math.max(0, Number(stopAt - realtimeNs()) / 1e6);
      if (watchBound) timeout = timeout < 0 ? WATCH_MS : Math.min(timeout, WATCH_MS);
      const [sock = 0, wake = 0] = pollSync([{ fd: d.fd, events: POLLIN }, { fd: d.eventFd, events: POLLIN }], timeout);
      if (sock & POLLERR) {
        const errno = getsockoptInt(d.fd, SOL_SOCKET, SO_ERROR);
        if (errno === ENETDOWN) watchBound = true;
        else if (errno !== 0) {
          const e = new SysError('recv', errno);
          error = { syscall: 'recv', code: e.code, message: e.message };
          break;
        }
      }
      if (watchBound && boundIndex(d.fd) < 0) {
        error = { syscall: 'recv', code: 'ENODEV', message: 'the interface went away' };
        break;
      }
      if (wake) readSync(d.eventFd, Buffer.alloc(8)); // a stop: the loop reads its time at the top

    }
  } catch (e) {
    const s = e instanceof SysError ? e : undefined;
    error = { syscall: s?.syscall ?? 'capture', code: s?.code ?? 'EIO', message: e instanceof Error ? e.message : String(e) };
  } finally {
    writer?.close();
    munmap(mapped);
  }
  return { captured, ...(error ? { error } : {}) };
}

const result = run();
const stats = Buffer.alloc(12);
let received = result.captured;
let dropped = 0;
try {
  getsockoptBuf(d.fd, SOL_PACKET, PACKET_STATISTICS, stats);
  ({ packets: received, drops: dropped } = readStats(stats));
} catch {
  // the counters are a report, not the capture
}
post({ kind: 'end', received, dropped, ...result });
