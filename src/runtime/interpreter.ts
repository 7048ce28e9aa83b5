/**
 * The interpreter: expands words, checks them in their roles, and hands typed operations to a
 * Backend. In `check` mode it goes on after an error so that one pass reports them all.
 */
import * as A from '../syntax/ast.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';
import { subSpan, type Span } from '../syntax/source.js';
import { statementKeywordNames } from '../syntax/keywords.js';
import { usage } from '../syntax/usage.js';
import * as V from '../syntax/values.js';
import { show } from '../syntax/values.js';
import {
  OpError, pidFromText, pidText,
  type Backend, type Cidr, type Endpoint, type Job, type JobTarget, type NsRef, type Pid, type ShowQuery, type SpawnFlag,
} from '../backend/backend.js';
import { Scope } from './environment.js';
import { DiagnosticError } from './errors.js';
import { expandWord, UNKNOWN, UnknownValue } from './expand.js';
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
  /** Inside `! …` the statement's own header is not announced again. */
  private quiet = false;
  private readonly backend: Backend;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private depth = 0;
  /** Set when calls nest too deep; cleared when the outermost call returns. */
  private callsAborted = false;

  constructor(private readonly opts: InterpreterOptions) {
    this.backend = opts.backend;
    this.env = opts.env ?? process.env;
    this.lab = new Set(opts.lab ?? []);
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

  /** Has the backend send what it kept back; a failure is its statement's (OpError.origin). */
  private async flush(statements: readonly A.Statement[]): Promise<void> {
    try {
      await this.backend.flush?.();
    } catch (e) {
      if (!(e instanceof OpError)) throw e;
      const at = (e.origin as Span | undefined) ?? statements[statements.length - 1]?.span;
      if (!at) throw e;
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
      let err = e;
      // (a failure that a backend found late, sending an earlier statement's requests, is that statement's)
      if (e instanceof OpError) err = new StatementFailed(error(e.message, (e.origin as Span | undefined) ?? s.span, e.hint));
      if (this.opts.mode === 'check' && err instanceof DiagnosticError && !(err instanceof StatementFailed)) {
        this.diagnostics.push(err.diagnostic);
        return;
      }
      throw err;
    }
  }

  // ---- words in their roles ---------------------------------------------------------------------

  private expand(w: A.Word, scope: Scope): string {
    return expandWord(w, { scope, env: this.env });
  }

  /** Expands `w` and checks it; a problem becomes a diagnostic under the word (or the part at fault). */
  private value<T>(w: A.Word, scope: Scope, check: (text: string) => T | V.Problem): T {
    return this.checked(w, this.expand(w, scope), check);
  }

  /** Checks the expanded text of `w`. */
  private checked<T>(w: A.Word, text: string, check: (text: string) => T | V.Problem): T {
    const r = check(text);
    if (!V.isProblem(r)) return r;
    let span = w.span;
    if (r.from !== undefined && w.literal !== undefined && !w.quoted && w.raw === text) {
      span = subSpan(w.span, r.from, r.to ?? r.from + 1);
    }
    throw new DiagnosticError(error(r.problem, span, r.hint));
  }

  private fail(message: string, span: Span, hint?: string, code?: string): never {
    throw new DiagnosticError(error(message, span, hint, code));
  }

  private nsName(w: A.Word, scope: Scope, allowHost = true): string {
    return this.value(w, scope, t => V.checkNsName(t, { allowHost }));
  }

  private endpoint(w: A.Word, scope: Scope): Endpoint {
    return this.value(w, scope, t => V.checkEndpoint(t, { allowStar: false }));
  }

  /** An endpoint where `*.IF` stands for that interface in every namespace of the lab. */
  private endpoints(w: A.Word, scope: Scope): Endpoint[] {
    const ep = this.value(w, scope, t => V.checkEndpoint(t, { allowStar: true }));
    if (ep.ns !== '*') return [ep];
    if (this.lab.size === 0) this.fail(`${show(w.raw)} matches nothing: the lab has no namespaces yet`, w.span);
    return [...this.lab].map(ns => ({ ns, ifname: ep.ifname }));
  }

  private cidr(w: A.Word, scope: Scope): Cidr {
    return this.value(w, scope, t => V.checkCidr(t));
  }

  private pid(w: A.Word, scope: Scope): Pid {
    return this.value(w, scope, t => (/^\d+$/.test(t) ? V.checkPid(t) : pidFromText(t) ?? V.checkPid(t)));
  }

  private nsRef(r: A.NsRefNode, scope: Scope): NsRef {
    switch (r.kind) {
      case 'name':
        return { kind: 'name', name: this.nsName(r.name, scope) };
      case 'pid':
        return { kind: 'pid', pid: this.pid(r.pid, scope) };
      case 'path': {
        return { kind: 'path', path: this.value(r.path, scope, nonEmptyPath) };
      }
    }
  }

  private jobTarget(w: A.Word, scope: Scope): JobTarget {
    return this.value(w, scope, (t): JobTarget | V.Problem => {
      if (/^%\d+$/.test(t)) return { kind: 'job', id: Number(t.slice(1)) };
      if (/^\d+$/.test(t)) {
        const n = V.checkPid(t);
        return V.isProblem(n) ? n : { kind: 'pid', pid: n };
      }
      const p = pidFromText(t);
      return p !== undefined ? { kind: 'pid', pid: p } : { problem: `${show(t)} is not a job (%N) or a process id` };
    });
  }

  private noArgs(args: readonly A.Word[], what: string): void {
    const first = args[0];
    if (first) this.fail(`${what} takes no arguments`, first.span, `usage: ${usage[`${what}Stmt`]}`);
  }

  private setJob(job: Job | undefined, scope: Scope): void {
    if (job) scope.set('!', pidText(job.pid));
  }

  private begin(s: A.Statement): void {
    if (!this.backend.begin || this.quiet) return;
    const span = s.span;
    this.backend.begin({
      file: span.source.name,
      line: span.line,
      kind: s.kind,
      origin: span,
      // only the explain backend reads it
      get text() {
        return span.source.text.slice(span.start, span.end).replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ');
      },
    });
  }

  // ---- statements -------------------------------------------------------------------------------

  private async dispatch(s: A.Statement, scope: Scope): Promise<void> {
    switch (s.kind) {
      case 'ns': {
        const names = s.names.map(w => this.nsName(w, scope, false));
        const hostname = s.hostname && this.value(s.hostname, scope, V.checkHostname);
        this.unique(names, s.names, 'namespace');
        names.forEach((name, i) => {
          if (this.lab.has(name)) this.fail(`namespace ${show(name)} already exists in this lab`, s.names[i]!.span, `delete it first with del ${name}`);
        });
        this.begin(s);
        for (const name of names) {
          await this.backend.nsAdd(name, hostname === undefined ? {} : { hostname });
          this.labAdd(name);
        }
        return;
      }
      case 'del': {
        const targets = s.targets.map(w => {
          const text = this.expand(w, scope);
          if (text === 'host') this.fail('the host namespace cannot be deleted', w.span);
          return text.includes('.') ? { ep: this.endpoint(w, scope) } : { ns: this.nsName(w, scope, false) };
        });
        this.begin(s);
        for (const t of targets) {
          if (t.ep) await this.backend.linkDel(t.ep);
          else {
            await this.backend.nsDel(t.ns!);
            this.labDelete(t.ns!);
          }
        }
        return;
      }
      case 'veth':
        return this.veth(s, scope);
      case 'bridge': {
        const br = this.endpoint(s.bridge, scope);
        const ports = s.ports.map(w =>
          this.value(w, scope, t => {
            const dot = t.indexOf('.');
            const ns = t.slice(0, dot);
            if (dot > 0 && ns !== br.ns && this.lab.has(ns)) {
              return { problem: `${t} is in namespace ${show(ns)} but the bridge is in ${show(br.ns)}`, hint: `a bridge takes ports of its own namespace; move the link first: move ${t} -> ${br.ns}` };
            }
            return V.checkIfName(t.startsWith(`${br.ns}.`) ? t.slice(br.ns.length + 1) : t);
          }),
        );
        this.begin(s);
        await this.backend.bridge(br, ports);
        return;
      }
      case 'attach': {
        const ports = s.ports.map(w => this.endpoint(w, scope));
        const br = this.endpoint(s.bridge, scope);
        ports.forEach((p, i) => {
          if (p.ns === br.ns && p.ifname === br.ifname) this.fail('a bridge cannot be a port of itself', s.ports[i]!.span);
          if (p.ns !== br.ns) {
            this.fail(
              `${p.ns}.${p.ifname} is in namespace ${show(p.ns)} but the bridge ${br.ns}.${br.ifname} is in ${show(br.ns)}`,
              s.ports[i]!.span,
              `a bridge takes ports of its own namespace; move the link first: move ${p.ns}.${p.ifname} -> ${br.ns}`,
            );
          }
        });
        this.begin(s);
        await this.backend.attach(ports, br);
        return;
      }
      case 'addr': {
        const ep = this.endpoint(s.endpoint, scope);
        const addrs = s.addrs.map(w => this.cidr(w, scope));
        this.begin(s);
        await this.backend.addr(ep, addrs, s.del);
        return;
      }
      case 'link-state': {
        const eps = s.endpoints.flatMap(w => this.endpoints(w, scope));
        this.begin(s);
        await this.backend.linkState(eps, s.up);
        return;
      }
      case 'move': {
        const ep = this.endpoint(s.endpoint, scope);
        const to = this.nsRef(s.to, scope);
        const newName = s.newName && this.value(s.newName, scope, V.checkIfName);
        if (to.kind === 'name' && to.name === ep.ns) this.fail(`${ep.ns}.${ep.ifname} is already in ${show(ep.ns)}`, s.to.span);
        this.begin(s);
        await this.backend.move(ep, to, newName);
        return;
      }
      case 'route':
        return this.route(s, scope);
      case 'forward': {
        const names = s.namespaces.map(w => this.nsName(w, scope));
        this.begin(s);
        for (const ns of names) await this.backend.forward(ns);
        return;
      }
      case 'sysctl': {
        const ns = this.nsName(s.ns, scope);
        const settings = s.settings.map(w => this.value(w, scope, V.checkSysctl));
        this.begin(s);
        for (const { key, value } of settings) await this.backend.sysctl(ns, key, value);
        return;
      }
      case 'in':
        return this.inStmt(s, scope);
      case 'pingall':
        this.noArgs(s.args, 'pingall');
        this.begin(s);
        await this.backend.pingall([...this.lab]);
        return;
      case 'show': {
        const q = this.showQuery(s, scope);
        this.begin(s);
        await this.backend.show(q);
        return;
      }
      case 'info': {
        const ref = this.nsRef(s.ref, scope);
        this.begin(s);
        await this.backend.info(ref);
        return;
      }
      case 'same': {
        const a = this.nsRef(s.a, scope);
        const b = this.nsRef(s.b, scope);
        const type = s.type && this.value(s.type, scope, V.checkNsType);
        this.begin(s);
        await this.backend.same(a, b, type);
        return;
      }
      case 'pin': {
        const ref = this.nsRef(s.ref, scope);
        const t = s.target;
        const target = t.kind === 'as'
          ? { kind: 'name' as const, name: this.nsName(t.name, scope, false) }
          : { kind: 'path' as const, path: this.value(t.path, scope, nonEmptyPath) };
        this.begin(s);
        await this.backend.pin(ref, target);
        if (target.kind === 'name') this.labAdd(target.name);
        return;
      }
      case 'spawn':
        return this.spawn(s, scope);
      case 'for':
        return this.forStmt(s, scope);
      case 'def': {
        const name = this.value(s.name, scope, V.checkVarName);
        if (statementKeywordNames.includes(name)) this.fail(`${show(name)} is the name of a statement and cannot name a def`, s.name.span);
        const params = s.params.map(w => this.value(w, scope, V.checkVarName));
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
        const name = this.value(s.name, scope, V.checkVarName);
        scope.set(name, this.expand(s.value, scope));
        return;
      }
      case 'include':
        if (s.body) await this.block(s.body, scope);
        return;
      case 'echo': {
        const text = s.words.map(w => this.expand(w, scope)).join(' ');
        this.begin(s);
        await this.backend.print(text);
        return;
      }
      case 'sleep': {
        if (s.args.length !== 1) {
          this.fail(`sleep takes one number of seconds, got ${s.args.length}`, s.args[1]?.span ?? s.span, `usage: ${usage.sleepStmt}`);
        }
        const sec = this.value(s.args[0]!, scope, t => V.checkTime(t, 'sleep time', { min: 0, max: 86400 }));
        this.begin(s);
        await this.backend.sleep(sec);
        return;
      }
      case 'jobs':
        this.noArgs(s.args, 'jobs');
        this.begin(s);
        await this.backend.jobs();
        return;
      case 'wait': {
        const targets = s.targets.map(w => this.jobTarget(w, scope));
        this.begin(s);
        await this.backend.wait(targets);
        return;
      }
      case 'kill': {
        const targets = s.targets.map(w => this.jobTarget(w, scope));
        this.begin(s);
        await this.backend.kill(targets);
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
    if (s.kind === 'await') this.nsRef(s.ref, scope);
    checkStatementValues(s, (w, check) => this.value(w, scope, check));
    if (this.opts.mode === 'run') this.fail(`${s.kind} is not available yet`, s.span);
  }

  private labAdd(ns: string): void {
    if (!this.prechecking) this.lab.add(ns);
  }

  private labDelete(ns: string): void {
    if (!this.prechecking) this.lab.delete(ns);
  }

  private unique(values: readonly string[], words: readonly A.Word[], what: string): void {
    values.forEach((v, i) => {
      if (values.indexOf(v) !== i) this.fail(`${what} ${show(v)} is named twice`, words[i]!.span);
    });
  }

  private async veth(s: A.VethStmt, scope: Scope): Promise<void> {
    const left = this.endpoint(s.left, scope);
    const right = this.endpoint(s.right, scope);
    if (left.ns === right.ns && left.ifname === right.ifname) {
      this.fail(`both ends of the veth pair are ${left.ns}.${left.ifname}`, s.right.span, 'name the two ends differently');
    }
    let leftAddrs = s.leftAddrs.map(w => this.cidr(w, scope));
    let rightAddrs = s.rightAddrs.map(w => this.cidr(w, scope));
    if (leftAddrs.length === 0 && rightAddrs.length === 1) {
      const w = s.rightAddrs[0]!;
      const pair = this.checked(w, V.cidrText(rightAddrs[0]!), () => V.shorthandPair(rightAddrs[0]!));
      leftAddrs = [pair[0]];
      rightAddrs = [pair[1]];
    }
    const mtu = s.mtu && this.value(s.mtu, scope, t => V.checkInt(t, 'mtu', 68, 65535));
    this.begin(s);
    await this.backend.veth({ left, right, leftAddrs, rightAddrs, ...(mtu === undefined ? {} : { mtu }) });
  }

  private async route(s: A.RouteStmt, scope: Scope): Promise<void> {
    const ns = this.nsName(s.ns, scope);
    const dest = this.value(s.dest, scope, V.checkDestination);
    const via = s.via && this.value(s.via, scope, V.checkIp);
    const dev = s.dev && this.value(s.dev, scope, V.checkIfName);
    if (!s.del && !via && !dev) {
      this.fail('route needs a gateway (via IP) or an interface (dev IF)', s.span, `usage: ${usage.routeStmt}`);
    }
    const family = dest === 'default' ? (via?.family ?? 4) : dest.family;
    if (via && via.family !== family) {
      this.fail(`gateway ${via.address} is IPv${via.family} but the destination is IPv${family}`, s.via!.span);
    }
    this.begin(s);
    await this.backend.route(ns, {
      del: s.del,
      dest,
      family,
      ...(via ? { via: via.address } : {}),
      ...(dev ? { dev } : {}),
    });
  }

  private async inStmt(s: A.InStmt, scope: Scope): Promise<void> {
    const ref = this.nsRef(s.ref, scope);
    if (s.argv.length === 0) {
      this.fail('in needs a command to run', s.span, `usage: ${usage.inStmt} (a bare "in NS" switches namespace only in the REPL)`);
    }
    const argv = s.argv.map(w => this.expand(w, scope));
    const stdin = s.stdin && this.expand(s.stdin, scope);
    const io = { ...(stdin === undefined ? {} : { stdin }), background: s.background };
    if (argv[0] === 'ping' && !s.argv[0]!.quoted) {
      if (s.stdin) this.fail('the built-in ping reads no standard input', s.stdin.span);
      const p = this.pingArgs(argv.slice(1), s.argv.slice(1), s);
      this.begin(s);
      this.setJob(await this.backend.ping({ ref, ...p, background: s.background }), scope);
      return;
    }
    if (argv[0] === 'nc' && !s.argv[0]!.quoted) {
      const n = this.ncArgs(argv.slice(1), s.argv.slice(1), s);
      this.begin(s);
      this.setJob(await this.backend.nc({ ref, ...n, ...io }), scope);
      return;
    }
    this.begin(s);
    this.setJob(await this.backend.exec({ ref, argv, ...io }), scope);
  }

  /** The built-in ping: `ping ADDR [-c N] [-i SEC] [-W SEC]`. */
  private pingArgs(args: string[], words: readonly A.Word[], s: A.InStmt) {
    let count = 3;
    let interval = 0.2;
    let timeout = 1;
    let target: { family: 4 | 6; address: string } | undefined;
    const hint = 'the built-in ping takes ADDR [-c N] [-i SEC] [-W SEC]; run another ping by its path, e.g. /usr/bin/ping';
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const w = words[i]!;
      const next = (): [string, A.Word] => {
        const v = args[i + 1];
        if (v === undefined) this.fail(`ping option ${a} needs a value`, w.span, hint);
        i++;
        return [v, words[i]!];
      };
      const check = <T>(pair: [string, A.Word], f: (t: string) => T | V.Problem): T => this.checked(pair[1], pair[0], f);
      if (a === '-c') count = check(next(), t => V.checkInt(t, 'ping count', 1, 1_000_000));
      else if (a === '-i') interval = check(next(), t => V.checkSeconds(t, 'ping interval', { min: 0.001, max: 3600 }));
      else if (a === '-W') timeout = check(next(), t => V.checkSeconds(t, 'ping timeout', { min: 0.001, max: 3600 }));
      else if (a.startsWith('-')) this.fail(`the built-in ping has no option ${a}`, w.span, hint);
      else if (target) this.fail(`ping takes one address, found another: ${show(a)}`, w.span, hint);
      else target = this.checked(w, a, V.checkIp);
    }
    if (!target) this.fail('ping needs an address', s.argv[0]!.span, hint);
    return { address: target.address, family: target.family, count, interval, timeout };
  }

  /** The built-in netcat: `nc -l [-u] PORT` or `nc [-u] ADDR PORT`. */
  private ncArgs(args: string[], words: readonly A.Word[], s: A.InStmt) {
    let listen = false;
    let udp = false;
    const rest: [string, A.Word][] = [];
    const hint = 'the built-in nc takes -l [-u] PORT, or [-u] ADDR PORT';
    args.forEach((a, i) => {
      if (a === '-l') listen = true;
      else if (a === '-u') udp = true;
      else if (a === '-lu' || a === '-ul') listen = udp = true;
      else if (a.startsWith('-') && !/^-\d/.test(a)) this.fail(`the built-in nc has no option ${a}`, words[i]!.span, hint);
      else rest.push([a, words[i]!]);
    });
    const port = (pair: [string, A.Word] | undefined) => {
      if (!pair) this.fail('nc needs a port', s.argv[s.argv.length - 1]!.span, hint);
      return this.checked(pair[1], pair[0], t => V.checkInt(t, 'port', 1, 65535));
    };
    if (listen) {
      if (rest.length > 1) this.fail('nc -l takes only a port', rest[0]![1].span, hint);
      return { listen, udp, port: port(rest[0]) };
    }
    if (rest.length !== 2) {
      const msg = `nc needs an address and a port, got ${rest.length} argument${rest.length === 1 ? '' : 's'}`;
      this.fail(msg, (rest[2]?.[1] ?? s.argv[s.argv.length - 1]!).span, hint);
    }
    const addr = this.checked(rest[0]![1], rest[0]![0], V.checkIp);
    return { listen, udp, address: addr.address, port: port(rest[1]) };
  }

  private showQuery(s: A.ShowStmt, scope: Scope): ShowQuery {
    let json = false;
    const rest: A.Word[] = [];
    for (const w of s.args) {
      if (this.expand(w, scope) === '--json') json = true;
      else rest.push(w);
    }
    const lab = [...this.lab];
    const hint = `usage: ${usage.showStmt}`;
    if (rest.length === 0) return { what: 'tree', json, lab };
    const first = this.expand(rest[0]!, scope);
    if (first === 'links' || first === 'addrs' || first === 'routes') {
      if (rest.length > 2) this.fail('show takes at most a table and a namespace', rest[2]!.span, hint);
      const ns = rest[1] && this.nsName(rest[1], scope);
      return { what: first, json, lab, ...(ns ? { ns } : {}) };
    }
    if (rest.length > 1) this.fail('show takes at most a table and a namespace', rest[1]!.span, hint);
    return { what: 'tree', json, lab, ns: this.nsName(rest[0]!, scope) };
  }

  private async spawn(s: A.SpawnStmt, scope: Scope): Promise<void> {
    const given = s.flags.map(f => f.name);
    s.flags.forEach((f, i) => {
      if (given.indexOf(f.name) !== i) this.fail(`namespace type ${show(f.name)} is listed twice`, f.span);
    });
    const flags: SpawnFlag[] = given.length > 0 ? given : ['uts', 'ipc', 'pid', 'mnt', 'net'];
    const hostname = s.hostname && this.value(s.hostname, scope, V.checkHostname);
    if (hostname !== undefined && !flags.includes('uts')) {
      this.fail('spawn … hostname needs a new UTS namespace', s.hostname!.span, 'add "uts" to the namespace types');
    }
    const as = s.as && this.nsName(s.as, scope, false);
    if (as !== undefined && !flags.includes('net')) {
      this.fail('spawn … as NAME names a new network namespace', s.as!.span, 'add "net" to the namespace types');
    }
    const argv = s.argv.map(w => this.expand(w, scope));
    const stdin = s.stdin && this.expand(s.stdin, scope);
    this.begin(s);
    const job = await this.backend.spawn({
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
    const name = this.value(s.variable, scope, V.checkVarName);
    let values: Iterable<string>;
    let count = 0;
    if (s.items.kind === 'range') {
      const from = this.value(s.items.from, scope, t => V.checkInteger(t, 'range start'));
      const to = this.value(s.items.to, scope, t => V.checkInteger(t, 'range end'));
      count = Math.abs(to - from) + 1;
      if (count > MAX_RANGE) {
        this.fail(`range ${from}..${to} has ${count} values; nsh allows at most ${MAX_RANGE}`, s.items.span);
      }
      const step = to >= from ? 1 : -1;
      values = (function* () {
        for (let i = from; step > 0 ? i <= to : i >= to; i += step) yield String(i);
      })();
    } else {
      values = s.items.words.map(w => this.expand(w, scope));
      count = s.items.words.length;
    }
    const dryRun = this.opts.mode === 'check' ? this.dryRunLoops : undefined;
    dryRun?.enter(s, count, f => loopSize(f, w => this.expand(w, scope)));
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
    const name = this.expand(s.name, scope);
    const found = scope.lookup(name);
    if (!found) {
      const hint = s.name.quoted ? undefined : 'statements are: ' + Object.keys(usage).filter(k => k.endsWith('Stmt') && k !== 'callStmt').map(k => k.slice(0, -4)).join(', ');
      this.fail(`unknown statement ${show(name)}`, s.name.span, hint, 'unknown-statement');
    }
    const { def, scope: defScope } = found;
    if (s.args.length !== def.params.length) {
      const params = def.params.map(p => p.raw).join(' ');
      this.fail(
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
      this.fail(`calls nest more than ${MAX_CALL_DEPTH} deep${this.calling.includes(def) ? ` (${name} calls itself)` : ''}`, s.span);
    }
    const inner = new Scope(defScope);
    def.params.forEach((p, i) => inner.set(p.literal ?? p.raw, this.expand(s.args[i]!, scope)));
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
    const outer = this.quiet;
    this.quiet = true;
    const failed = await this.backend.expectFailure(async () => {
      try {
        await this.statement(s.statement, scope);
      } catch (e) {
        if (e instanceof StatementFailed) throw new OpError(e.message);
        throw e;
      } finally {
        this.quiet = outer;
      }
    });
    if (!failed) throw new OpError('the statement succeeded, but "!" expects it to fail');
  }
}

function nonEmptyPath(p: string): string | V.Problem {
  return p === '' ? { problem: 'the path is empty' } : p;
}
