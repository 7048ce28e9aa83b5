/** Packet and byte rates per interface, from the counters of two readings of a lab. */
import type { LinkStats } from '../backend/backend.js';
import type { Topology } from '../graph/topology.js';

export interface Rate {
  readonly rxPps: number;
  readonly txPps: number;
  readonly rxBps: number;
  readonly txBps: number;
  readonly rxPackets: number;
  readonly txPackets: number;
  readonly rxBytes: number;
  readonly txBytes: number;
}

export interface Counters {
  /** When they were read, in milliseconds. */
  readonly at: number;
  /** By interface, as `ns.ifname`. */
  readonly stats: ReadonlyMap<string, LinkStats>;
}

/** The counters of the interfaces a topology draws (the lab's own, nothing else of the host). */
export function countersOf(t: Topology, at: number): Counters {
  const stats = new Map<string, LinkStats>();
  for (const e of t.edges) {
    for (const end of [e.a, e.b]) if (end.stats && end.ns !== undefined && end.ifname !== undefined) stats.set(`${end.ns}.${end.ifname}`, end.stats);
  }
  return { at, stats };
}

/** Rates between two readings; an interface new in `cur` (or whose counters went back: remade) has rate 0. */
export function ratesBetween(prev: Counters | undefined, cur: Counters): Record<string, Rate> {
  const out: Record<string, Rate> = {};
  const seconds = prev ? Math.max((cur.at - prev.at) / 1000, 0.001) : 1;
  for (const [key, s] of [...cur.stats].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const p = prev?.stats.get(key);
    const d = (now: number, before: number | undefined) => (before === undefined || now < before ? 0 : (now - before) / seconds);
    out[key] = {
      rxPps: d(s.rxPackets, p?.rxPackets),
      txPps: d(s.txPackets, p?.txPackets),
      rxBps: d(s.rxBytes, p?.rxBytes),
      txBps: d(s.txBytes, p?.txBytes),
      rxPackets: s.rxPackets,
      txPackets: s.txPackets,
      rxBytes: s.rxBytes,
      txBytes: s.txBytes,
    };
  }
  return out;
}
