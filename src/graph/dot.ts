/**
 * A topology as Graphviz DOT: namespaces as boxes (routers bold), bridges as ellipses, clusters for
 * namespaces that hold bridges and for machines; each edge carries a label with both ends
 * (`ns.if` and addresses) and what they share (MTU, shaping, tunnel). Node and edge ids are the
 * topology's keys, so the SVG that Graphviz makes names them.
 */
import { edgeState, endLines, middleLines, nodeNotes } from './labels.js';
import type { TopoCluster, TopoEdge, TopoEnd, TopoNode, Topology } from './topology.js';

const FONT = 'Arial,Helvetica,sans-serif';

/** A DOT double-quoted string. */
export function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Text inside an HTML-like label. */
function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An HTML-like label's text, written between `<` and `>` rather than quoted. */
interface Html {
  readonly html: string;
}

function attrs(a: Record<string, string | Html | undefined>): string {
  const parts = Object.entries(a)
    .filter((e): e is [string, string | Html] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? quote(v) : `<${v.html}>`}`);
  return `[${parts.join(', ')}]`;
}

function nodeLine(n: TopoNode): string {
  const notes = nodeNotes(n).map(l => `<br/><font point-size="9" color="#555555">${html(l)}</font>`);
  const label = { html: `<b>${html(n.label)}</b>${notes.join('')}` };
  const look: Record<string, string> =
    n.kind === 'bridge'
      ? { shape: 'ellipse', style: n.up === false ? 'filled,dashed' : 'filled', fillcolor: '#fff4dd', color: '#b07d2b' }
      : n.kind === 'outside'
        ? { shape: 'box', style: 'dashed,rounded', fillcolor: 'white', color: '#888888', fontcolor: '#666666' }
        : { shape: 'box', style: 'rounded,filled', fillcolor: n.forwarding ? '#e3efe0' : '#e8eef8', color: n.forwarding ? '#3f7a3a' : '#4a6fa5', penwidth: n.forwarding ? '2' : '1' };
  return `${quote(n.key)} ${attrs({ id: n.key, label, ...look, class: `node-${n.kind}` })};`;
}

/** The lines of one end in an edge label: `ns.if` (bold) then its addresses and own options. */
function endRows(end: TopoEnd, shared: { sharedMtu?: number; sharedShape?: string }): string[] {
  if (end.ifname === undefined) return [];
  const [, ...rest] = endLines(end, shared);
  const name = end.ns !== undefined ? `${end.ns}.${end.ifname}` : end.ifname;
  return [`<b>${html(name)}</b>`, ...rest.map(html)];
}

/**
 * An edge's label: the first end's lines, what both ends share (MTU, shaping, tunnel), the second
 * end's lines, one above the other, centred (widths that Graphviz estimates for a font the viewer
 * may not have stay readable so).
 */
function edgeLabel(e: TopoEdge): Html | undefined {
  const rows: string[] = [];
  if (e.kind === 'bridge') rows.push(...endLines(e.a).slice(1).map(html));
  else {
    const mid = middleLines(e);
    rows.push(...endRows(e.a, mid), ...mid.lines.map(l => `<i>${html(l)}</i>`), ...endRows(e.b, mid));
  }
  // a cell with padding: room for a font wider than the one Graphviz measured with
  return rows.length > 0 ? { html: `<table border="0" cellborder="0" cellpadding="5" cellspacing="0"><tr><td>${rows.join('<br/>')}</td></tr></table>` } : undefined;
}

function edgeLine(e: TopoEdge): string {
  const state = edgeState(e);
  const style = e.kind === 'vxlan' ? 'bold,dashed' : e.kind === 'macvlan' ? 'dotted' : state === 'down' ? 'dashed' : 'solid';
  const color = state === 'down' ? '#c0392b' : state === 'no-carrier' ? '#999999' : e.kind === 'vxlan' ? '#7d3c98' : '#444444';
  return `${quote(e.a.node)} -- ${quote(e.b.node)} ${attrs({
    id: e.key,
    label: edgeLabel(e),
    style,
    color,
    penwidth: e.kind === 'bridge' ? '1' : '1.5',
    class: `edge-${e.kind} state-${state}`,
  })};`;
}

function clusterBody(t: Topology, c: TopoCluster, indent: string): string[] {
  const lines = [
    `${indent}subgraph ${quote(c.key)} {`,
    `${indent}  ${attrs({ id: c.key, label: c.label, style: c.kind === 'machine' ? 'rounded,bold' : 'rounded,dashed', color: c.kind === 'machine' ? '#34495e' : '#9aa5b1', fontcolor: '#34495e', fontname: FONT, fontsize: c.kind === 'machine' ? '13' : '11', labeljust: 'l' }).replace(/^\[(.*)\]$/, 'graph [$1]')};`,
  ];
  for (const sub of t.clusters.filter(x => x.parent === c.key)) lines.push(...clusterBody(t, sub, indent + '  '));
  for (const n of t.nodes.filter(x => x.cluster === c.key)) lines.push(`${indent}  ${nodeLine(n)}`);
  lines.push(`${indent}}`);
  return lines;
}

export function toDot(t: Topology): string {
  const name = t.lab ?? 'lab';
  const lines = [
    `graph ${quote(name)} {`,
    `  graph ${attrs({ rankdir: 'LR', fontname: FONT, bgcolor: 'white', pad: '0.3', nodesep: '0.5', ranksep: '1.1', label: name, labelloc: 't', fontsize: '16' })};`,
    `  node ${attrs({ fontname: FONT, fontsize: '12', margin: '0.25,0.1' })};`,
    `  edge ${attrs({ fontname: FONT, fontsize: '9', fontcolor: '#333333' })};`,
  ];
  for (const c of t.clusters.filter(x => x.parent === undefined)) lines.push(...clusterBody(t, c, '  '));
  for (const n of t.nodes.filter(x => x.cluster === undefined)) lines.push(`  ${nodeLine(n)}`);
  for (const e of t.edges) lines.push(`  ${edgeLine(e)}`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
