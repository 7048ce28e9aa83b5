/**
 * Rename a namespace or a def across the document: every word that names it as written (a
 * namespace in `ns`, `in`, `route` …, the NS of an endpoint `NS.IF`, the argument of a call whose
 * def uses it as a namespace name; a def and its calls). Words whose name comes from a variable
 * are left as they are.
 */
import { ResponseError, type Range, type TextEdit } from 'vscode-languageserver';
import type * as A from '../syntax/ast.js';
import { statementKeywordNames } from '../syntax/keywords.js';
import type { Span } from '../syntax/source.js';
import { checkNsName, checkVarName, isProblem } from '../syntax/values.js';
import type { Analysis } from './analysis.js';
import { rangeOf } from './positions.js';
import { resolveCall } from './definition.js';
import { children, contains, statementAt, statementsIn } from './syntax-walk.js';
import { namespacePart, roleWords } from './word-roles.js';

export interface Renamable {
  readonly kind: 'namespace' | 'def';
  readonly name: string;
  readonly span: Span;
}

/** The namespace or def name a word of a statement names as written, and where. */
function namesIn(a: Analysis, s: A.Statement): Renamable[] {
  const out: Renamable[] = s.kind === 'call' ? namespaceArgs(a, s) : [];
  for (const r of roleWords(s)) {
    const w = r.word;
    switch (r.role) {
      case 'namespace':
      case 'namespace-made':
        if (w.literal !== undefined && !w.quoted) out.push({ kind: 'namespace', name: w.literal, span: w.span });
        break;
      case 'endpoint':
      case 'interface': {
        const ns = namespacePart(w);
        if (ns) out.push({ kind: 'namespace', name: ns.name, span: ns.span });
        break;
      }
      case 'def':
      case 'call':
        if (w.literal !== undefined && !w.quoted) out.push({ kind: 'def', name: w.literal, span: w.span });
        break;
      default:
        break;
    }
  }
  return out;
}

/** The parameters of a def (by position) that its body uses as a namespace name: `ns $N`, `veth $N.v0 …`. */
function namespaceParams(def: A.DefStmt): Set<number> {
  const params = def.params.map(p => p.literal ?? p.raw);
  const out = new Set<number>();
  const walk = (ss: readonly A.Statement[]) => {
    for (const s of ss) {
      for (const r of roleWords(s)) {
        const [first, second] = r.word.parts;
        if (first?.kind !== 'var') continue;
        const whole = r.word.parts.length === 1 && (r.role === 'namespace' || r.role === 'namespace-made');
        const before = second?.kind === 'text' && second.value.startsWith('.') && (r.role === 'endpoint' || r.role === 'interface');
        if ((whole || before) && params.includes(first.name)) out.add(params.indexOf(first.name));
      }
      walk(children(s));
    }
  };
  walk(def.body);
  return out;
}

/** The arguments of a call that its def uses as namespace names. */
function namespaceArgs(a: Analysis, call: A.CallStmt): Renamable[] {
  const def = resolveCall(a, call);
  if (!def) return [];
  const used = namespaceParams(def);
  return call.args.flatMap((w, i) => (used.has(i) && w.literal !== undefined && !w.quoted ? [{ kind: 'namespace' as const, name: w.literal, span: w.span }] : []));
}

/** What can be renamed at `offset`: a namespace (not host) or a def, named there as written. */
export function renamableAt(a: Analysis, offset: number): Renamable | undefined {
  const path = statementAt(a.program.statements, a.source, offset);
  const s = path[path.length - 1];
  const found = s ? namesIn(a, s).find(n => contains(n.span, offset)) : undefined;
  return found && !(found.kind === 'namespace' && found.name === 'host') ? found : undefined;
}

export function prepareRename(a: Analysis, offset: number): Range {
  const r = renamableAt(a, offset);
  if (!r) throw new ResponseError(0, 'only a namespace or a def, written as a name, can be renamed');
  return rangeOf(r.span);
}

export function rename(a: Analysis, offset: number, newName: string): TextEdit[] {
  const r = renamableAt(a, offset);
  if (!r) throw new ResponseError(0, 'only a namespace or a def, written as a name, can be renamed');
  const bad = r.kind === 'namespace' ? checkNsName(newName, { allowHost: false }) : checkVarName(newName);
  if (isProblem(bad)) throw new ResponseError(0, `${JSON.stringify(newName)} cannot name a ${r.kind}: ${bad.problem}`);
  if (r.kind === 'def' && statementKeywordNames.includes(newName)) throw new ResponseError(0, `${JSON.stringify(newName)} is the name of a statement`);
  const edits: TextEdit[] = [];
  for (const { statement } of statementsIn(a.program.statements, a.source)) {
    for (const n of namesIn(a, statement)) if (n.kind === r.kind && n.name === r.name) edits.push({ range: rangeOf(n.span), newText: newName });
  }
  return edits;
}
