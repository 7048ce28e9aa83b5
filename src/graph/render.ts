/** A topology in each of the formats `nsh graph` writes; the output file's extension picks one. */
import * as path from 'node:path';
import { toDot } from './dot.js';
import { toHtml } from './html.js';
import { toJson } from './json.js';
import { toMermaid } from './mermaid.js';
import type { Topology } from './topology.js';

export type GraphFormat = 'dot' | 'svg' | 'mmd' | 'json' | 'html';

export const FORMATS: readonly GraphFormat[] = ['svg', 'dot', 'mmd', 'json', 'html'];

/** The format an output file's extension names, or undefined. */
export function formatOf(file: string): GraphFormat | undefined {
  const ext = path.extname(file).slice(1).toLowerCase();
  return (FORMATS as readonly string[]).includes(ext) ? (ext as GraphFormat) : undefined;
}

export async function render(t: Topology, format: GraphFormat): Promise<string> {
  switch (format) {
    case 'dot':
      return toDot(t);
    case 'mmd':
      return toMermaid(t);
    case 'json':
      return toJson(t);
    case 'svg': {
      const { toSvg } = await import('./svg.js');
      return toSvg(t);
    }
    case 'html': {
      const { dotToSvg } = await import('./svg.js');
      return toHtml(t, await dotToSvg(toDot(t)));
    }
  }
}
