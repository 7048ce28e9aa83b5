/**
 * The interpreter: expands words, checks them in their roles, and turns each statement into
 * operations (backend/ops.ts) that it hands to a Backend. In `check` mode it goes on after an
 * error so that one pass reports them all.
 */
import * as A from '../syntax/ast.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';
import type { Span } from '../syntax/source.js';
import { statementKeywordNames } from '../syntax/keywords.js';
import { usage } from '../syntax/usage.js';
import * as V from '../syntax/values.js';
import { show } from '../syntax/values.js';
import { OpError, pidText, type Backend, type OpKind, type OpOf, type ResultOf, type SpawnFlag } from '../backend/backend.js';
import { isJob } from '../backend/ops.js';
import { ncArgs, pingArgs } from './builtin-args.js';
import { Scope } from './environment.js';
import { DiagnosticError } from './errors.js';
import { UNKNOWN, UnknownValue } from './expand.js';
import { fail, Roles } from './roles.js';
import { checkStatementValues, type ValuedStatement } from './statement-values.js';
import { DryRunLoops, loopSize } from './dry-run-limit.js';

/** A statement that ran and failed (a kernel error, a program's non-zero exit …); `!` turns it around. */
export class StatementFailed extends DiagnosticError {
  constructor(
    diagnostic: Diagnostic,
    readonly reason: 'failed' | 'interrupted' = 'failed',
  ) {
    super(diagnostic);
  }
}

export interface InterpreterOptions {
  readonly backend: Backend;
  readonly mode: 'run' | 'check';
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Namespaces the lab already has (a re-opened lab). */
  readonly lab?: Iterable<string>;
  /** The lab's name: its nftables table in a namespace is `nsh_NAME` (core/lab.ts labTable). */
  readonly labName?: string;
  /** The lab's links in a namespace it did not make (the host's ends of its veths …), as its record holds them. */
  readonly labLinks?: (ns: string) => string[];
  /** Asked before each statement: true stops the run (Ctrl-C). */
  readonly interrupted?: () => boolean;
}

export type Outcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly diagnostic: Diagnostic; readonly failed: boolean; readonly interrupted?: boolean };

const MAX_CALL_DEPTH = 100;
const MAX_RANGE = 1_000_000;

export class Interpreter {
  readonly global = new Scope();
  /** In check mode: every problem found. */
  readonly diagnostics: Diagnostic[] = [];
  /** The lab's namespaces in creation order. */
  readonly lab: Set<string>;
  /** While a def body is checked uncalled, the lab is not changed. */
  private prechecking = false;
  /** Inside `! …`: the statement's own header is not announced again, and its failure is the point. */
  private negated = 0;
  private readonly backend: Backend;
  private readonly roles: Roles;
  private depth = 0;
  /** Set when calls nest too deep; cleared when the outermost call returns. */
  private callsAborted = false;

  constructor(private readonly opts: InterpreterOptions) {
    this.backend = opts.backend;
    this.lab = new Set(opts.lab ?? []);
    this.roles = new Roles(opts.env ?? process.env, this.lab);
  }

  /** Runs statements; stops at the first error in run mode. */
  async run(statements: readonly A.Statement[], scope: Scope = this.global): Promise<Outcome> {
    try {
      await this.block(statements, scope);
      await this.flush(statements);
      if (this.diagnostics.length > 0) return { ok: false, diagnostic: this.diagnostics[0]!, failed: false };
      return { ok: true };
    } catch (e) {
      if (e instanceof StatementFailed) return { ok: false, diagnostic: e.diagnostic, failed: true, interrupted: e.reason === 'interrupted' };
      if (e instanceof DiagnosticError) return { ok: false, diagnostic: e.diagnostic, failed: false };
      throw e;
    }
  }

