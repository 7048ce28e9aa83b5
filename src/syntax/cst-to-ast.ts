/** Turns the parser's CST into the typed AST, splitting words into their parts. */
import { tokenMatcher, type CstNode, type IToken } from 'chevrotain';
import type * as A from './ast.js';
import { error, type Diagnostic } from './diagnostics.js';
import * as T from './tokens.js';
import { usage } from './usage.js';
import { show } from './values.js';
import { type Origin, type Span, joinSpans } from './source.js';
import { makeWord, parseWord, tokenSpan } from './words.js';

type Child = CstNode | IToken;

function isToken(c: Child): c is IToken {
  return (c as IToken).image !== undefined;
}

function damaged(node: CstNode): boolean {
  if (node.recoveredNode) return true;
  for (const list of Object.values(node.children)) {
    for (const c of list as Child[]) {
      if (isToken(c) ? c.isInsertedInRecovery === true || Number.isNaN(c.startOffset) : damaged(c)) return true;
    }
  }
  return false;
}

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  /** `recovered`: the parser reported errors, so nodes may hold tokens it made up. */
  constructor(
    private readonly at: Origin,
    private readonly recovered: boolean,
  ) {}

  private span(node: CstNode): Span {
    const loc = node.location;
    const { source, offset, line } = this.at;
    if (!loc || Number.isNaN(loc.startOffset)) return { source, start: offset, end: offset, line, col: 1 };
    return {
      source,
      start: offset + loc.startOffset,
      end: offset + (loc.endOffset ?? loc.startOffset) + 1,
      line: line + (loc.startLine ?? 1) - 1,
      col: loc.startColumn ?? 1,
    };
  }

  private toks(node: CstNode, key: string): IToken[] {
    return (node.children[key] as IToken[] | undefined) ?? [];
  }
  private nodes(node: CstNode, key: string): CstNode[] {
    return (node.children[key] as CstNode[] | undefined) ?? [];
  }
  private has(node: CstNode, key: string): boolean {
    return this.toks(node, key).length > 0;
  }

  word(tok: IToken): A.Word {
    const { word, diagnostics } = parseWord(this.at, tok);
    for (const d of diagnostics) this.diagnostics.push(d);
    return word;
  }
  private words(node: CstNode, key: string): A.Word[] {
    return this.toks(node, key).map(t => this.word(t));
  }
  private optWord(node: CstNode, key: string): A.Word | undefined {
    const t = this.toks(node, key)[0];
    return t && this.word(t);
  }
  private oneWord(node: CstNode, key: string): A.Word {
    return this.word(this.toks(node, key)[0]!);
  }

  program(node: CstNode): A.Program {
    const statements = this.statements(this.nodes(node, 'statements')[0]!);
    const { source } = this.at;
    return { kind: 'program', statements, span: { source, start: 0, end: source.text.length, line: 1, col: 1 } };
  }

  statements(node: CstNode | undefined): A.Statement[] {
    if (!node) return [];
    const out: A.Statement[] = [];
    for (const s of this.nodes(node, 'statement')) {
      if (this.recovered && damaged(s)) {
        this.wordProblems(s);
        continue;
      }
      out.push(this.statement(s));
    }
    return out;
  }

  private statement(node: CstNode): A.Statement {
    // the one child that is a rule node is the statement itself ("!" is a token)
    const inner = Object.values(node.children).find(list => !isToken(list[0] as Child))![0] as CstNode;
    const stmt = this.command(inner);
    if (this.has(node, 'Bang')) return { kind: 'not', statement: stmt, span: this.span(node) };
    return stmt;
  }

  /** Reports the problems inside the words of a statement that did not parse (an unterminated string is often why). */
  private wordProblems(node: CstNode): void {
    for (const list of Object.values(node.children)) {
      for (const c of list as Child[]) {
        if (!isToken(c)) this.wordProblems(c);
        else if (!c.isInsertedInRecovery && tokenMatcher(c, T.Word)) this.word(c);
      }
    }
  }

  private nsRef(node: CstNode): A.NsRefNode {
    const span = this.span(node);
    const pid = this.toks(node, 'pid')[0];
    if (pid) return { kind: 'pid', pid: this.word(pid), span };
    const w = this.oneWord(node, 'name');
    // A quoted word, or one that starts like a path, names a namespace file.
    if (w.quoted || /^[./]/.test(w.raw)) return { kind: 'path', path: w, span };
    return { kind: 'name', name: w, span };
  }

  private tail(node: CstNode): { stdin?: A.Word; background: boolean } {
    const t = this.nodes(node, 'commandTail')[0];
    if (!t) return { background: false };
    return { stdin: this.optWord(t, 'stdin'), background: this.has(t, 'Amp') };
  }

  private block(node: CstNode): A.Statement[] {
    const b = this.nodes(node, 'block')[0]!;
    return this.statements(this.nodes(b, 'statements')[0]);
  }

  private forItems(words: A.Word[], span: Span): A.ForItems {
    const only = words.length === 1 ? words[0]! : undefined;
    if (only) {
      const split = splitRange(only);
      if (split) return { kind: 'range', from: split[0], to: split[1], span };
      if (only.literal?.includes('..') && !only.quoted) {
        this.diagnostics.push(error(`range ${show(only.raw)} needs both ends`, only.span, 'e.g. for i in 1..4 { … }'));
      }
    }
    return { kind: 'list', words, span };
  }

  private command(node: CstNode): A.Statement {
    const span = this.span(node);
    switch (node.name) {
      case 'nsStmt':
        return { kind: 'ns', names: this.words(node, 'names'), hostname: this.optWord(node, 'hostname'), span };
      case 'delStmt':
        return { kind: 'del', targets: this.words(node, 'targets'), span };
      case 'vethStmt':
        return {
          kind: 'veth',
          left: this.oneWord(node, 'left'),
          leftAddrs: this.words(node, 'leftAddrs'),
          right: this.oneWord(node, 'right'),
          rightAddrs: this.words(node, 'rightAddrs'),
          mtu: this.optWord(node, 'mtu'),
          span,
        };
      case 'bridgeStmt':
        return { kind: 'bridge', bridge: this.oneWord(node, 'bridge'), ports: this.words(node, 'ports'), span };
      case 'attachStmt':
        return { kind: 'attach', ports: this.words(node, 'ports'), bridge: this.oneWord(node, 'bridge'), span };
      case 'addrStmt':
        return { kind: 'addr', endpoint: this.oneWord(node, 'endpoint'), del: this.has(node, 'Del'), addrs: this.words(node, 'addrs'), span };
      case 'upStmt':
        return { kind: 'link-state', up: true, endpoints: this.words(node, 'endpoints'), span };
      case 'downStmt':
        return { kind: 'link-state', up: false, endpoints: this.words(node, 'endpoints'), span };
      case 'moveStmt':
        return {
          kind: 'move',
          endpoint: this.oneWord(node, 'endpoint'),
          to: this.nsRef(this.nodes(node, 'to')[0]!),
          newName: this.optWord(node, 'newName'),
          span,
        };
      case 'routeStmt':
        return {
          kind: 'route',
          ns: this.oneWord(node, 'ns'),
          del: this.has(node, 'Del'),
          dest: this.oneWord(node, 'dest'),
          via: this.lastWord(node, 'via'),
          dev: this.lastWord(node, 'dev'),
          span,
        };
      case 'forwardStmt':
        return { kind: 'forward', namespaces: this.words(node, 'namespaces'), span };
      case 'sysctlStmt':
        return { kind: 'sysctl', ns: this.oneWord(node, 'ns'), settings: this.words(node, 'settings'), span };
      case 'inStmt':
        return { kind: 'in', ref: this.nsRef(this.nodes(node, 'ref')[0]!), argv: this.words(node, 'argv'), ...this.tail(node), span };
      case 'pingallStmt':
        return { kind: 'pingall', args: this.words(node, 'args'), span };
      case 'showStmt':
        return { kind: 'show', args: this.words(node, 'args'), span };
      case 'infoStmt':
        return { kind: 'info', ref: this.nsRef(this.nodes(node, 'ref')[0]!), span };
      case 'sameStmt':
        return {
          kind: 'same',
          a: this.nsRef(this.nodes(node, 'a')[0]!),
          b: this.nsRef(this.nodes(node, 'b')[0]!),
          type: this.optWord(node, 'type'),
          span,
        };
      case 'pinStmt': {
        const ref = this.nsRef(this.nodes(node, 'ref')[0]!);
        const name = this.optWord(node, 'name');
        const target = name ? { kind: 'as' as const, name } : { kind: 'at' as const, path: this.oneWord(node, 'path') };
        return { kind: 'pin', ref, target, span };
      }
      case 'spawnStmt':
        return {
          kind: 'spawn',
          flags: this.toks(node, 'flags').map(t => ({ name: t.image as A.SpawnFlag, span: tokenSpan(this.at, t) })),
          hostname: this.lastWord(node, 'hostname'),
          as: this.lastWord(node, 'as'),
          argv: this.words(node, 'argv'),
          ...this.tail(node),
          span,
        };
      case 'forStmt': {
        const items = this.words(node, 'items');
        const itemSpan = joinSpans(items[0]!.span, items[items.length - 1]!.span);
        return {
          kind: 'for',
          variable: this.oneWord(node, 'variable'),
          items: this.forItems(items, itemSpan),
          body: this.block(node),
          span,
        };
      }
      case 'defStmt':
        return { kind: 'def', name: this.oneWord(node, 'name'), params: this.words(node, 'params'), body: this.block(node), span };
      case 'letStmt':
        return this.letStmt(node, span);
      case 'includeStmt':
        return { kind: 'include', path: this.oneWord(node, 'path'), span };
      case 'echoStmt':
        return { kind: 'echo', words: this.words(node, 'words'), span };
      case 'sleepStmt':
        return { kind: 'sleep', args: this.words(node, 'args'), span };
      case 'jobsStmt':
        return { kind: 'jobs', args: this.words(node, 'args'), span };
      case 'waitStmt':
        return { kind: 'wait', targets: this.words(node, 'targets'), span };
      case 'killStmt':
        return { kind: 'kill', targets: this.words(node, 'targets'), span };
      case 'callStmt': {
        const name = this.toks(node, 'name')[0]!;
        const rule = `${name.image}Stmt`;
        if (name.tokenType !== T.Word && usage[rule]) {
          // A keyword whose statement did not parse (`up` alone) reaches here as a call.
          this.diagnostics.push(error(`${name.image} is missing its arguments`, tokenSpan(this.at, name), `usage: ${usage[rule]}`));
        }
        return { kind: 'call', name: this.word(name), args: this.words(node, 'args'), span };
      }
      default:
        throw new Error(`no AST for rule ${node.name}`);
    }
  }

  /** An option that may be given once (`via`, `dev`, `hostname`, `as`). */
  private lastWord(node: CstNode, key: string): A.Word | undefined {
    const ts = this.toks(node, key);
    if (ts.length > 1) this.diagnostics.push(error(`${key} is given twice`, tokenSpan(this.at, ts[1]!)));
    const t = ts[ts.length - 1];
    return t && this.word(t);
  }

  /** `let n = 4` or `let n=4`. */
  private letStmt(node: CstNode, span: Span): A.Statement {
    const words = this.words(node, 'words');
    const [first, second, third, extra] = words;
    if (words.length === 3 && second!.literal === '=') return { kind: 'let', name: first!, value: third!, span };
    if (words.length === 1) {
      const split = splitAt(first!, '=');
      if (split && split[0].parts.length > 0) return { kind: 'let', name: split[0], value: split[1], span };
    }
    const hint = 'usage: let V = WORD (quote a value with spaces: let v = "a b")';
    const end = { ...span, start: span.end, end: span.end + 1, col: span.col + (span.end - span.start) };
    if (extra && second!.literal === '=') this.diagnostics.push(error(`let takes one value; ${show(extra.raw)} is extra`, extra.span, hint));
    else if (second && second.literal !== '=') this.diagnostics.push(error(`let needs "=" after the name, found ${show(second.raw)}`, second.span, hint));
    else if (second) this.diagnostics.push(error('let needs a value after "="', end, hint));
    else this.diagnostics.push(error('let needs "= VALUE" after the name', end, hint));
    // the interpreter skips a let with an empty value: the problem is reported here
    return { kind: 'let', name: first!, value: makeWord([], '', end), span };
  }
}

