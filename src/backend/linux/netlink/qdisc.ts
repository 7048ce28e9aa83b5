/**
 * Decoding of a qdisc dump (RTM_NEWQDISC answers to qdiscDump) into each link's root qdisc, with
 * netem's and tbf's parameters back in the units the requests take (µs, %, bit/s, bytes), as
 * `tc qdisc show` prints them.
 */
import { TC_H_ROOT } from './constants-tc.js';
import { NETEM_OPTIONS, QDISC_MSG, TBF_OPTIONS } from './maps-tc.js';
import type { NlMessage } from './message.js';
import { decodeAttrs, decodeHeaded } from './nla.js';
import { type Psched, psched, tick2time, xmitsize } from './psched.js';
import type { Netem } from './requests/qdisc.js';

const U32_MAX = 0xffffffff;

export type QdiscInfo = {
  readonly ifindex: number;
  readonly handle: number;
  readonly parent: number;
  /** TCA_OPTIONS as dumped (what puts the qdisc back as it was: qdiscRestoreRoot). */
  readonly options: Buffer;
} & (
  | { readonly kind: 'netem'; readonly netem: Netem }
  | { readonly kind: 'tbf'; readonly tbf: { rateBps: number; burst: number; limit: number; latencyUs: number } }
  | { readonly kind: 'other'; readonly name: string }
);

/** A probability back to a percentage, to 6 significant digits (tc prints %g). */
const pct = (p: number): number => Number(((p / U32_MAX) * 100).toPrecision(6));

/** Fields of `o` whose value is not undefined or 0 (netem's options that are on). */
function on<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== 0)) as T;
}

function netem(options: Buffer, clock: Psched): Netem | undefined {
  const d = decodeHeaded(NETEM_OPTIONS, options);
  if (!d) return undefined;
  const { header: q, attrs: a } = d;
  const rate = a.rate64 ?? a.rate?.rate;
  return on({
    delayUs: a.latency64 !== undefined ? Math.round(a.latency64 / 1000) : tick2time(clock, q.latency),
    jitterUs: a.jitter64 !== undefined ? Math.round(a.jitter64 / 1000) : tick2time(clock, q.jitter),
    lossPct: pct(q.loss),
    duplicatePct: pct(q.duplicate),
    reorderPct: a.reorder ? pct(a.reorder.probability) : undefined,
    corruptPct: a.corrupt ? pct(a.corrupt.probability) : undefined,
    rateBps: rate !== undefined ? rate * 8 : undefined,
    limit: q.limit,
  });
}

function tbf(options: Buffer, clock: Psched): { rateBps: number; burst: number; limit: number; latencyUs: number } | undefined {
  const a = decodeAttrs(TBF_OPTIONS, options);
  if (!a.parms) return undefined;
  const rate = a.rate64 ?? a.parms.rate.rate;
  const bufferUs = tick2time(clock, a.parms.buffer);
  return {
    rateBps: rate * 8,
    burst: a.burst ?? xmitsize(clock, rate, a.parms.buffer),
    limit: a.parms.limit,
    // tc's print: the time the limit takes to drain, less the burst's
    latencyUs: Math.max(0, Math.round((1e6 * a.parms.limit) / rate - bufferUs)),
  };
}

/** One RTM_NEWQDISC. */
export function decodeQdisc(m: NlMessage, clock: Psched = psched()): QdiscInfo | undefined {
  const d = decodeHeaded(QDISC_MSG, m.body);
  if (!d) return undefined;
  const { ifindex, handle, parent } = d.header;
  const kind = d.attrs.kind ?? '';
  const options = d.attrs.options ?? Buffer.alloc(0);
  const base = { ifindex, handle, parent, options };
  if (kind === 'netem') {
    const n = netem(options, clock);
    if (n) return { ...base, kind, netem: n };
  }
  if (kind === 'tbf') {
    const t = tbf(options, clock);
    if (t) return { ...base, kind, tbf: t };
  }
  return { ...base, kind: 'other', name: kind };
}

/** The root qdisc of each ifindex among a dump's messages. */
export function rootQdiscs(msgs: readonly NlMessage[], clock: Psched = psched()): Map<number, QdiscInfo> {
  const out = new Map<number, QdiscInfo>();
  for (const m of msgs) {
    const q = decodeQdisc(m, clock);
    if (q && q.parent === TC_H_ROOT) out.set(q.ifindex, q);
  }
  return out;
}