  /** Has the backend send what it kept back; a failure is its statement's (OpError.at). */
  private async flush(statements: readonly A.Statement[]): Promise<void> {
    try {
      await this.backend.flush?.();
    } catch (e) {
      const at = e instanceof OpError ? e.at ?? statements[statements.length - 1]?.span : undefined;
      if (!(e instanceof OpError) || !at) throw e;
      throw new StatementFailed(error(e.message, at, e.hint));
    }
  }

  private async block(statements: readonly A.Statement[], scope: Scope): Promise<void> {
    for (const s of statements) await this.statement(s, scope);
  }

  /** When the event loop was last given a turn (see statement()). */
  private lastTurn = Date.now();

  private async statement(s: A.Statement, scope: Scope): Promise<void> {
    // Kernel operations are synchronous: without a turn of the event loop now and then, a
    // SIGINT/SIGTERM handler would only run after the whole script (and the signal be lost).
    if (this.opts.interrupted && Date.now() - this.lastTurn >= 10) {
      await new Promise(r => setImmediate(r));
      this.lastTurn = Date.now();
    }
    if (this.opts.interrupted?.()) throw new StatementFailed(error('interrupted', s.span), 'interrupted');
    try {
      await this.dispatch(s, scope);
    } catch (e) {
      if (e instanceof UnknownValue) return;
      if (this.opts.mode === 'check' && this.negated === 0 && e instanceof OpError) {
        // the dry run knows the statement will fail: a problem of the script, like any other
        this.diagnostics.push(error(e.message, e.at ?? s.span, e.hint));
        return;
      }
      // (a failure that a backend found late, sending an earlier statement's requests, is that statement's)
      const err = e instanceof OpError ? new StatementFailed(error(e.message, e.at ?? s.span, e.hint)) : e;
      if (this.opts.mode === 'check' && err instanceof DiagnosticError && !(err instanceof StatementFailed)) {
        this.diagnostics.push(err.diagnostic);
        return;
      }
      throw err;
    }
  }

  private begin(s: A.Statement): void {
    if (!this.backend.begin || this.negated > 0) return;
    const span = s.span;
    this.backend.begin({
      span,
      kind: s.kind,
      // only the explain backend reads it
      get text() {
        return span.source.text.slice(span.start, span.end).replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ');
      },
    });
  }

  /** Announces the statement, then hands over its operation. */
  private apply<K extends OpKind>(s: A.Statement, op: OpOf<K>): Promise<ResultOf<K>> {
    this.begin(s);
    return this.send(op);
  }

  /** Hands an operation to the backend; a def body checked where it is defined changes nothing. */
  private send<K extends OpKind>(op: OpOf<K>): Promise<ResultOf<K>> {
    if (this.prechecking) return Promise.resolve(undefined as ResultOf<K>);
    return this.backend.apply(op);
  }

  private noArgs(args: readonly A.Word[], what: string): void {
    const first = args[0];
    if (first) fail(`${what} takes no arguments`, first.span, `usage: ${usage[`${what}Stmt`]}`);
  }

  private setJob(result: unknown, scope: Scope): void {
    if (isJob(result)) scope.set('!', pidText(result.pid));
  }

  // ---- statements -------------------------------------------------------------------------------

