/** Turns the parser's CST into the typed AST, splitting words into their parts: a Chevrotain CST visitor. */
import { tokenMatcher, type CstNode, type IToken } from 'chevrotain';
import type * as A from './ast.js';
import type * as C from './cst.js';
import type { NshCstVisitor } from './cst.js';
import { error, type Diagnostic } from './diagnostics.js';
import { theParser } from './parser.js';
import * as T from './tokens.js';
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

/** Chevrotain's visitor base for this grammar: `visit` dispatches on the rule name; the rule names are known for `validateVisitor`. */
const Visitor = theParser(false).getBaseCstVisitorConstructor<Span, unknown>();

/**
 * The CST visitor: one method per parser rule, each given the rule node's typed children (cst.ts,
 * generated from the grammar) and the node's span. The constructor checks that every rule has its
 * method, so a rule added to the parser without one fails at the first parse.
 */
export class AstBuilder extends Visitor implements NshCstVisitor<Span, unknown> {
  readonly diagnostics: Diagnostic[] = [];
  /** `recovered`: the parser reported errors, so nodes may hold tokens it made up. */
  constructor(
    private readonly at: Origin,
    private readonly recovered: boolean,
  ) {
    super();
    this.validateVisitor();
  }

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

  word(tok: IToken): A.Word {
    const { word, diagnostics } = parseWord(this.at, tok);
    for (const d of diagnostics) this.diagnostics.push(d);
    return word;
  }
  private words(toks: readonly IToken[] | undefined): A.Word[] {
    return (toks ?? []).map(t => this.word(t));
  }
  private optWord(toks: readonly IToken[] | undefined): A.Word | undefined {
    const t = toks?.[0];
    return t && this.word(t);
  }
  /** An option that may be given once (`via`, `dev`, `hostname`, `as`). */
  private lastWord(toks: readonly IToken[] | undefined, what: string): A.Word | undefined {
    const ts = toks ?? [];
    if (ts.length > 1) this.diagnostics.push(error(`${what} is given twice`, tokenSpan(this.at, ts[1]!)));
    const t = ts[ts.length - 1];
    return t && this.word(t);
  }

  program(c: C.ProgramCstChildren): A.Program {
    const statements = this.statements(c.statements[0]?.children);
    const { source } = this.at;
    return { kind: 'program', statements, span: { source, start: 0, end: source.text.length, line: 1, col: 1 } };
  }

  statements(c: C.StatementsCstChildren | undefined): A.Statement[] {
    const out: A.Statement[] = [];
    for (const s of c?.statement ?? []) {
      if (this.recovered && damaged(s)) {
        this.wordProblems(s);
        continue;
      }
      out.push(this.statement(s.children, this.span(s)));
    }
    return out;
  }

