/**
 * Traffic control, declared: the structs of linux/pkt_sched.h that netem and tbf carry, and the
 * attribute maps of a qdisc message (TCA_*) and of each kind's TCA_OPTIONS.
 */
import {
  TCA_KIND, TCA_NETEM_CORRUPT, TCA_NETEM_JITTER64, TCA_NETEM_LATENCY64, TCA_NETEM_RATE, TCA_NETEM_RATE64,
  TCA_NETEM_REORDER, TCA_OPTIONS, TCA_TBF_BURST, TCA_TBF_PARMS, TCA_TBF_RATE64,
} from './constants-tc.js';
import { TCMSG } from './headers.js';
import { headed, nla } from './nla.js';
import { struct } from './struct.js';

export interface NetemQopt {
  /** ticks (psched.ts) */
  latency: number;
  limit: number;
  /** probabilities scaled to 0 … 2^32-1 */
  loss: number;
  gap: number;
  duplicate: number;
  jitter: number;
}
/** struct tc_netem_qopt: six u32 (24 bytes). */
export const NETEM_QOPT = struct<NetemQopt>(24, [
  ['latency', 'u32', 0], ['limit', 'u32', 4], ['loss', 'u32', 8], ['gap', 'u32', 12], ['duplicate', 'u32', 16], ['jitter', 'u32', 20],
]);

/** struct tc_netem_reorder and tc_netem_corrupt: u32 probability, u32 correlation. */
export const NETEM_PROB = struct<{ probability: number; correlation: number }>(8, [['probability', 'u32', 0], ['correlation', 'u32', 4]]);

/** struct tc_netem_rate: u32 rate (bytes/s, ~0 when RATE64 holds it), s32 packet_overhead, u32 cell_size, s32 cell_overhead. */
export const NETEM_RATE = struct<{ rate: number; packetOverhead: number; cellSize: number; cellOverhead: number }>(16, [
  ['rate', 'u32', 0], ['packetOverhead', 's32', 4], ['cellSize', 'u32', 8], ['cellOverhead', 's32', 12],
]);

export interface RateSpec {
  cellLog: number;
  linklayer: number;
  overhead: number;
  cellAlign: number;
  mpu: number;
  /** bytes/s, ~0 when a RATE64 attribute holds it */
  rate: number;
}
/** struct tc_ratespec: u8 cell_log, u8 linklayer, u16 overhead, s16 cell_align, u16 mpu, u32 rate (12). */
export const RATESPEC = struct<RateSpec>(12, [
  ['cellLog', 'u8', 0], ['linklayer', 'u8', 1], ['overhead', 'u16', 2], ['cellAlign', 's16', 4], ['mpu', 'u16', 6], ['rate', 'u32', 8],
]);

export interface TbfQopt {
  rate: RateSpec;
  peakrate: RateSpec;
  /** bytes queued at most */
  limit: number;
  /** the burst, as ticks to send it at `rate` */
  buffer: number;
  mtu: number;
}
/** struct tc_tbf_qopt: rate, peakrate, u32 limit, buffer, mtu (36 bytes). */
export const TBF_QOPT = struct<TbfQopt>(36, [
  ['rate', RATESPEC, 0], ['peakrate', RATESPEC, 12], ['limit', 'u32', 24], ['buffer', 'u32', 28], ['mtu', 'u32', 32],
]);

/** netem's TCA_OPTIONS: tc_netem_qopt followed by TCA_NETEM_* attributes. */
export const NETEM_OPTIONS = headed(NETEM_QOPT, nla({
  reorder: [TCA_NETEM_REORDER, NETEM_PROB],
  corrupt: [TCA_NETEM_CORRUPT, NETEM_PROB],
  rate: [TCA_NETEM_RATE, NETEM_RATE],
  rate64: [TCA_NETEM_RATE64, 'u64'],
  /** ns; when present it holds the latency instead of the tick field */
  latency64: [TCA_NETEM_LATENCY64, 'u64'],
  jitter64: [TCA_NETEM_JITTER64, 'u64'],
}));

/** tbf's TCA_OPTIONS (nested). The kernel dumps PARMS and RATE64, not BURST (the burst is in parms.buffer). */
export const TBF_OPTIONS = nla({
  parms: [TCA_TBF_PARMS, TBF_QOPT],
  rate64: [TCA_TBF_RATE64, 'u64'],
  burst: [TCA_TBF_BURST, 'u32'],
});

/** TCA_* of a qdisc (RTM_NEWQDISC); options are decoded by kind. */
export const TCA = nla({
  kind: [TCA_KIND, 'string'],
  options: [TCA_OPTIONS, 'bytes'],
});
export const QDISC_MSG = headed(TCMSG, TCA);
