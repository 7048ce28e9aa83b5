/** Turns the parser's CST into the typed AST, splitting words into their parts: a Chevrotain CST visitor. */
import { tokenMatcher, type CstNode, type IToken } from 'chevrotain';
import type * as A from './ast.js';
import type * as C from './cst.js';
import type { NshCstVisitor } from './cst.js';
import { error, type Diagnostic } from './diagnostics.js';
import { theParser } from './parser.js';
import * as T from './tokens.js';
import { SHAPE_OPTIONS } from './statement-spec.js';
import { statementSpec } from './statements.js';
import * as V from './values.js';
import { show } from './values.js';
import { type Origin, type Span, joinSpans, subSpan } from './source.js';
import { usage } from './usage.js';
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
  /** An option that may be given once (`via`, `dev`, `hostname`, `as`): `keywords` are its keyword tokens, `values` its value words. */
  private lastWord(values: readonly IToken[] | undefined, what: string, keywords?: readonly IToken[]): A.Word | undefined {
    const ts = values ?? [];
    if (ts.length > 1) this.diagnostics.push(error(`${what} is given twice`, tokenSpan(this.at, (keywords ?? ts)[1]!)));
    const t = ts[ts.length - 1];
    return t && this.word(t);
  }

  /**
   * Checks a word that holds no variable with `check`, as the interpreter checks an expanded one:
   * a problem becomes a diagnostic under the word (or the part at fault). A word with variables is
   * checked when it is expanded.
   */
  private literal<T>(w: A.Word | undefined, check: (text: string) => T | V.Problem): void {
    if (w?.literal === undefined) return;
    const r = check(w.literal);
    if (!V.isProblem(r)) return;
    const span = r.from !== undefined && !w.quoted && w.raw === w.literal ? subSpan(w.span, r.from, r.to ?? r.from + 1) : w.span;
    this.diagnostics.push(error(r.problem, span, r.hint));
  }

  /** An option word's value, checked by the kind the registry gives it (TIME, PCT …). */
  private optionValue(statement: string, option: string, w: A.Word | undefined): A.Word | undefined {
    const spec = [...(statementSpec(statement)?.options ?? []), ...SHAPE_OPTIONS].find(o => o.word === option);
    if (spec) this.literal(w, t => V.checkOptionValue(spec, t));
    return w;
  }

  /** The shaping options of `shape` or `veth`: each once; jitter and reorder need delay. */
  private shapeOptions(nodes: readonly C.ShapeOptionCstNode[] | undefined): A.ShapeOptions | undefined {
    if (!nodes) return undefined;
    const out: { [K in A.ShapeOptionName]?: A.OptionNode } = {};
    for (const n of nodes) {
      const { keyword, name, value } = this.shapeOption(n.children);
      if (out[name]) {
        this.diagnostics.push(error(`${name} is given twice`, tokenSpan(this.at, keyword)));
        continue;
      }
      out[name] = { value, span: joinSpans(tokenSpan(this.at, keyword), value.span) };
    }
    const needsDelay = { jitter: 'netem varies the delay it adds', reorder: 'netem sends the reordered packets ahead of the delayed ones' };
    for (const [name, why] of Object.entries(needsDelay) as [A.ShapeOptionName, string][]) {
      const o = out[name];
      if (o && !out.delay) this.diagnostics.push(error(`${name} needs delay: ${why}`, o.span, `e.g. delay 10ms ${name} ${name === 'jitter' ? '2ms' : '25%'}`));
    }
    return out;
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
    const names = this.words(c.names);
    const hostname = this.lastWord(c.hostname, 'hostname', c.Hostname);
    const machine = this.optionValue('ns', 'on', this.lastWord(c.machine, 'on', c.On));
    return { kind: 'ns', names, hostname, machine, span };
  }

  delStmt(c: C.DelStmtCstChildren, span: Span): A.DelStmt {
    return { kind: 'del', targets: this.words(c.targets), span };
  }

  vethStmt(c: C.VethStmtCstChildren, span: Span): A.VethStmt {
    const shape = this.shapeOptions(c.shapeOption);
    return {
      kind: 'veth',
      left: this.word(c.left[0]!),
      leftAddrs: this.words(c.leftAddrs),
      right: this.word(c.right[0]!),
      rightAddrs: this.words(c.rightAddrs),
      mtu: this.lastWord(c.mtu, 'mtu', c.Mtu),
      shape,
      span,
    };
  }

  shapeOption(c: C.ShapeOptionCstChildren): { keyword: IToken; name: A.ShapeOptionName; value: A.Word } {
    const keyword = c.option![0]!;
    const name = keyword.image as A.ShapeOptionName;
    return { keyword, name, value: this.optionValue('shape', name, this.word(c.value[0]!))! };
  }

  shapeStmt(c: C.ShapeStmtCstChildren, span: Span): A.ShapeStmt {
    const endpoints = this.words(c.endpoints);
    const options = this.shapeOptions(c.shapeOption);
    const off = c.Off?.[0];
    if (c.Off && c.Off.length > 1) this.diagnostics.push(error('off is given twice', tokenSpan(this.at, c.Off[1]!)));
    if (off) {
      const other = Object.values(options ?? {})[0];
      if (other) this.diagnostics.push(error('off removes the shaping; it takes no other option', other.span));
      return { kind: 'shape', endpoints, shaping: { kind: 'off', span: tokenSpan(this.at, off) }, span };
    }
    if (!options) {
      const last = endpoints[endpoints.length - 1]!.span;
      const end = { ...last, start: last.end, end: last.end + 1, col: last.col + (last.end - last.start) };
      this.diagnostics.push(error('shape needs a shaping option (delay, jitter, loss, duplicate, reorder, corrupt, rate, limit) or off', end, `usage: ${usage.shapeStmt}`));
    }
    return { kind: 'shape', endpoints, shaping: { kind: 'set', options: options ?? {} }, span };
  }

  bridgeStmt(c: C.BridgeStmtCstChildren, span: Span): A.BridgeStmt {
    return { kind: 'bridge', bridge: this.word(c.bridge[0]!), ports: this.words(c.ports), vlanFiltering: c.Vlan !== undefined, span };
  }

  attachStmt(c: C.AttachStmtCstChildren, span: Span): A.AttachStmt {
    const ports = this.words(c.ports);
    const bridge = this.word(c.bridge[0]!);
    const ids = this.optWord(c.vlan);
    if (!ids) return { kind: 'attach', ports, bridge, span };
    const untagged = c.Untagged?.[0];
    const vlanSpan = joinSpans(tokenSpan(this.at, c.Vlan![0]!), untagged ? tokenSpan(this.at, untagged) : ids.span);
    if (untagged) {
      this.literal(ids, t => (t.includes(',') ? { problem: 'an untagged (access) port takes one VLAN ID', hint: 'a trunk port takes a list: vlan 10,20 (without untagged)' } : V.checkVlanId(t)));
      return { kind: 'attach', ports, bridge, vlans: { kind: 'access', id: ids, span: vlanSpan }, span };
    }
    this.literal(ids, V.checkVlanList);
    return { kind: 'attach', ports, bridge, vlans: { kind: 'trunk', ids, span: vlanSpan }, span };
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

  captureStmt(c: C.CaptureStmtCstChildren, span: Span): A.CaptureStmt {
    const file = this.lastWord(c.file, 'to', c.To);
    this.literal(file, V.checkPath);
    return {
      kind: 'capture',
      endpoint: this.word(c.endpoint[0]!),
      file,
      count: this.optionValue('capture', 'count', this.lastWord(c.count, 'count', c.Count)),
      duration: this.optionValue('capture', 'for', this.lastWord(c.duration, 'for', c.For)),
      background: c.Amp !== undefined,
      span,
    };
  }

  awaitStmt(c: C.AwaitStmtCstChildren, span: Span): A.AwaitStmt {
    const ref = this.ref(c.ref);
    const timeout = this.optionValue('await', 'timeout', this.optWord(c.timeout));
    const protocol = c.protocol?.[0];
    let target: A.AwaitTarget;
    if (protocol) {
      const port = this.word(c.port![0]!);
      this.literal(port, V.checkPort);
      target = { kind: 'listen', protocol: protocol.image as 'tcp' | 'udp', port, span: joinSpans(tokenSpan(this.at, protocol), port.span) };
    } else {
      const address = this.word(c.address![0]!);
      target = { kind: 'reach', address, span: joinSpans(tokenSpan(this.at, c.Reach![0]!), address.span) };
    }
    return { kind: 'await', ref, target, timeout, span };
  }

  vlanStmt(c: C.VlanStmtCstChildren, span: Span): A.VlanStmt {
    const id = this.word(c.id[0]!);
    this.literal(id, V.checkVlanId);
    const name = this.lastWord(c.name, 'as', c.As);
    return { kind: 'vlan', endpoint: this.word(c.endpoint[0]!), id, name, addrs: this.words(c.addrs), span };
  }

  macvlanStmt(c: C.MacvlanStmtCstChildren, span: Span): A.MacvlanStmt {
    const mode = this.optionValue('macvlan', 'mode', this.lastWord(c.mode, 'mode', c.Mode));
    return { kind: 'macvlan', parent: this.word(c.parent[0]!), endpoint: this.word(c.endpoint[0]!), mode, addrs: this.words(c.addrs), span };
  }

  natStmt(c: C.NatStmtCstChildren, span: Span): A.NatStmt {
    return { kind: 'nat', ns: this.word(c.ns[0]!), span };
  }

  publishStmt(c: C.PublishStmtCstChildren, span: Span): A.PublishStmt {
    const port = this.word(c.port[0]!);
    const target = this.word(c.target[0]!);
    this.literal(port, V.checkPort);
    this.literal(target, V.checkPublishTarget);
    const protocol = (c.protocol?.[0]?.image ?? 'tcp') as 'tcp' | 'udp';
    return { kind: 'publish', ns: this.word(c.ns[0]!), protocol, port, target, span };
  }

  vxlanStmt(c: C.VxlanStmtCstChildren, span: Span): A.VxlanStmt {
    const vni = this.word(c.vni[0]!);
    this.literal(vni, V.checkVni);
    const remote = this.word(c.remote[0]!);
    this.literal(remote, V.checkIp);
    const local = this.optionValue('vxlan', 'local', this.lastWord(c.local, 'local', c.Local));
    const port = this.optionValue('vxlan', 'port', this.lastWord(c.port, 'port', c.Port));
    const mtu = this.optionValue('vxlan', 'mtu', this.lastWord(c.mtu, 'mtu', c.Mtu));
    return { kind: 'vxlan', endpoint: this.word(c.endpoint[0]!), vni, remote, local, port, mtu, addrs: this.words(c.addrs), span };
  }

  machineStmt(c: C.MachineStmtCstChildren, span: Span): A.MachineStmt {
    const name = this.word(c.name[0]!);
    const target = this.word(c.target[0]!);
    this.literal(name, V.checkMachineName);
    this.literal(target, V.checkSshTarget);
    const port = this.optionValue('machine', 'port', this.optWord(c.port));
    return { kind: 'machine', name, target, port, span };
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
