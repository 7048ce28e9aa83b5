/**
 * What the dry run knows, recorded as it runs (a RunObserver): for each statement of the document,
 * how many operations had been carried out when it first ran and when it was done; the operations
 * themselves (replayed into a fresh model for the lab at any of those points); which words made
 * which namespaces and interfaces; which words named which endpoints; and the values the variables
 * a statement uses held when it ran.
 */
import type * as A from '../syntax/ast.js';
import type { Source, Span } from '../syntax/source.js';
import type { Endpoint } from '../core/lab.js';
import type { Op } from '../backend/ops.js';
import { LabModel } from '../backend/dry-run/model.js';
import type { Scope } from '../runtime/environment.js';
import type { RunObserver } from '../runtime/interpreter.js';
import { inSource } from './syntax-walk.js';

/** A statement's first run: the operations carried out before it, and by the time it was done. */
export interface Checkpoint {
  readonly statement: A.Statement;
  readonly before: number;
  after: number;
}

/** A place that made a namespace or an interface, or that named one, and how many operations came before. */
export interface Place {
  readonly span: Span;
  readonly step: number;
}

/** A word that named an endpoint when it ran (a word with variables may name several). */
export interface EndpointRef extends Place {
  readonly ns: string;
  readonly ifname: string;
}

/** The lab at a point: its namespaces, and the model of what they hold. */
export interface LabState {
  readonly lab: ReadonlySet<string>;
  readonly model: LabModel;
}

/** How many distinct values of a variable are kept per statement. */
const VALUES = 5;

export const linkKey = (ns: string, ifname: string) => `${ns}.${ifname}`;

export class Trace implements RunObserver {
  readonly ops: Op[] = [];
  /** The document's statements by their first run, in the order they first ran. */
  readonly checkpoints: Checkpoint[] = [];
  private readonly byStatement = new Map<A.Statement, Checkpoint>();
  /** Namespace name → the words that made it. */
  readonly namespacesMade = new Map<string, Place[]>();
  /** NS.IF → the words that made it. */
  readonly linksMade = new Map<string, Place[]>();
  /** Every word of the document that named an endpoint, as it ran. */
  readonly endpointRefs: EndpointRef[] = [];
  /** Per statement, the values each variable it uses held (at most VALUES of them). */
  readonly values = new Map<A.Statement, Map<string, string[]>>();
  private readonly running: A.Statement[] = [];
  /** The namespaces made by the statement running, counted (the i-th name of `ns a b`). */
  private made = 0;
  private readonly varsOf = new Map<A.Statement, string[]>();

  constructor(private readonly source: Source) {}

  enter(s: A.Statement, scope: Scope, prechecking: boolean): void {
    this.running.push(s);
    this.made = 0;
    if (!inSource(s.span, this.source)) return;
    if (!this.byStatement.has(s)) {
      const c: Checkpoint = { statement: s, before: this.ops.length, after: -1 };
      this.byStatement.set(s, c);
      this.checkpoints.push(c);
    }
    if (!prechecking) this.keepValues(s, scope);
  }

  leave(s: A.Statement): void {
    this.running.pop();
    const c = this.byStatement.get(s);
    if (c && c.after === -1) c.after = this.ops.length;
  }

  done(op: Op): void {
    const step = this.ops.length;
    this.ops.push(op);
    const s = this.running[this.running.length - 1];
    const mine = (span: Span | undefined): span is Span => span !== undefined && inSource(span, this.source);
    const makes = (map: Map<string, Place[]>, key: string, span: Span | undefined) => {
      if (!mine(span)) return;
      const list = map.get(key) ?? [];
      list.push({ span, step });
      map.set(key, list);
    };
    for (const ep of endpointsOf(op)) if (mine(ep.span)) this.endpointRefs.push({ span: ep.span, step, ns: ep.ns, ifname: ep.ifname });
    switch (op.kind) {
      case 'ns-add':
        makes(this.namespacesMade, op.name, s?.kind === 'ns' ? s.names[this.made++]?.span : s?.span);
        break;
      case 'spawn':
        if (op.as !== undefined) makes(this.namespacesMade, op.as, s?.kind === 'spawn' ? s.as?.span : s?.span);
        break;
      case 'pin':
        if (op.target.kind === 'name') makes(this.namespacesMade, op.target.name, s?.kind === 'pin' && s.target.kind === 'as' ? s.target.name.span : s?.span);
        break;
      case 'veth':
        makes(this.linksMade, linkKey(op.left.ns, op.left.ifname), op.left.span);
        makes(this.linksMade, linkKey(op.right.ns, op.right.ifname), op.right.span);
        break;
      case 'bridge':
        makes(this.linksMade, linkKey(op.br.ns, op.br.ifname), op.br.span);
        break;
      case 'macvlan':
        makes(this.linksMade, linkKey(op.target.ns, op.target.ifname), op.target.span);
        break;
      case 'move':
        if (op.to.kind === 'name') {
          const at = s?.kind === 'move' ? (s.newName ?? (s.to.kind === 'name' ? s.to.name : undefined))?.span : undefined;
          makes(this.linksMade, linkKey(op.to.name, op.newName ?? op.ep.ifname), at ?? s?.span);
        }
        break;
      default:
        break;
    }
  }