  private async dispatch(s: A.Statement, scope: Scope): Promise<void> {
    const r = this.roles;
    const span = s.span;
    switch (s.kind) {
      case 'ns': {
        const names = s.names.map(w => r.nsName(w, scope, false));
        const hostname = s.hostname && r.value(s.hostname, scope, V.checkHostname);
        this.unique(names, s.names, 'namespace');
        names.forEach((name, i) => {
          if (this.lab.has(name)) fail(`namespace ${show(name)} already exists in this lab`, s.names[i]!.span, `delete it first with del ${name}`);
        });
        this.begin(s);
        for (const name of names) {
          await this.send({ kind: 'ns-add', span, name, ...(hostname === undefined ? {} : { hostname }) });
          this.labAdd(name);
        }
        return;
      }
      case 'del': {
        const targets = s.targets.map(w => {
          const text = r.expand(w, scope);
          if (text === 'host') fail('the host namespace cannot be deleted', w.span);
          return text.includes('.') ? { ep: r.endpoint(w, scope) } : { ns: r.nsName(w, scope, false) };
        });
        this.begin(s);
        for (const t of targets) {
          if (t.ep) await this.send({ kind: 'link-del', span, ep: t.ep });
          else {
            await this.send({ kind: 'ns-del', span, name: t.ns! });
            this.labDelete(t.ns!);
          }
        }
        return;
      }
      case 'veth':
        return this.veth(s, scope);
      case 'bridge': {
        const br = r.endpoint(s.bridge, scope);
        const ports = s.ports.map(w => {
          const ifname = r.value(w, scope, t => {
            const dot = t.indexOf('.');
            const ns = t.slice(0, dot);
            if (dot > 0 && ns !== br.ns && this.lab.has(ns)) {
              return { problem: `${t} is in namespace ${show(ns)} but the bridge is in ${show(br.ns)}`, hint: `a bridge takes ports of its own namespace; move the link first: move ${t} -> ${br.ns}` };
            }
            return V.checkIfName(t.startsWith(`${br.ns}.`) ? t.slice(br.ns.length + 1) : t);
          });
          return { ns: br.ns, ifname, span: w.span };
        });
        await this.apply(s, { kind: 'bridge', span, br, ports });
        return;
      }
      case 'attach': {
        const ports = s.ports.map(w => r.endpoint(w, scope));
        const br = r.endpoint(s.bridge, scope);
        ports.forEach((p, i) => {
          if (p.ns === br.ns && p.ifname === br.ifname) fail('a bridge cannot be a port of itself', s.ports[i]!.span);
          if (p.ns !== br.ns) {
            fail(
              `${p.ns}.${p.ifname} is in namespace ${show(p.ns)} but the bridge ${br.ns}.${br.ifname} is in ${show(br.ns)}`,
              s.ports[i]!.span,
              `a bridge takes ports of its own namespace; move the link first: move ${p.ns}.${p.ifname} -> ${br.ns}`,
            );
          }
        });
        await this.apply(s, { kind: 'attach', span, ports, br });
        return;
      }
      case 'addr': {
        const ep = r.endpoint(s.endpoint, scope);
        const addrs = s.addrs.map(w => r.cidr(w, scope));
        await this.apply(s, { kind: 'addr', span, ep, addrs, del: s.del });
        return;
      }
      case 'link-state': {
        const eps = s.endpoints.flatMap(w => r.endpoints(w, scope));
        await this.apply(s, { kind: 'link-state', span, eps, up: s.up });
        return;
      }
      case 'move': {
        const ep = r.endpoint(s.endpoint, scope);
        const to = r.nsRef(s.to, scope);
        const newName = s.newName && r.value(s.newName, scope, V.checkIfName);
        if (to.kind === 'name' && to.name === ep.ns) fail(`${ep.ns}.${ep.ifname} is already in ${show(ep.ns)}`, s.to.span);
        await this.apply(s, { kind: 'move', span, ep, to, ...(newName === undefined ? {} : { newName }) });
        return;
      }
      case 'route':
        return this.route(s, scope);
      case 'forward': {
        const names = s.namespaces.map(w => r.nsName(w, scope));
        this.begin(s);
        const settings = [{ key: 'net.ipv4.ip_forward', value: '1' }, { key: 'net.ipv6.conf.all.forwarding', value: '1' }];
        for (const ns of names) await this.send({ kind: 'sysctl', span, ns, settings });
        return;
      }
      case 'sysctl': {
        const ns = r.nsName(s.ns, scope);
        const settings = s.settings.map(w => r.value(w, scope, V.checkSysctl));
        this.begin(s);
        for (const setting of settings) await this.send({ kind: 'sysctl', span, ns, settings: [setting] });
        return;
      }
      case 'in':
        return this.inStmt(s, scope);
      case 'pingall':
        this.noArgs(s.args, 'pingall');
        await this.apply(s, { kind: 'pingall', span, lab: [...this.lab] });
        return;
      case 'show':
        await this.apply(s, { kind: 'show', span, ...this.showQuery(s, scope) });
        return;
      case 'info': {
        const ref = r.nsRef(s.ref, scope);
        await this.apply(s, { kind: 'info', span, ref });
        return;
      }
      case 'same': {
        const a = r.nsRef(s.a, scope);
        const b = r.nsRef(s.b, scope);
        const type = s.type && r.value(s.type, scope, V.checkNsType);
        await this.apply(s, { kind: 'same', span, a, b, ...(type === undefined ? {} : { type }) });
        return;
      }
      case 'pin': {
        const ref = r.nsRef(s.ref, scope);
        const t = s.target;
        const target = t.kind === 'as'
          ? { kind: 'name' as const, name: r.nsName(t.name, scope, false) }
          : { kind: 'path' as const, path: r.path(t.path, scope) };
        await this.apply(s, { kind: 'pin', span, ref, target });
        if (target.kind === 'name') this.labAdd(target.name);
        return;
      }
      case 'spawn':
        return this.spawn(s, scope);
      case 'for':
        return this.forStmt(s, scope);
      case 'def': {
        const name = r.value(s.name, scope, V.checkVarName);
        if (statementKeywordNames.includes(name)) fail(`${show(name)} is the name of a statement and cannot name a def`, s.name.span);
        const params = s.params.map(w => r.value(w, scope, V.checkVarName));
        this.unique(params, s.params, 'parameter');
        scope.define(s, name);
        if (this.opts.mode === 'check') await this.precheck(s, params, scope);
        return;
      }
      case 'call':
        return this.call(s, scope);
      case 'let': {
        // a let of the wrong shape was reported by the parser
        if (s.value.parts.length === 0 && s.value.raw === '') return;
        const name = r.value(s.name, scope, V.checkVarName);
        scope.set(name, r.expand(s.value, scope));
        return;
      }
      case 'include':
        if (s.body) await this.block(s.body, scope);
        return;
      case 'echo': {
        const text = s.words.map(w => r.expand(w, scope)).join(' ');
        await this.apply(s, { kind: 'print', span, text });
        return;
      }
      case 'sleep': {
        if (s.args.length !== 1) {
          fail(`sleep takes one number of seconds, got ${s.args.length}`, s.args[1]?.span ?? s.span, `usage: ${usage.sleepStmt}`);
        }
        const seconds = r.value(s.args[0]!, scope, t => V.checkTime(t, 'sleep time', { min: 0, max: 86400 }));
        await this.apply(s, { kind: 'sleep', span, seconds });
        return;
      }
      case 'jobs':
        this.noArgs(s.args, 'jobs');
        await this.apply(s, { kind: 'jobs', span });
        return;
      case 'wait': {
        const targets = s.targets.map(w => r.jobTarget(w, scope));
        await this.apply(s, { kind: 'wait', span, targets });
        return;
      }
      case 'kill': {
        const targets = s.targets.map(w => r.jobTarget(w, scope));
        await this.apply(s, { kind: 'kill', span, targets });
        return;
      }
      case 'not':
        return this.not(s, scope);
      case 'shape':
      case 'capture':
      case 'await':
      case 'vlan':
      case 'macvlan':
      case 'nat':
      case 'publish':
      case 'machine':
        return this.notYet(s, scope);
      default: {
        const never: never = s;
        throw new Error(`unhandled statement ${(never as A.Statement).kind}`);
      }
    }
  }

