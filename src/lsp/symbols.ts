/**
 * The document's outline: the namespaces it makes, its defs (with what their bodies make inside
 * them), its links (veth, bridge, macvlan, vlan), and its includes. A loop's symbols stand at the
 * level of the loop.
 */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type * as A from '../syntax/ast.js';
import type { Source, Span } from '../syntax/source.js';
import { rangeOf } from './positions.js';
import { children, inSource } from './syntax-walk.js';

function symbol(name: string, kind: SymbolKind, span: Span, selection: Span, detail?: string, inner?: DocumentSymbol[]): DocumentSymbol {
  return {
    name: name === '' ? '""' : name,
    kind,
    range: rangeOf(span),
    selectionRange: rangeOf(selection),
    ...(detail === undefined ? {} : { detail }),
    ...(inner === undefined ? {} : { children: inner }),
  };
}

const text = (w: A.Word) => w.raw;

export function documentSymbols(statements: readonly A.Statement[], source: Source): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const s of statements) {
    if (!inSource(s.span, source)) continue;
    switch (s.kind) {
      case 'ns':
        for (const w of s.names) out.push(symbol(text(w), SymbolKind.Namespace, s.span, w.span, 'namespace'));
        break;
      case 'spawn':
      case 'pin': {
        const w = s.kind === 'spawn' ? s.as : s.target.kind === 'as' ? s.target.name : undefined;
        if (w) out.push(symbol(text(w), SymbolKind.Namespace, s.span, w.span, `namespace (${s.kind})`));
        break;
      }
      case 'def':
        out.push(symbol(text(s.name), SymbolKind.Function, s.span, s.name.span, s.params.map(text).join(' '), documentSymbols(s.body, source)));
        break;
      case 'veth':
        out.push(symbol(`${text(s.left)} <-> ${text(s.right)}`, SymbolKind.Interface, s.span, s.left.span, 'veth'));
        break;
      case 'bridge':
        out.push(symbol(text(s.bridge), SymbolKind.Interface, s.span, s.bridge.span, 'bridge'));
        break;
      case 'macvlan':
        out.push(symbol(text(s.endpoint), SymbolKind.Interface, s.span, s.endpoint.span, `macvlan of ${text(s.parent)}`));
        break;
      case 'vlan':
        out.push(symbol(s.name ? text(s.name) : `${text(s.endpoint)}.${text(s.id)}`, SymbolKind.Interface, s.span, s.endpoint.span, 'vlan'));
        break;
      case 'include':
        out.push(symbol(text(s.path), SymbolKind.File, s.span, s.path.span, 'include'));
        break;
      default:
        out.push(...documentSymbols(children(s), source));
    }
  }
  return out;
}
