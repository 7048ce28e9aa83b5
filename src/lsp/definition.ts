/**
 * Go to definition: a variable's `let`, `for` or parameter; a call's def; a namespace's `ns` (or
 * the word of `spawn … as` / `pin … as` that made it); an interface's making statement (veth,
 * bridge, macvlan, move); an include's file. Namespaces and interfaces are those the dry run made,
 * so a word with variables in it (`$NAME.eth0` in a def's body) leads to where each of its values
 * was made.
 */
import type { Location } from 'vscode-languageserver';
import type * as A from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import type { Analysis } from './analysis.js';
import { includedFile } from './diagnostics.js';
import { visibleAt } from './names.js';
import { locationOf, uriOfFile } from './positions.js';
import { contains, ownWords, statementAt } from './syntax-walk.js';
import { linkKey, type Place } from './trace.js';
import { interfacePart, namespacePart, roleWords } from './word-roles.js';

/** The variable (`$x`, `${x}`, or `x` in `${x+1}`) at `offset` of a statement's own words. */
export function variableAt(s: A.Statement, offset: number): { readonly name: string; readonly span: Span } | undefined {
  for (const w of ownWords(s)) {
    if (!contains(w.span, offset)) continue;
    for (const p of w.parts) {
      if (p.kind === 'var' && contains(p.span, offset)) return { name: p.name, span: p.span };
      if (p.kind === 'expr' && contains(p.span, offset)) {
        const ref = refAt(p.expr, offset);
        return ref ? { name: ref.name, span: ref.span } : undefined;
      }
    }
  }
  return undefined;
}

function refAt(e: A.Expr, offset: number): { name: string; span: Span } | undefined {
  if (e.kind === 'ref') return contains(e.span, offset) ? e : undefined;
  if (e.kind === 'neg') return refAt(e.operand, offset);
  if (e.kind === 'bin') return refAt(e.left, offset) ?? refAt(e.right, offset);
  return undefined;
}

/** The def a call refers to: the latest of that name visible where it is written. */
export function resolveCall(a: Analysis, call: A.CallStmt): A.DefStmt | undefined {
  const name = call.name.literal;
  if (name === undefined) return undefined;
  return visibleAt(a.program.statements, a.source, call.span.start).defs.find(d => d.name === name)?.def;
}

/** The places that made a thing, the last one before `step` first when there is one. */
function made(places: readonly Place[] | undefined, step: number): Place[] {
  if (!places || places.length === 0) return [];
  const before = places.filter(p => p.step <= step);
  return before.length > 0 ? [before[before.length - 1]!] : [...places];
}

export function definitionAt(a: Analysis, offset: number): Location[] {
  const path = statementAt(a.program.statements, a.source, offset);
  const s = path[path.length - 1];
  if (!s) return [];
  const at = (spans: readonly Span[]) => spans.map(span => locationOf(span, a));
  const v = variableAt(s, offset);
  if (v) {
    const d = visibleAt(a.program.statements, a.source, s.span.start).variables.find(x => x.name === v.name);
    return d ? at([d.word.span]) : [];
  }
  const inner = s.kind === 'not' ? s.statement : s;
  const role = roleWords(inner).find(r => contains(r.word.span, offset));
  if (!role) return [];
  const step = a.trace.checkpoint(inner)?.before ?? a.trace.ops.length;
  const namespace = (name: string) => at(made(a.trace.namespacesMade.get(name), step).map(p => p.span));
  const w = role.word;
  switch (role.role) {
    case 'call': {
      const def = inner.kind === 'call' ? resolveCall(a, inner) : undefined;
      return def ? at([def.name.span]) : [];
    }
    case 'include': {
      const file = inner.kind === 'include' ? includedFile(inner) : undefined;
      return file ? [{ uri: uriOfFile(file), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] : [];
    }
    case 'namespace':
    case 'namespace-made':
      return w.literal === undefined ? [] : namespace(w.literal);
    case 'endpoint': {
      const ns = namespacePart(w);
      if (ns && offset < ns.span.end) return namespace(ns.name);
      // what the word named when it ran (each value of a word with variables)
      const named = a.trace.endpointRefs.filter(r => r.span.start === w.span.start && r.span.end === w.span.end);
      const eps = named.length > 0 ? named : interfacePart(w) ? [{ ...interfacePart(w)!, step }] : [];
      const seen = new Set<string>();
      return eps.flatMap(e => {
        const key = linkKey(e.ns, e.ifname);
        if (seen.has(key)) return [];
        seen.add(key);
        return at(made(a.trace.linksMade.get(key), e.step).map(p => p.span));
      });
    }
    case 'interface': {
      const ns = role.ns?.literal?.split('.')[0];
      const ifname = w.literal?.split('.').pop();
      return ns === undefined || ifname === undefined ? [] : at(made(a.trace.linksMade.get(linkKey(ns, ifname)), step).map(p => p.span));
    }
    default:
      return at([w.span]);
  }
}