  /** A statement whose words are checked but that does not run yet. */
  private notYet(s: ValuedStatement, scope: Scope): void {
    if (s.kind === 'await') this.roles.nsRef(s.ref, scope);
    checkStatementValues(s, (w, check) => this.roles.value(w, scope, check));
    if (this.opts.mode === 'run') fail(`${s.kind} is not available yet`, s.span);
  }

  private labAdd(ns: string): void {
    if (!this.prechecking) this.lab.add(ns);
  }

  private labDelete(ns: string): void {
    if (!this.prechecking) this.lab.delete(ns);
  }

  private unique(values: readonly string[], words: readonly A.Word[], what: string): void {
    values.forEach((v, i) => {
      if (values.indexOf(v) !== i) fail(`${what} ${show(v)} is named twice`, words[i]!.span);
    });
  }

  private async veth(s: A.VethStmt, scope: Scope): Promise<void> {
    const r = this.roles;
    const left = r.endpoint(s.left, scope);
    const right = r.endpoint(s.right, scope);
    if (left.ns === right.ns && left.ifname === right.ifname) {
      fail(`both ends of the veth pair are ${left.ns}.${left.ifname}`, s.right.span, 'name the two ends differently');
    }
    let leftAddrs = s.leftAddrs.map(w => r.cidr(w, scope));
    let rightAddrs = s.rightAddrs.map(w => r.cidr(w, scope));
    if (leftAddrs.length === 0 && rightAddrs.length === 1) {
      const w = s.rightAddrs[0]!;
      const pair = r.checked(w, V.cidrText(rightAddrs[0]!), () => V.shorthandPair(rightAddrs[0]!));
      leftAddrs = [pair[0]];
      rightAddrs = [pair[1]];
    }
    const mtu = s.mtu && r.value(s.mtu, scope, t => V.checkInt(t, 'mtu', 68, 65535));
    await this.apply(s, { kind: 'veth', span: s.span, left, right, leftAddrs, rightAddrs, ...(mtu === undefined ? {} : { mtu }) });
  }

