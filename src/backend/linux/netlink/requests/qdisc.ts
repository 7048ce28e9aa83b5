/**
 * Root qdiscs, as tc (iproute2 6.1) sends them: `tc qdisc replace dev DEV root netem …`,
 * `… root tbf rate R burst B latency L`, `tc qdisc del dev DEV root`, and the qdisc dump. The
 * request is RTM_NEWQDISC with NLM_F_CREATE|NLM_F_REPLACE, tcmsg {ifindex, handle 0, parent
 * TC_H_ROOT}, TCA_KIND (with its NUL) and TCA_OPTIONS. Times go in psched ticks and
 * probabilities as fractions of 2^32-1, computed as tc computes them (psched.ts).
 */
import { rateBytes, TBF_LATENCY, tbfBurst } from '../../../../core/shape.js';
import { Attr, bytes, headed, nested, str, u32, u64 } from '../attr.js';
import { AF_UNSPEC, RTM_DELQDISC, RTM_GETQDISC, RTM_NEWQDISC } from '../constants.js';
import {
  TCA_KIND, TCA_NETEM_CORRUPT, TCA_NETEM_JITTER64, TCA_NETEM_LATENCY64, TCA_NETEM_RATE, TCA_NETEM_RATE64,
  TCA_NETEM_REORDER, TCA_OPTIONS, TCA_TBF_BURST, TCA_TBF_PARMS, TCA_TBF_RATE64, TCA_TBF_RTAB, TC_H_ROOT,
  TC_LINKLAYER_ETHERNET,
} from '../constants-tc.js';
import { TCMSG } from '../headers.js';
import { NETEM_PROB, NETEM_QOPT, NETEM_RATE, TBF_QOPT } from '../maps-tc.js';
import type { NlRequest } from '../message.js';
import { type Psched, psched, rateTable, time2tick, timeTooBig, xmittime } from '../psched.js';
import { DUMP, REPLACE, SET } from './common.js';

const U32_MAX = 0xffffffff;

/** Netem's options in user units; a missing option is off. */
export interface Netem {
  /** added delay, µs */
  delayUs?: number;
  /** delay variation, µs (needs delayUs) */
  jitterUs?: number;
  /** percentages, 0 … 100 */
  lossPct?: number;
  duplicatePct?: number;
  /** share of packets sent at once, the others delayed (needs delayUs) */
  reorderPct?: number;
  corruptPct?: number;
  /** bit/s */
  rateBps?: number;
  /** packets queued at most (tc's default 1000) */
  limit?: number;
}

/** A root qdisc of `kind` on `ifindex`, replacing whatever is there. */
function rootReplace(ifindex: number, kind: string, options: Attr | undefined, handle = 0): NlRequest {
  return {
    type: RTM_NEWQDISC,
    flags: REPLACE,
    header: TCMSG.pack({ family: AF_UNSPEC, ifindex, handle, parent: TC_H_ROOT }),
    attrs: options ? [str(TCA_KIND, kind), options] : [str(TCA_KIND, kind)],
  };
}

/**
 * A root qdisc put back as a dump gave it (`tc qdisc replace dev IFINDEX root handle H: KIND …`):
 * its kind, handle and TCA_OPTIONS sent as they were dumped.
 */
export function qdiscRestoreRoot(ifindex: number, q: { kind: string; handle: number; options: Buffer }): NlRequest {
  return rootReplace(ifindex, q.kind, q.options.length > 0 ? bytes(TCA_OPTIONS, q.options) : undefined, q.handle);
}

/** C's rint(): to the nearest integer, ties to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A percentage as netem's probability: pct/100 of 2^32-1 (tc's get_percent). */
export const probability = (pct: number): number => rint((pct / 100) * U32_MAX);

/** tc's get_rate64: bit/s to bytes/s, truncated. */
export { rateBytes };

/**
 * `tc qdisc replace dev IFINDEX root netem [limit N] [delay D [J]] [loss P] [duplicate P]
 * [reorder P] [corrupt P] [rate R]`. TCA_OPTIONS is a tc_netem_qopt followed directly by the
 * attributes (reorder, corrupt, rate64, rate, in tc's order), all inside its length. Delays
 * beyond the tick field's range (about 274 s) go in LATENCY64/JITTER64 (ns) as newer tc sends
 * every delay; tc 6.1, whose bytes this matches, sends ticks only.
 */
