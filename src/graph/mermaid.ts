/**
 * A topology as a Mermaid flowchart (.mmd): namespaces as rounded boxes, bridges as stadiums,
 * clusters as subgraphs, edges labelled as in the DOT picture. Mermaid ids must be plain words,
 * so nodes are n1, n2 … and clusters c1, c2 … in key order (stable for the same topology).
 */
import { edgeState, endLines, middleLines, nodeNotes } from './labels.js';
import type { TopoCluster, TopoEdge, TopoEnd, TopoNode, Topology } from './topology.js';

/** Text inside a Mermaid `"…"` label: quotes and angle brackets as entity codes. */
function text(s: string): string {
  return s.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function nodeShape(n: TopoNode, id: string): string {
  const notes = nodeNotes(n).map(l => `<br/><small>${text(l)}</small>`);
  const label = `"${text(n.label)}${notes.join('')}"`;
  if (n.kind === 'bridge') return `${id}([${label}])`;
  if (n.kind === 'outside') return `${id}[/${label}/]`;
  return n.forwarding ? `${id}{{${label}}}` : `${id}(${label})`;
}

function endText(end: TopoEnd, shared: { sharedMtu?: number; sharedShape?: string }): string[] {
  if (end.ifname === undefined) return [];
  const [, ...rest] = endLines(end, shared);
  return [`<b>${text(end.ns !== undefined ? `${end.ns}.${end.ifname}` : end.ifname)}</b>`, ...rest.map(text)];
}

function edgeText(e: TopoEdge): string {
  if (e.kind === 'bridge') return endLines(e.a).slice(1).map(text).join('<br/>');
  const mid = middleLines(e);
  return [...endText(e.a, mid), ...mid.lines.map(l => `<i>${text(l)}</i>`), ...endText(e.b, mid)].join('<br/>');
}

export function toMermaid(t: Topology): string {
  const ids = new Map(t.nodes.map((n, i) => [n.key, `n${i + 1}`]));
  const cids = new Map(t.clusters.map((c, i) => [c.key, `c${i + 1}`]));
  const lines = ['flowchart LR'];
  const cluster = (c: TopoCluster, indent: string) => {
    lines.push(`${indent}subgraph ${cids.get(c.key)}["${text(c.label)}"]`);
    for (const sub of t.clusters.filter(x => x.parent === c.key)) cluster(sub, indent + '  ');
    for (const n of t.nodes.filter(x => x.cluster === c.key)) lines.push(`${indent}  ${nodeShape(n, ids.get(n.key)!)}`);
    lines.push(`${indent}end`);
  };
  for (const c of t.clusters.filter(x => x.parent === undefined)) cluster(c, '  ');
  for (const n of t.nodes.filter(x => x.cluster === undefined)) lines.push(`  ${nodeShape(n, ids.get(n.key)!)}`);
  const styles: string[] = [];
  t.edges.forEach((e, i) => {
    const label = edgeText(e);
    const dotted = e.kind === 'vxlan' || e.kind === 'macvlan';
    const link = dotted ? '-.-' : e.kind === 'bridge' ? '---' : '===';
    lines.push(`  ${ids.get(e.a.node)} ${link}${label ? `|"${label}"|` : ''} ${ids.get(e.b.node)}`);
    const state = edgeState(e);
    if (state === 'down') styles.push(`  linkStyle ${i} stroke:#c0392b,stroke-dasharray:6 4`);
    else if (state === 'no-carrier') styles.push(`  linkStyle ${i} stroke:#999999`);
  });
  lines.push(...styles);
  lines.push('  classDef namespace fill:#e8eef8,stroke:#4a6fa5', '  classDef bridge fill:#fff4dd,stroke:#b07d2b', '  classDef outside fill:#ffffff,stroke:#888888,stroke-dasharray:4 3');
  for (const kind of ['namespace', 'bridge', 'outside'] as const) {
    const of = t.nodes.filter(n => n.kind === kind).map(n => ids.get(n.key)!);
    if (of.length > 0) lines.push(`  class ${of.join(',')} ${kind}`);
  }
  return lines.join('\n') + '\n';
}