  private async route(s: A.RouteStmt, scope: Scope): Promise<void> {
    const r = this.roles;
    const ns = r.nsName(s.ns, scope);
    const dest = r.value(s.dest, scope, V.checkDestination);
    const via = s.via && r.value(s.via, scope, V.checkIp);
    const dev = s.dev && r.value(s.dev, scope, V.checkIfName);
    if (!s.del && !via && !dev) {
      fail('route needs a gateway (via IP) or an interface (dev IF)', s.span, `usage: ${usage.routeStmt}`);
    }
    const family = dest === 'default' ? (via?.family ?? 4) : dest.family;
    if (via && via.family !== family) {
      fail(`gateway ${via.address} is IPv${via.family} but the destination is IPv${family}`, s.via!.span);
    }
    await this.apply(s, {
      kind: 'route',
      span: s.span,
      ns,
      del: s.del,
      dest,
      family,
      ...(via ? { via: via.address, viaSpan: s.via!.span } : {}),
      ...(dev ? { dev } : {}),
    });
  }

  private async inStmt(s: A.InStmt, scope: Scope): Promise<void> {
    const r = this.roles;
    const ref = r.nsRef(s.ref, scope);
    if (s.argv.length === 0) {
      fail('in needs a command to run', s.span, `usage: ${usage.inStmt} (a bare "in NS" switches namespace only in the REPL)`);
    }
    const argv = s.argv.map(w => r.expand(w, scope));
    const stdin = s.stdin && r.expand(s.stdin, scope);
    const io = { ...(stdin === undefined ? {} : { stdin }), background: s.background };
    const builtin = !s.argv[0]!.quoted ? argv[0] : undefined;
    const data = s.argv.map(w => r.isData(w, scope));
    let job: ResultOf<'exec' | 'ping' | 'nc'>;
    if (builtin === 'ping') {
      if (s.stdin) fail('the built-in ping reads no standard input', s.stdin.span);
      job = await this.apply(s, { kind: 'ping', span: s.span, ref, ...pingArgs(r, argv, s.argv, data), background: s.background });
    } else if (builtin === 'nc') {
      job = await this.apply(s, { kind: 'nc', span: s.span, ref, ...ncArgs(r, argv, s.argv, data), ...io });
    } else job = await this.apply(s, { kind: 'exec', span: s.span, ref, argv, ...io });
    this.setJob(job, scope);
  }

