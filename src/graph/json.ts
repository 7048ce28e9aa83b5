/** A topology as JSON: nodes, edges and clusters, each with its stable key, sorted by key. */
import type { Topology } from './topology.js';

export function toJson(t: Topology): string {
  return JSON.stringify({ ...(t.lab !== undefined ? { lab: t.lab } : {}), nodes: t.nodes, edges: t.edges, clusters: t.clusters }, null, 2) + '\n';
}
