/**
 * The built-in packet capture, as tcpdump does it with libpcap: an AF_PACKET socket opened inside
 * the interface's network namespace, with a TPACKET_V3 receive ring (packet-ring.ts), bound to
 * the interface for every protocol, both directions. Everything that can fail at once is done
 * synchronously in startCapture() — the socket, the ring, the bind, the file and its header — so
 * a capture started in the background already sees the packets of the next statement; a worker
 * thread (capture-worker.ts) then reads the ring, out of the event loop's way.
 */
import { openSync, writeSync, closeSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { workerThreads } from './builtins.js';
import {
  SOCK_RAW, SOL_SOCKET, SO_ERROR, bind, eventfd, getsockname, getsockoptInt, realtimeNs, setsockoptBuf, setsockoptInt,
} from './libc.js';
import { AF_PACKET, ETH_P_ALL, SOL_PACKET } from './libc-packet.js';
import {
  ARPHRD_ETHER, ARPHRD_LOOPBACK, DEFAULT_RING, PACKET_RX_RING, PACKET_VERSION, TPACKET_V3, type RingGeometry,
  hardwareType, packetSockaddr, ringRequest,
} from './packet-ring.js';
import { pcapFileHeader } from './pcap.js';
import { closeQuietly, socketIn } from './sockets.js';
import type { CaptureWorkerData, CaptureWorkerMessage } from './capture-worker.js';

declare const NSH_BUNDLED: boolean | undefined;

export interface CaptureOptions {
  /** The interface's network namespace. */
  readonly netFd: number;
  readonly ifindex: number;
  /** A pcap file to write (created or emptied); without it, one line per packet goes to `out`. */
  readonly file?: string;
  /** End after this many packets. */
  readonly count?: number;
  /** End this many seconds after the start. */
  readonly seconds?: number;
  readonly out: NodeJS.WritableStream;
  readonly ring?: RingGeometry;
}

export interface CaptureStats {
  /** Packets written or printed. */
  readonly captured: number;
  /** Packets the socket was handed (PACKET_STATISTICS tp_packets, drops included). */
  readonly received: number;
  /** Packets the kernel dropped because the ring was full (tp_drops). */
  readonly dropped: number;
}

export interface RunningCapture {
  /** The end: the counters, or a CaptureError. */
  readonly done: Promise<CaptureStats>;
  /** Resolves once the worker reads the ring (packets before are kept in the ring meanwhile); rejects as `done` if it never does. */
  readonly reading: Promise<void>;
  /** Ends the capture (the packets that arrived until now are still taken). */
  stop(): void;
}

/**
 * A capture that could not start, or ended early: what went wrong, and what is known of it (the
 * errno name, the link type of an interface it cannot capture on, the packets taken before).
 */
export class CaptureError extends Error {
  constructor(
    message: string,
    readonly detail: { readonly code?: string; readonly linkType?: number; readonly captured?: number } = {},
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

/**
 * Starts capturing: throws (a SysError, or a CaptureError) if it cannot; otherwise the socket
 * is bound and takes packets from now on.
 */
export function startCapture(o: CaptureOptions): RunningCapture {
  const ring = o.ring ?? DEFAULT_RING;
  // protocol 0: the socket takes nothing until bind() names the interface and ETH_P_ALL
  const fd = socketIn(o.netFd, AF_PACKET, SOCK_RAW, 0);
  let fileFd = -1;
  let wakeFd = -1;
  try {
    setsockoptInt(fd, SOL_PACKET, PACKET_VERSION, TPACKET_V3);
    setsockoptBuf(fd, SOL_PACKET, PACKET_RX_RING, ringRequest(ring));
    bind(fd, packetSockaddr(o.ifindex, AF_PACKET, ETH_P_ALL));
    // an interface that is down reports ENETDOWN once; its packets come when it is brought up
    getsockoptInt(fd, SOL_SOCKET, SO_ERROR);
    const type = hardwareType(getsockname(fd));
    if (type !== ARPHRD_ETHER && type !== ARPHRD_LOOPBACK) {
      throw new CaptureError(`not an Ethernet interface (link type ${type})`, { linkType: type });
    }
    if (o.file !== undefined) fileFd = openFile(o.file);
    wakeFd = eventfd();
    const start = realtimeNs();
    const data: CaptureWorkerData = {
      fd,
      eventFd: wakeFd,
      stop: new SharedArrayBuffer(8),
      fileFd,
      ring,
      count: o.count ?? 0,
      deadline: o.seconds === undefined ? undefined : start + BigInt(Math.round(o.seconds * 1e9)),
      skipOutgoing: type === ARPHRD_LOOPBACK,
    };
    return run(data, o.out, [fd, fileFd, wakeFd]);
  } catch (e) {
    for (const f of [fd, fileFd, wakeFd]) if (f >= 0) closeQuietly(f);
    throw e;
  }
}

/** Creates (or empties) the pcap file and writes its header. */
function openFile(file: string): number {
  let f: number;
  try {
    f = openSync(file, 'w', 0o644);
  } catch (e) {
    throw new CaptureError(`cannot write ${file}: ${reason(e)}`, codeOf(e));
  }
  try {
    writeSync(f, pcapFileHeader());
  } catch (e) {
    closeSync(f);
    throw new CaptureError(`cannot write ${file}: ${reason(e)}`, codeOf(e));
  }
  return f;
}

const codeOf = (e: unknown): { code?: string } => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === undefined ? {} : { code };
};

const reason = (e: unknown): string => {
  const m = e instanceof Error ? e.message : String(e);
  // node's "ENOENT: no such file or directory, open 'x'" → "no such file or directory"
  return /^E[A-Z]+: ([^,]+)/.exec(m)?.[1] ?? m;
};

function run(data: CaptureWorkerData, out: NodeJS.WritableStream, fds: readonly number[]): RunningCapture {
  // bundled: this code is in dist/chunks/, the worker in dist/; built by tsc: side by side
  const file = typeof NSH_BUNDLED !== 'undefined' ? '../capture-worker.cjs' : './capture-worker.js';
  // execArgv: none of nsh's own node options (`--input-type`, say) is a worker's
  const worker: Worker = new (workerThreads().Worker)(new URL(file, import.meta.url), { workerData: data, execArgv: [] });
  let ended = false;
  let isReading: () => void = () => {};
  let notReading: (e: unknown) => void = () => {};
  const reading = new Promise<void>((resolve, reject) => {
    isReading = resolve;
    notReading = reject;
  });
  reading.catch(() => {}); // told through `done` too: waiting for one of them is enough
  const done = new Promise<CaptureStats>((resolve, reject) => {
    const finish = (r: CaptureStats | Error): void => {
      if (ended) return;
      ended = true;
      for (const f of fds) if (f >= 0) closeQuietly(f);
      if (r instanceof Error) reject(r);
      else resolve(r);
    };
    worker.on('message', (m: CaptureWorkerMessage) => {
      if (m.kind === 'reading') return isReading();
      if (m.kind === 'lines') {
        out.write(m.text);
        return;
      }
      if (!m.error) return finish({ captured: m.captured, received: m.received, dropped: m.dropped });
      const why = m.error.code === 'ENODEV' ? 'the interface went away' : m.error.message;
      finish(new CaptureError(why, { code: m.error.code, captured: m.captured }));
    });
    worker.on('error', e => finish(new CaptureError(`the capture failed: ${e.message}`)));
    worker.on('exit', () => finish(new CaptureError('the capture ended unexpectedly')));
  });
  done.then(isReading, notReading);
  return {
    done,
    reading,
    stop: () => {
      if (ended) return;
      const at = new BigInt64Array(data.stop);
      if (Atomics.load(at, 0) === 0n) Atomics.store(at, 0, realtimeNs());
      writeSync(data.eventFd, WAKE);
    },
  };
}

const WAKE = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]);
