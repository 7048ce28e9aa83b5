/**
 * What each word of a statement stands for, read from the syntax tree: a namespace made or named,
 * an endpoint (NS.IF), a bridge port, a def or its call, a variable defined, an included file.
 */
import type * as A from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import { subSpan } from '../syntax/source.js';

export type Role =
  /** a namespace this word makes (`ns a`, `spawn … as a`, `pin … as a`) */
  | 'namespace-made'
  | 'namespace'
  | 'endpoint'
  /** an interface of the statement's namespace (a bridge port, route's dev); may be written NS.IF */
  | 'interface'
  | 'def'
  | 'call'
  | 'parameter'
  | 'variable-made'
  | 'include';

export interface RoleWord {
  readonly word: A.Word;
  readonly role: Role;
  /** For an interface: the namespace it is in, as written. */
  readonly ns?: A.Word;
}

const TABLES = new Set(['links', 'addrs', 'routes', '--json']);

function nsRef(ref: A.NsRefNode): RoleWord[] {
  return ref.kind === 'name' ? [{ word: ref.name, role: 'namespace' }] : [];
}

/** A word that names a namespace or an endpoint, told apart by its dot. */
function target(w: A.Word): RoleWord {
  return { word: w, role: w.raw.includes('.') ? 'endpoint' : 'namespace' };
}

/** The words of a statement (not of the statements in its block) with a role. */
export function roleWords(s: A.Statement): RoleWord[] {
  const each = (ws: readonly A.Word[], role: Role): RoleWord[] => ws.map(word => ({ word, role }));
  switch (s.kind) {
    case 'ns':
      return each(s.names, 'namespace-made');
    case 'del':
      return s.targets.map(target);
    case 'veth':
      return each([s.left, s.right], 'endpoint');
    case 'bridge':
      return [{ word: s.bridge, role: 'endpoint' }, ...s.ports.map(word => ({ word, role: 'interface' as const, ns: s.bridge }))];
    case 'attach':
      return each([...s.ports, s.bridge], 'endpoint');
    case 'addr':
      return [{ word: s.endpoint, role: 'endpoint' }];
    case 'link-state':
    case 'shape':
      return each(s.endpoints, 'endpoint');
    case 'move':
      return [{ word: s.endpoint, role: 'endpoint' }, ...nsRef(s.to)];
    case 'route':
      return [{ word: s.ns, role: 'namespace' }, ...(s.dev ? [{ word: s.dev, role: 'interface' as const, ns: s.ns }] : [])];
    case 'forward':
      return each(s.namespaces, 'namespace');
    case 'sysctl':
    case 'nat':
    case 'publish':
      return [{ word: s.ns, role: 'namespace' }];
    case 'in':
    case 'info':
    case 'await':
      return nsRef(s.ref);
    case 'same':
      return [...nsRef(s.a), ...nsRef(s.b)];
    case 'pin':
      return [...nsRef(s.ref), ...(s.target.kind === 'as' ? [{ word: s.target.name, role: 'namespace-made' as const }] : [])];
    case 'spawn':
      return s.as ? [{ word: s.as, role: 'namespace-made' }] : [];
    case 'show':
      return s.args.filter(w => !TABLES.has(w.raw)).map(word => ({ word, role: 'namespace' }));
    case 'capture':
    case 'vlan':
      return [{ word: s.endpoint, role: 'endpoint' }];
    case 'macvlan':
      return each([s.parent, s.endpoint], 'endpoint');
    case 'for':
      return [{ word: s.variable, role: 'variable-made' }];
    case 'let':
      return [{ word: s.name, role: 'variable-made' }];
    case 'def':
      return [{ word: s.name, role: 'def' }, ...each(s.params, 'parameter')];
    case 'call':
      return [{ word: s.name, role: 'call' }];
    case 'include':
      return [{ word: s.path, role: 'include' }];
    default:
      return [];
  }
}

/**
 * The namespace part of an endpoint word written with literal text before its first dot (`a.v0`,
 * `a.$IF`): the namespace's name and where it is written; undefined for `$NS.v0` or `*.lo`.
 */
export function namespacePart(w: A.Word): { readonly name: string; readonly span: Span } | undefined {
  const first = w.parts[0];
  if (!first || first.kind !== 'text' || first.quoted !== 'none') return undefined;
  const dot = first.value.indexOf('.');
  if (dot <= 0 || first.value.slice(0, dot) === '*') return undefined;
  // an unquoted text part is written as it reads (escapes aside, which a name has none of)
  if (w.raw.slice(0, dot) !== first.value.slice(0, dot)) return undefined;
  return { name: first.value.slice(0, dot), span: subSpan(w.span, 0, dot) };
}

/** The interface part of an endpoint word written literally (`a.v0` → v0). */
export function interfacePart(w: A.Word): { readonly ns: string; readonly ifname: string; readonly span: Span } | undefined {
  const text = w.literal;
  const dot = text?.indexOf('.') ?? -1;
  if (text === undefined || dot <= 0 || w.quoted) return undefined;
  return { ns: text.slice(0, dot), ifname: text.slice(dot + 1), span: subSpan(w.span, dot + 1, text.length) };
}
