/**
 * The packet scheduler's clock, as tc reads it (iproute2 tc/tc_core.c): /proc/net/psched holds
 * t2us, us2t and the clock resolution in hex; times go to the kernel in "ticks" of
 * t2us/us2t × (resolution / 10^6) per microsecond (15.625 on today's kernels: 1000/64 × 1). tc
 * passes through unsigned ints on the way (microseconds, then ticks), truncating each time; so
 * does this, so that the bytes are tc's.
 */
import { readFileSync } from 'node:fs';

export interface Psched {
  /** ticks per microsecond */
  readonly tickInUsec: number;
}

const USEC_PER_SEC = 1_000_000;

/** Parse /proc/net/psched (fscanf "%08x%08x%08x", as tc_core_init does). */
export function parsePsched(text: string): Psched {
  const [t2usRaw, us2t, clockRes] = text.trim().split(/\s+/).map((w) => parseInt(w, 16));
  if (t2usRaw === undefined || !us2t || !clockRes) throw new Error(`/proc/net/psched: cannot read ${JSON.stringify(text)}`);
  // tc's compatibility hack: with a nanosecond clock the kernel advertises t2us 1000 and means 1
  const t2us = clockRes === 1_000_000_000 ? us2t : t2usRaw;
  return { tickInUsec: (t2us / us2t) * (clockRes / USEC_PER_SEC) };
}

let cached: Psched | undefined;
/** The running kernel's clock (read once). */
export function psched(): Psched {
  return (cached ??= parsePsched(readFileSync('/proc/net/psched', 'utf8')));
}

const u32 = (x: number): number => Math.trunc(x) >>> 0;

/** Microseconds to ticks (tc_core_time2tick). */
export const time2tick = (p: Psched, usec: number): number => u32(u32(usec) * p.tickInUsec);

/** Ticks to microseconds (tc_core_tick2time). */
export const tick2time = (p: Psched, ticks: number): number => u32(ticks / p.tickInUsec);

/** Whether a time in microseconds overflows 32-bit ticks (tc_core_time2big). */
export const timeTooBig = (p: Psched, usec: number): boolean => Math.trunc(usec) * p.tickInUsec >= 2 ** 32;

/** Ticks to send `size` bytes at `rate` bytes/s (tc_calc_xmittime). */
export const xmittime = (p: Psched, rate: number, size: number): number => time2tick(p, u32(USEC_PER_SEC * (size / rate)));

/** Bytes sent at `rate` bytes/s in `ticks` (tc_calc_xmitsize). */
export const xmitsize = (p: Psched, rate: number, ticks: number): number => u32((rate * tick2time(p, ticks)) / USEC_PER_SEC);

/**
 * A rate table (tc_calc_rtable, Ethernet, no mpu or overhead): the ticks to send 8, 16 … 2048
 * bytes (256 cells of 2^cellLog bytes, cellLog chosen so that 2047 bytes fit) at `rate` bytes/s.
 * Kernels since 3.8 no longer read it, but tbf still wants it.
 */
export function rateTable(p: Psched, rate: number): { cellLog: number; table: Buffer } {
  const mtu = 2047;
  let cellLog = 0;
  while (mtu >> cellLog > 255) cellLog++;
  const table = Buffer.alloc(256 * 4);
  for (let i = 0; i < 256; i++) table.writeUInt32LE(xmittime(p, rate, (i + 1) << cellLog), i * 4);
  return { cellLog, table };
}