  private showQuery(s: A.ShowStmt, scope: Scope): { what: 'tree' | 'links' | 'addrs' | 'routes'; json: boolean; lab: string[]; ns?: string } {
    const r = this.roles;
    let json = false;
    const rest: A.Word[] = [];
    // (a word that is data, a value of the embedding program, is a namespace name, never an option or a table)
    for (const w of s.args) {
      if (!r.isData(w, scope) && r.expand(w, scope) === '--json') json = true;
      else rest.push(w);
    }
    const lab = [...this.lab];
    const hint = `usage: ${usage.showStmt}`;
    if (rest.length === 0) return { what: 'tree', json, lab };
    const first = r.isData(rest[0]!, scope) ? undefined : r.expand(rest[0]!, scope);
    if (first === 'links' || first === 'addrs' || first === 'routes') {
      if (rest.length > 2) fail('show takes at most a table and a namespace', rest[2]!.span, hint);
      const ns = rest[1] && r.nsName(rest[1], scope);
      return { what: first, json, lab, ...(ns ? { ns } : {}) };
    }
    if (rest.length > 1) fail('show takes at most a table and a namespace', rest[1]!.span, hint);
    return { what: 'tree', json, lab, ns: r.nsName(rest[0]!, scope) };
  }

  private async spawn(s: A.SpawnStmt, scope: Scope): Promise<void> {
    const r = this.roles;
    const given = s.flags.map(f => f.name);
    s.flags.forEach((f, i) => {
      if (given.indexOf(f.name) !== i) fail(`namespace type ${show(f.name)} is listed twice`, f.span);
    });
    const flags: SpawnFlag[] = given.length > 0 ? given : ['uts', 'ipc', 'pid', 'mnt', 'net'];
    const hostname = s.hostname && r.value(s.hostname, scope, V.checkHostname);
    if (hostname !== undefined && !flags.includes('uts')) {
      fail('spawn … hostname needs a new UTS namespace', s.hostname!.span, 'add "uts" to the namespace types');
    }
    const as = s.as && r.nsName(s.as, scope, false);
    if (as !== undefined && !flags.includes('net')) {
      fail('spawn … as NAME names a new network namespace', s.as!.span, 'add "net" to the namespace types');
    }
    const argv = s.argv.map(w => r.expand(w, scope));
    const stdin = s.stdin && r.expand(s.stdin, scope);
    const job = await this.apply(s, {
      kind: 'spawn',
      span: s.span,
      flags,
      argv,
      background: s.background,
      ...(hostname === undefined ? {} : { hostname }),
      ...(as === undefined ? {} : { as }),
      ...(stdin === undefined ? {} : { stdin }),
    });
    this.setJob(job, scope);
    if (as !== undefined) this.labAdd(as);
  }

  private async forStmt(s: A.ForStmt, scope: Scope): Promise<void> {
    const r = this.roles;
    const name = r.value(s.variable, scope, V.checkVarName);
    let values: Iterable<string>;
    let count = 0;
    if (s.items.kind === 'range') {
      const from = r.value(s.items.from, scope, t => V.checkInteger(t, 'range start'));
      const to = r.value(s.items.to, scope, t => V.checkInteger(t, 'range end'));
      count = Math.abs(to - from) + 1;
      if (count > MAX_RANGE) {
        fail(`range ${from}..${to} has ${count} values; nsh allows at most ${MAX_RANGE}`, s.items.span);
      }
      const step = to >= from ? 1 : -1;
      values = (function* () {
        for (let i = from; step > 0 ? i <= to : i >= to; i += step) yield String(i);
      })();
    } else {
      values = s.items.words.map(w => r.expand(w, scope));
      count = s.items.words.length;
    }
    const dryRun = this.opts.mode === 'check' ? this.dryRunLoops : undefined;
    dryRun?.enter(s, count, f => loopSize(f, w => r.expand(w, scope)));
    try {
      for (const v of values) {
        if (dryRun && !dryRun.pass(s)) break;
        scope.set(name, v);
        await this.block(s.body, scope);
      }
    } finally {
      dryRun?.exit();
    }
  }

