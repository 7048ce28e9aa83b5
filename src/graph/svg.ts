/**
 * A topology as SVG, laid out by Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz): no
 * system Graphviz is needed. The module (about 800 kB) is imported only here, when a picture is
 * drawn, so no other command loads it.
 */
import { toDot } from './dot.js';
import type { Topology } from './topology.js';

type Layout = (dot: string) => string;

let engine: Promise<Layout> | undefined;

function graphviz(): Promise<Layout> {
  engine ??= import('@hpcc-js/wasm-graphviz').then(async ({ Graphviz }) => {
    const g = await Graphviz.load();
    return (dot: string) => g.layout(dot, 'svg', 'dot');
  });
  return engine;
}

/** Graphviz's SVG of a DOT text, without the XML prolog and DOCTYPE (so it can be inlined in a page). */
export async function dotToSvg(dot: string): Promise<string> {
  const svg = (await graphviz())(dot);
  return svg.slice(svg.indexOf('<svg'));
}

export async function toSvg(t: Topology): Promise<string> {
  return `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n${await dotToSvg(toDot(t))}`;
}