export function netemReplace(ifindex: number, n: Netem, clock: Psched = psched()): NlRequest {
  const delay = n.delayUs ?? 0;
  const jitter = n.jitterUs ?? 0;
  const wide = timeTooBig(clock, delay) || timeTooBig(clock, jitter);
  const reorder = n.reorderPct ? probability(n.reorderPct) : 0;
  const qopt = NETEM_QOPT.pack({
    latency: wide ? 0 : time2tick(clock, delay),
    limit: n.limit ?? 1000,
    loss: n.lossPct ? probability(n.lossPct) : 0,
    gap: reorder ? 1 : 0,
    duplicate: n.duplicatePct ? probability(n.duplicatePct) : 0,
    jitter: wide ? 0 : time2tick(clock, jitter),
  });
  const attrs: Attr[] = [];
  if (wide) attrs.push(u64(TCA_NETEM_LATENCY64, delay * 1000), u64(TCA_NETEM_JITTER64, jitter * 1000));
  if (reorder) attrs.push(bytes(TCA_NETEM_REORDER, NETEM_PROB.pack({ probability: reorder })));
  if (n.corruptPct) attrs.push(bytes(TCA_NETEM_CORRUPT, NETEM_PROB.pack({ probability: probability(n.corruptPct) })));
  if (n.rateBps) {
    const rate = rateBytes(n.rateBps);
    if (rate > U32_MAX) attrs.push(u64(TCA_NETEM_RATE64, rate));
    attrs.push(bytes(TCA_NETEM_RATE, NETEM_RATE.pack({ rate: Math.min(rate, U32_MAX) })));
  }
  return rootReplace(ifindex, 'netem', headed(TCA_OPTIONS, qopt, attrs));
}

export interface Tbf {
  /** bit/s */
  rateBps: number;
  /** bytes the bucket holds (default tbfBurst(rate)) */
  burst?: number;
  /** how long a packet may wait, µs (default 50 ms): sets the queue's limit in bytes */
  latencyUs?: number;
}

/** The default burst and latency (core/shape.ts: 10 ms of the rate, at least 3028 bytes; 50 ms). */
export { tbfBurst };
export const TBF_LATENCY_US = TBF_LATENCY * 1e6;

/**
 * `tc qdisc replace dev IFINDEX root tbf rate R burst B latency L`: TCA_OPTIONS nests
 * TCA_TBF_PARMS (limit = rate × latency + burst bytes; buffer = the burst's transmit time in
 * ticks), TCA_TBF_BURST, TCA_TBF_RATE64 when the rate passes 2^32-1 bytes/s (the ratespec then
 * holds ~0), and the 256-cell rate table.
 */
export function tbfReplace(ifindex: number, t: Tbf, clock: Psched = psched()): NlRequest {
  const rate64 = rateBytes(t.rateBps);
  const rate = Math.min(rate64, U32_MAX);
  const burst = t.burst ?? tbfBurst(rate64);
  const latency = t.latencyUs ?? TBF_LATENCY_US;
  const { cellLog, table } = rateTable(clock, rate);
  const parms = TBF_QOPT.pack({
    rate: { cellLog, linklayer: TC_LINKLAYER_ETHERNET, overhead: 0, cellAlign: -1, mpu: 0, rate },
    limit: Math.trunc((rate64 * latency) / 1e6 + burst),
    buffer: xmittime(clock, rate, burst),
    mtu: 0,
  });
  const opts = [bytes(TCA_TBF_PARMS, parms), u32(TCA_TBF_BURST, burst)];
  if (rate64 > U32_MAX) opts.push(u64(TCA_TBF_RATE64, rate64));
  opts.push(bytes(TCA_TBF_RTAB, table));
  return rootReplace(ifindex, 'tbf', nested(TCA_OPTIONS, opts));
}

/** `tc qdisc del dev IFINDEX root`: back to the device's default qdisc. */
export function qdiscDeleteRoot(ifindex: number): NlRequest {
  return { type: RTM_DELQDISC, flags: SET, header: TCMSG.pack({ ifindex, parent: TC_H_ROOT }), attrs: [] };
}

/** `tc qdisc show`: every qdisc of every link of the socket's namespace. */
export function qdiscDump(): NlRequest {
  return { type: RTM_GETQDISC, flags: DUMP, header: TCMSG.pack({}), attrs: [] };
}