  private readonly dryRunLoops = new DryRunLoops();

  private async call(s: A.CallStmt, scope: Scope): Promise<void> {
    const name = this.roles.expand(s.name, scope);
    const found = scope.lookup(name);
    if (!found) {
      const hint = s.name.quoted ? undefined : 'statements are: ' + Object.keys(usage).filter(k => k.endsWith('Stmt') && k !== 'callStmt').map(k => k.slice(0, -4)).join(', ');
      fail(`unknown statement ${show(name)}`, s.name.span, hint, 'unknown-statement');
    }
    const { def, scope: defScope } = found;
    if (s.args.length !== def.params.length) {
      const params = def.params.map(p => p.raw).join(' ');
      fail(
        `${name} takes ${def.params.length} argument${def.params.length === 1 ? '' : 's'}${params ? ` (${params})` : ''}, got ${s.args.length}`,
        s.span,
        `defined at ${def.span.source.name}:${def.span.line}`,
        'arity',
      );
    }
    // after runaway recursion is reported, the check skips calls until it is back at the top:
    // otherwise a call in a loop (`def f { for i in 1..2 { f } }`) would take 2^100 steps
    if (this.callsAborted) return;
    if (this.depth >= MAX_CALL_DEPTH) {
      this.callsAborted = true;
      // a chain of defs reaches the limit again from each def's own check: it is said once
      if (this.tooDeepSaid) return;
      this.tooDeepSaid = this.opts.mode === 'check';
      fail(`calls nest more than ${MAX_CALL_DEPTH} deep${this.calling.includes(def) ? ` (${name} calls itself)` : ''}`, s.span);
    }
    const inner = new Scope(defScope);
    def.params.forEach((p, i) => inner.set(p.literal ?? p.raw, this.roles.expand(s.args[i]!, scope)));
    this.depth++;
    this.calling.push(def);
    try {
      await this.block(def.body, inner);
    } finally {
      this.calling.pop();
      if (--this.depth === 0) this.callsAborted = false;
    }
  }

  /** The defs being called, outermost first. */
  private readonly calling: A.DefStmt[] = [];
  /** In check mode: calls nesting too deep were reported. */
  private tooDeepSaid = false;

  /**
   * Checks a def body where it is defined, its parameters unknown: each statement whose words need
   * no parameter is checked even if the def is never called. Effects on the lab are undone.
   */
  private async precheck(def: A.DefStmt, params: readonly string[], scope: Scope): Promise<void> {
    const inner = new Scope(scope);
    for (const p of params) inner.set(p, UNKNOWN);
    const outer = this.prechecking;
    this.prechecking = true;
    this.depth++;
    try {
      await this.block(def.body, inner);
    } finally {
      if (--this.depth === 0) this.callsAborted = false;
      this.prechecking = outer;
    }
  }

  private async not(s: A.NotStmt, scope: Scope): Promise<void> {
    this.begin(s);
    this.negated++;
    let failed: boolean;
    try {
      failed = await this.backend.expectFailure(async () => {
        try {
          await this.statement(s.statement, scope);
        } catch (e) {
          if (e instanceof StatementFailed) throw new OpError(e.message);
          throw e;
        }
      });
    } finally {
      this.negated--;
    }
    if (!failed) throw new OpError('the statement succeeded, but "!" expects it to fail');
  }
}

export type { Span };