  statement(c: C.StatementCstChildren, span: Span): A.Statement {
    // the one child that is a rule node is the statement itself ("!" is a token)
    const inner = Object.values(c).find(list => !isToken(list[0] as Child))![0] as CstNode;
    const stmt = this.visit(inner, this.span(inner)) as A.Statement;
    if (c.Bang) return { kind: 'not', statement: stmt, span };
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

  nsRef(c: C.NsRefCstChildren, span: Span): A.NsRefNode {
    if (c.pid) return { kind: 'pid', pid: this.word(c.pid[0]!), span };
    const w = this.word(c.name![0]!);
    // A quoted word, or one that starts like a path, names a namespace file.
    if (w.quoted || /^[./]/.test(w.raw)) return { kind: 'path', path: w, span };
    return { kind: 'name', name: w, span };
  }
  private ref(nodes: readonly C.NsRefCstNode[]): A.NsRefNode {
    return this.nsRef(nodes[0]!.children, this.span(nodes[0]!));
  }

  commandTail(c: C.CommandTailCstChildren): { stdin?: A.Word; background: boolean } {
    return { stdin: this.optWord(c.stdin), background: c.Amp !== undefined };
  }
  private tail(nodes: readonly C.CommandTailCstNode[]): { stdin?: A.Word; background: boolean } {
    return this.commandTail(nodes[0]!.children);
  }

  block(c: C.BlockCstChildren): A.Statement[] {
    return this.statements(c.statements?.[0]?.children);
  }
  private body(nodes: readonly C.BlockCstNode[]): A.Statement[] {
    return this.block(nodes[0]!.children);
  }

  nsStmt(c: C.NsStmtCstChildren, span: Span): A.NsStmt {
    return { kind: 'ns', names: this.words(c.names), hostname: this.optWord(c.hostname), span };
  }

  delStmt(c: C.DelStmtCstChildren, span: Span): A.DelStmt {
    return { kind: 'del', targets: this.words(c.targets), span };
  }

  vethStmt(c: C.VethStmtCstChildren, span: Span): A.VethStmt {
    return {
      kind: 'veth',
      left: this.word(c.left[0]!),
      leftAddrs: this.words(c.leftAddrs),
      right: this.word(c.right[0]!),
      rightAddrs: this.words(c.rightAddrs),
      mtu: this.optWord(c.mtu),
      span,
    };
  }

  bridgeStmt(c: C.BridgeStmtCstChildren, span: Span): A.BridgeStmt {
    return { kind: 'bridge', bridge: this.word(c.bridge[0]!), ports: this.words(c.ports), span };
  }

  attachStmt(c: C.AttachStmtCstChildren, span: Span): A.AttachStmt {
    return { kind: 'attach', ports: this.words(c.ports), bridge: this.word(c.bridge[0]!), span };
  }

  addrStmt(c: C.AddrStmtCstChildren, span: Span): A.AddrStmt {
    return { kind: 'addr', endpoint: this.word(c.endpoint[0]!), del: c.Del !== undefined, addrs: this.words(c.addrs), span };
  }

  upStmt(c: C.UpStmtCstChildren, span: Span): A.LinkStateStmt {
    return { kind: 'link-state', up: true, endpoints: this.words(c.endpoints), span };
  }

  downStmt(c: C.DownStmtCstChildren, span: Span): A.LinkStateStmt {
    return { kind: 'link-state', up: false, endpoints: this.words(c.endpoints), span };
  }

  moveStmt(c: C.MoveStmtCstChildren, span: Span): A.MoveStmt {
    return { kind: 'move', endpoint: this.word(c.endpoint[0]!), to: this.ref(c.to), newName: this.optWord(c.newName), span };
  }

  routeStmt(c: C.RouteStmtCstChildren, span: Span): A.RouteStmt {
    return {
      kind: 'route',
      ns: this.word(c.ns[0]!),
      del: c.Del !== undefined,
      dest: this.word(c.dest[0]!),
      via: this.lastWord(c.via, 'via'),
      dev: this.lastWord(c.dev, 'dev'),
      span,
    };
  }

  forwardStmt(c: C.ForwardStmtCstChildren, span: Span): A.ForwardStmt {
    return { kind: 'forward', namespaces: this.words(c.namespaces), span };
  }

  sysctlStmt(c: C.SysctlStmtCstChildren, span: Span): A.SysctlStmt {
    return { kind: 'sysctl', ns: this.word(c.ns[0]!), settings: this.words(c.settings), span };
  }

  inStmt(c: C.InStmtCstChildren, span: Span): A.InStmt {
    return { kind: 'in', ref: this.ref(c.ref), argv: this.words(c.argv), ...this.tail(c.commandTail), span };
  }

  pingallStmt(c: C.PingallStmtCstChildren, span: Span): A.PingallStmt {
    return { kind: 'pingall', args: this.words(c.args), span };
  }

  showStmt(c: C.ShowStmtCstChildren, span: Span): A.ShowStmt {
    return { kind: 'show', args: this.words(c.args), span };
  }

  infoStmt(c: C.InfoStmtCstChildren, span: Span): A.InfoStmt {
    return { kind: 'info', ref: this.ref(c.ref), span };
  }

  sameStmt(c: C.SameStmtCstChildren, span: Span): A.SameStmt {
    return { kind: 'same', a: this.ref(c.a), b: this.ref(c.b), type: this.optWord(c.type), span };
  }

  pinStmt(c: C.PinStmtCstChildren, span: Span): A.PinStmt {
    const ref = this.ref(c.ref);
    const name = this.optWord(c.name);
    const target = name ? { kind: 'as' as const, name } : { kind: 'at' as const, path: this.word(c.path![0]!) };
    return { kind: 'pin', ref, target, span };
  }

  spawnStmt(c: C.SpawnStmtCstChildren, span: Span): A.SpawnStmt {
    return {
      kind: 'spawn',
      flags: (c.flags ?? []).map(t => ({ name: t.image as A.SpawnFlag, span: tokenSpan(this.at, t) })),
      hostname: this.lastWord(c.hostname, 'hostname'),
      as: this.lastWord(c.as, 'as'),
      argv: this.words(c.argv),
      ...this.tail(c.commandTail),
      span,
    };
  }

  forStmt(c: C.ForStmtCstChildren, span: Span): A.ForStmt {
    const items = this.words(c.items);
    const itemSpan = joinSpans(items[0]!.span, items[items.length - 1]!.span);
    return { kind: 'for', variable: this.word(c.variable[0]!), items: this.forItems(items, itemSpan), body: this.body(c.block), span };
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

  defStmt(c: C.DefStmtCstChildren, span: Span): A.DefStmt {
    return { kind: 'def', name: this.word(c.name[0]!), params: this.words(c.params), body: this.body(c.block), span };
  }

  /** `let n = 4` or `let n=4`. */
  letStmt(c: C.LetStmtCstChildren, span: Span): A.LetStmt {
    const words = this.words(c.words);
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

  includeStmt(c: C.IncludeStmtCstChildren, span: Span): A.IncludeStmt {
    return { kind: 'include', path: this.word(c.path[0]!), span };
  }

  echoStmt(c: C.EchoStmtCstChildren, span: Span): A.EchoStmt {
    return { kind: 'echo', words: this.words(c.words), span };
  }

  sleepStmt(c: C.SleepStmtCstChildren, span: Span): A.SleepStmt {
    return { kind: 'sleep', args: this.words(c.args), span };
  }

  jobsStmt(c: C.JobsStmtCstChildren, span: Span): A.JobsStmt {
    return { kind: 'jobs', args: this.words(c.args), span };
  }

  waitStmt(c: C.WaitStmtCstChildren, span: Span): A.WaitStmt {
    return { kind: 'wait', targets: this.words(c.targets), span };
  }

  killStmt(c: C.KillStmtCstChildren, span: Span): A.KillStmt {
    return { kind: 'kill', targets: this.words(c.targets), span };
  }

  callStmt(c: C.CallStmtCstChildren, span: Span): A.CallStmt {
    return { kind: 'call', name: this.word(c.name[0]!), args: this.words(c.args), span };
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
