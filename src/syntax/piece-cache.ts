/**
 * Pieces of a text parsed before, kept by their text, so that a text parsed again after an edit
 * (the language server's document) parses only the pieces that changed. A piece met again at the
 * same place (offset and line) is taken as it is: its spans keep the source they were parsed
 * from, whose text is the same there; met at another place, its spans are moved there, in the new
 * source: on the nodes themselves (no copy of the tree to make, then to collect), so the parse
 * before, whose program shares them, must not be read once the next parse has begun (the language
 * server analyses a text at once, from its parse to its diagnostics); a piece met twice in one
 * parse is copied for its second place. Only the pieces of the latest three parses are kept: a
 * text with a syntax error is parsed by recovery (recover.ts), in stretches other than the clean
 * text's pieces, so that a line broken, mended and broken again (as typing does) finds the
 * stretches of the broken text two parses back.
 */
import type { Statement } from './ast.js';
import type { Origin, Span } from './source.js';
import { Placed, TextPartNode, VarPartNode, wordAt, WordNode } from './word-node.js';

interface Kept {
  at: Origin;
  readonly statements: readonly Statement[];
}

/** How many parses' pieces are kept. */
const GENERATIONS = 3;

export class PieceCache {
  private current = new Map<string, Kept>();
  /** The pieces of the parses before, latest first. */
  private older: Map<string, Kept>[] = [];

  /** Before each parse: what only the parse GENERATIONS back used is let go. */
  begin(): void {
    this.older = [this.current, ...this.older].slice(0, GENERATIONS - 1);
    this.current = new Map();
  }

  /** The statements of a piece that parsed cleanly with this text before, placed at `at`. */
  get(text: string, at: Origin): readonly Statement[] | undefined {
    let kept = this.current.get(text);
    const inUse = kept !== undefined;
    for (let i = 0; !kept && i < this.older.length; i++) kept = this.older[i]!.get(text);
    if (!kept) return undefined;
    const same = kept.at.offset === at.offset && kept.at.line === at.line && kept.at.source.name === at.source.name;
    if (same) {
      this.current.set(text, kept);
      return kept.statements;
    }
    // (a span moved here has the new source: spans shared by several nodes are moved once)
    if (inUse || kept.at.source === at.source) {
      const statements = moved(kept.statements, at.offset - kept.at.offset, at.line - kept.at.line, at) as Statement[];
      this.current.set(text, { at, statements });
      return statements;
    }
    moveInPlace(kept.statements, at.offset - kept.at.offset, at.line - kept.at.line, at);
    kept.at = at;
    this.current.set(text, kept);
    return kept.statements;
  }

  put(text: string, at: Origin, statements: readonly Statement[]): void {
    this.current.set(text, { at, statements });
  }
}

/** A copy of syntax tree nodes with every span moved by `offset` characters and `lines` lines, into `to`'s source. */
function moved(v: unknown, offset: number, lines: number, to: Origin): unknown {
  if (Array.isArray(v)) return v.map(x => moved(x, offset, lines, to));
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  // a span (a piece starts at a line's start, so columns stay)
  if ('source' in o) return { source: to.source, start: (o.start as number) + offset, end: (o.end as number) + offset, line: (o.line as number) + lines, col: o.col };
  if (o instanceof WordNode) {
    const parts = WordNode.partsHeld(o);
    const span = moved(o.span, offset, lines, to) as Span;
    return wordAt(parts && (moved(parts, offset, lines, to) as WordNode['parts']), o.raw, span);
  }
  if (o instanceof TextPartNode || o instanceof VarPartNode) {
    const { source, start, end, line, col } = moved(o.span, offset, lines, to) as Span;
    return o instanceof TextPartNode ? new TextPartNode(o.value, o.quoted, source, start, end, line, col) : new VarPartNode(o.name, source, start, end, line, col);
  }
  const out: Record<string, unknown> = {};
  for (const k in o) out[k] = moved(o[k], offset, lines, to);
  return out;
}

/**
 * `moved`, done on the nodes themselves (no copy to make and collect): for the statements of a
 * piece the parse before used, which this parse is the only one to use now.
 */
function moveInPlace(v: unknown, offset: number, lines: number, to: Origin): void {
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) moveInPlace(v[i], offset, lines, to);
    return;
  }
  const o = v as Record<string, unknown>;
  if ('source' in o) {
    if (o.source === to.source) return; // shared, already moved
    o.source = to.source;
    o.start = (o.start as number) + offset;
    o.end = (o.end as number) + offset;
    o.line = (o.line as number) + lines;
    return;
  }
  if (o instanceof Placed) {
    Placed.moveSpan(o, offset, lines, to.source);
    if (o instanceof WordNode) moveInPlace(WordNode.partsHeld(o), offset, lines, to);
    return;
  }
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    const x = o[keys[i]!];
    if (x !== null && typeof x === 'object') moveInPlace(x, offset, lines, to);
  }
}
