/**
 * Hover: on a variable, the values the dry run gave it there; on a namespace, its links; on an
 * endpoint's interface, that link; on a def or a call, the def; on anything else of a statement,
 * the statement's help and the commands `nsh --explain` gives for it.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type * as A from '../syntax/ast.js';
import type { Env } from '../core/io.js';
import type { LinkSnapshot } from '../core/snapshot.js';
import { optionHead, usageLines } from '../syntax/statement-usage.js';
import { negation, statementSpec } from '../syntax/statements.js';
import type { Span } from '../syntax/source.js';
import type { Analysis } from './analysis.js';
import { includedFile } from './diagnostics.js';
import { commandsByStatement } from './explain.js';
import { resolveCall, variableAt } from './definition.js';
import { rangeOf } from './positions.js';
import { contains, inSource, statementAt } from './syntax-walk.js';
import { interfacePart, namespacePart, roleWords, type RoleWord } from './word-roles.js';

/** The most runs of a statement whose commands are shown. */
const RUNS = 3;

const code = (text: string, lang = '') => `\`\`\`${lang}\n${text}\n\`\`\``;

function hover(markdown: string, span: Span): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: markdown }, range: rangeOf(span) };
}

function linkLine(l: LinkSnapshot): string {
  const parts = [l.kind];
  if (l.peer) parts.push(`peer ${l.peer.ns}.${l.peer.ifname}`);
  if (l.master) parts.push(`port of ${l.master}`);
  if (l.mtu !== undefined && l.mtu !== 1500 && l.kind !== 'loopback') parts.push(`mtu ${l.mtu}`);
  parts.push(...l.addresses);
  parts.push(l.up ? 'up' : 'down');
  return `\`${l.name}\` ${parts.join(' · ')}`;
}

function namespaceHover(a: Analysis, name: string, span: Span): Hover {
  const made = a.trace.namespacesMade.get(name) ?? [];
  const ns = a.snapshot.namespaces.find(n => n.name === name);
  const lines = [`namespace **${name}**${name === 'host' ? ' (the namespace nsh runs in)' : ''}`];
  if (made.length > 0) lines.push(`made on line ${made.map(p => p.span.line).join(', ')}`);
  if (ns) {
    lines.push('', 'at the end of the script:');
    const links = ns.links.filter(l => l.kind !== 'loopback' || l.up);
    lines.push(...(links.length > 0 ? links.map(l => `- ${linkLine(l)}`) : ['- no links']));
    for (const r of ns.routes) lines.push(`- route ${r.dest}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`);
    if (ns.forwarding.ipv4 || ns.forwarding.ipv6) lines.push('- forwarding');
  }
  return hover(lines.join('\n'), span);
}

function interfaceHover(a: Analysis, ns: string, ifname: string, span: Span): Hover {
  const link = a.snapshot.namespaces.find(n => n.name === ns)?.links.find(l => l.name === ifname);
  const made = a.trace.linksMade.get(`${ns}.${ifname}`) ?? [];
  const lines = [`interface **${ns}.${ifname}**`];
  if (made.length > 0) lines.push(`made on line ${made.map(p => p.span.line).join(', ')}`);
  if (link) lines.push('', `at the end of the script: ${linkLine(link)}`);
  return hover(lines.join('\n'), span);
}

function defText(def: A.DefStmt): string {
  return `def ${[def.name, ...def.params].map(w => w.raw).join(' ')}`;
}

async function statementHover(a: Analysis, s: A.Statement, span: Span, env: Env, word: string | undefined): Promise<Hover> {
  const inner = s.kind === 'not' ? s.statement : s;
  const lines: string[] = [];
  if (s.kind === 'not' && word === '!') lines.push(`**!** — ${negation.help}`);
  else if (inner.kind === 'call') {
    const def = resolveCall(a, inner);
    lines.push(def ? `**${inner.name.raw}** — \`${defText(def)}\` (line ${def.span.line}${inSource(def.span, a.source) ? '' : ` of ${def.span.source.name}`})` : `**${inner.name.raw}**`);
  } else {
    const spec = statementSpec(keywordOf(inner));
    if (spec) {
      const option = [...(spec.leadingOptions ?? []), ...spec.options].find(o => o.word === word);
      lines.push(`**${spec.name}** — ${spec.help}`);
      if (option) lines.push('', `\`${optionHead(option)}\` — ${option.help}`);
      lines.push('', code(usageLines(spec).join('\n')));
    }
  }
  const runs = (await commandsByStatement(a, env)).get(s) ?? [];
  if (runs.length > 0) {
    lines.push('', '`nsh --explain`:', code(runs.slice(0, RUNS).join('\n'), 'sh'));
    if (runs.length > RUNS) lines.push("(and more runs: a loop's, or a def's calls)");
  }
  return hover(lines.join('\n'), span);
}

/** The keyword a statement starts with (link-state is `up` or `down`). */
function keywordOf(s: A.Statement): string {
  return s.kind === 'link-state' ? (s.up ? 'up' : 'down') : s.kind;
}

/** The word of text at `offset` (for option words, which the tree does not keep). */
function textWordAt(text: string, offset: number): { word: string; start: number } {
  let start = offset;
  while (start > 0 && /[^\s;{}]/.test(text[start - 1]!)) start--;
  let end = offset;
  while (end < text.length && /[^\s;{}]/.test(text[end]!)) end++;
  return { word: text.slice(start, end), start };
}

export async function hoverAt(a: Analysis, offset: number, env: Env): Promise<Hover | null> {
  const path = statementAt(a.program.statements, a.source, offset);
  const s = path[path.length - 1];
  if (!s) return null;
  const role: RoleWord | undefined = roleWords(s.kind === 'not' ? s.statement : s).find(r => contains(r.word.span, offset));
  const v = variableAt(s, offset);
  if (v) {
    const values = a.trace.values.get(s)?.get(v.name) ?? [];
    const shown = values.length > 0 ? values.map(x => `\`${x}\``).join(', ') : 'not known here';
    return hover(`\`$${v.name}\` = ${shown}${values.length > 1 ? ' (each run)' : ''}`, v.span);
  }
  if (role) {
    const w = role.word;
    switch (role.role) {
      case 'namespace':
      case 'namespace-made':
        if (w.literal !== undefined) return namespaceHover(a, w.literal, w.span);
        break;
      case 'endpoint': {
        const ns = namespacePart(w);
        if (ns && contains(ns.span, offset) && offset < ns.span.end) return namespaceHover(a, ns.name, ns.span);
        const ifp = interfacePart(w);
        if (ifp) return interfaceHover(a, ifp.ns, ifp.ifname, w.span);
        break;
      }
      case 'interface': {
        const ns = role.ns?.literal?.split('.')[0];
        const ifname = w.literal?.split('.').pop();
        if (ns !== undefined && ifname !== undefined) return interfaceHover(a, ns, ifname, w.span);
        break;
      }
      case 'def':
        if (s.kind === 'def') return hover(`\`${defText(s)}\``, w.span);
        break;
      case 'include': {
        const file = s.kind === 'include' ? includedFile(s) : undefined;
        if (file) return hover(`includes \`${file}\``, w.span);
        break;
      }
      default:
        break;
    }
  }
  const { word, start } = textWordAt(a.text, offset);
  return statementHover(a, s, { ...s.span, start, end: start + word.length }, env, word);
}