  private keepValues(s: A.Statement, scope: Scope): void {
    let names = this.varsOf.get(s);
    if (!names) this.varsOf.set(s, (names = variablesOf(s)));
    if (names.length === 0) return;
    let kept = this.values.get(s);
    if (!kept) this.values.set(s, (kept = new Map()));
    for (const name of names) {
      const v = scope.get(name);
      if (typeof v !== 'string') continue;
      const list = kept.get(name) ?? [];
      if (list.length < VALUES && !list.includes(v)) list.push(v);
      kept.set(name, list);
    }
  }

  checkpoint(s: A.Statement): Checkpoint | undefined {
    return this.byStatement.get(s);
  }

  /**
   * How many operations had been carried out when the run reached `offset` of the document: after
   * the last statement that ends before it (by its first run), or before the one that holds it.
   */
  stepAt(offset: number): number {
    let holding: Checkpoint | undefined;
    let before: Checkpoint | undefined;
    for (const c of this.checkpoints) {
      const span = c.statement.span;
      const block = c.statement.kind === 'def' || c.statement.kind === 'for' || c.statement.kind === 'include';
      if (!block && span.start <= offset && offset < span.end) {
        if (!holding || span.end - span.start < holding.statement.span.end - holding.statement.span.start) holding = c;
      } else if (span.end <= offset && (!before || span.end >= before.statement.span.end)) before = c;
    }
    if (holding) return holding.before;
    if (!before) return 0;
    return before.after === -1 ? this.ops.length : before.after;
  }

  private replayed?: { step: number; state: { lab: Set<string>; model: LabModel } };

  /** The lab after the first `step` operations, replayed into a fresh model (continued from the last one asked for where it can). */
  stateAt(step: number): LabState {
    let r = this.replayed;
    if (!r || r.step > step) r = { step: 0, state: { lab: new Set(), model: new LabModel() } };
    const { lab, model } = r.state;
    for (let i = r.step; i < step && i < this.ops.length; i++) {
      const op = this.ops[i]!;
      try {
        model.apply(op);
      } catch {
        // it was carried out in the dry run, so the model took it then
      }
      if (op.kind === 'ns-add') lab.add(op.name);
      else if (op.kind === 'ns-del') lab.delete(op.name);
      else if (op.kind === 'pin' && op.target.kind === 'name') lab.add(op.target.name);
      else if (op.kind === 'spawn' && op.as !== undefined) lab.add(op.as);
    }
    this.replayed = { step: Math.min(step, this.ops.length), state: r.state };
    return r.state;
  }
}

/**
 * The names of the variables a statement's own text uses (`$a`, `${a}`, the names in `${a+1}`),
 * read from the text: cheaper than a walk of its words, and a name too many (in '…') does no harm.
 */
function variablesOf(s: A.Statement): string[] {
  if (s.kind === 'def') return [];
  const { text } = s.span.source;
  const out: string[] = [];
  for (let i = s.span.start; i < s.span.end; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) break; // { (a loop's body is not its own)
    if (c !== 36) continue; // $
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i);
      if (close === -1 || close > s.span.end) break;
      for (const m of text.slice(i + 2, close).matchAll(NAME)) out.push(m[0]);
      i = close;
    } else if (text[i + 1] === '!') {
      out.push('!');
    } else {
      NAME_AT.lastIndex = i + 1;
      const m = NAME_AT.exec(text);
      if (m) out.push(m[0]);
    }
  }
  return out.length > 1 ? [...new Set(out)] : out;
}
const NAME = /[A-Za-z_][A-Za-z0-9_]*/g;
const NAME_AT = /[A-Za-z_][A-Za-z0-9_]*/y;

/** The endpoints an operation names, with the words that named them. */
function endpointsOf(op: Op): readonly Endpoint[] {
  switch (op.kind) {
    case 'veth':
      return [op.left, op.right];
    case 'bridge':
      return [op.br, ...op.ports];
    case 'attach':
      return [...op.ports, op.br];
    case 'addr':
    case 'link-del':
    case 'move':
    case 'capture':
      return [op.ep];
    case 'link-state':
      return op.eps;
    case 'macvlan':
      return [op.parent, op.target];
    default:
      return [];
  }
}
