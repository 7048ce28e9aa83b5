/**
 * A live graph against its file's graph: what the kernel adds to the dry run's picture is state
 * (each end's carrier and counters); taken out, the two are equal.
 */
import type { TopoEnd, Topology } from '../../src/graph/topology.js';

/** The topology with something taken out of each end. */
function mapEnds(t: Topology, f: (e: TopoEnd) => TopoEnd): Topology {
  return { ...t, edges: t.edges.map(e => ({ ...e, a: f(e.a), b: f(e.b) })) };
}

/** Without counters, which vary from one reading to the next. */
export const withoutStats = (t: Topology) => mapEnds(t, ({ stats: _, ...e }) => e);

/** Without what only a live lab has: the counters and the carrier. */
export const withoutState = (t: Topology) => mapEnds(t, ({ stats: _, carrier: __, ...e }) => e);