/** Splits a word at the first unquoted occurrence of `sep` in a text part. */
function splitAt(w: A.Word, sep: string): [A.Word, A.Word] | undefined {
  for (let i = 0; i < w.parts.length; i++) {
    const p = w.parts[i]!;
    if (p.kind !== 'text' || p.quoted !== 'none') continue;
    const k = p.value.indexOf(sep);
    if (k === -1) continue;
    const before: A.WordPart[] = [...w.parts.slice(0, i)];
    const after: A.WordPart[] = [];
    const cut = p.span.start + k;
    const cutCol = p.span.col + k;
    if (k > 0) before.push({ ...p, value: p.value.slice(0, k), span: { ...p.span, end: cut } });
    if (k + sep.length < p.value.length) {
      const s = cut + sep.length;
      after.push({ ...p, value: p.value.slice(k + sep.length), span: { ...p.span, start: s, col: cutCol + sep.length } });
    }
    after.push(...w.parts.slice(i + 1));
    const leftSpan = { ...w.span, end: cut };
    const rightSpan = { ...w.span, start: cut + sep.length, col: cutCol + sep.length };
    const rawCut = cut - w.span.start;
    return [
      makeWord(before, w.raw.slice(0, rawCut), leftSpan),
      makeWord(after, w.raw.slice(rawCut + sep.length), rightSpan),
    ];
  }
  return undefined;
}

/** `1..4`, `1..$n`, `${a}..${b}` → the two bounds. */
export function splitRange(w: A.Word): [A.Word, A.Word] | undefined {
  const parts = splitAt(w, '..');
  if (!parts) return undefined;
  const [a, b] = parts;
  if (a.parts.length === 0 || b.parts.length === 0) return undefined;
  return [a, b];
}
