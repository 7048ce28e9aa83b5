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
import { OpError, type Backend, type Op, type OpKind, type OpOf, type ResultOf } from '../backend/backend.js';
import type { Text } from '../core/text.js';
import { isJob } from '../backend/ops.js';
import { lower, type LowerContext, type Lowered } from './lower/lower.js';
import { Scope, UNKNOWN } from './environment.js';
import { DiagnosticError } from './errors.js';
import { UnknownValue } from './expand.js';
import { fail, Roles } from './roles.js';
import { DryRunLoops, loopSize } from './dry-run-limit.js';
import type { LoweredOps } from './lowered.js';
import { nearest } from '../core/nearest.js';

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
  /** Told of each statement as it runs and of each operation carried out (a language server follows the dry run so). */
  readonly observer?: RunObserver;
}

/** What a run lets an observer see: it changes nothing. */
export interface RunObserver {
  /** Before a statement runs; `prechecking`: a def body checked where it is defined (parameters unknown, nothing sent). */
  enter?(s: A.Statement, scope: Scope, prechecking: boolean): void;
  /** After it ran, or failed. */
  leave?(s: A.Statement): void;
  /** An operation the backend carried out. */
  done?(op: Op): void;
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

  /** What a check lowered, kept for a run (check mode: kept; run mode: taken). */
  private lowered: LoweredOps | undefined;

  /**
   * Runs statements; stops at the first error in run mode. `lowered`: a check of these statements
   * keeps what it lowered there, and the run of them that follows, in a new lab, takes it.
   */
  async run(statements: readonly A.Statement[], scope: Scope = this.global, lowered?: LoweredOps): Promise<Outcome> {
    this.lowered = lowered;
    try {
      await this.block(statements, scope);
      await this.flush(statements);
      if (this.diagnostics.length > 0) return { ok: false, diagnostic: this.diagnostics[0]!, failed: false };
      return { ok: true };
    } catch (e) {
      if (e instanceof StatementFailed) return { ok: false, diagnostic: e.diagnostic, failed: true, interrupted: e.reason === 'interrupted' };
      if (e instanceof DiagnosticError) return { ok: false, diagnostic: e.diagnostic, failed: false };
      throw e;
    } finally {
      this.lowered = undefined;
    }
  }

  /** Has the backend send what it kept back; a failure is its statement's (OpError.at). */
  private async flush(statements: readonly A.Statement[]): Promise<void> {
    try {
      await this.backend.flush?.();
    } catch (e) {
      const at = e instanceof OpError ? e.at ?? statements[statements.length - 1]?.span : undefined;
      if (!(e instanceof OpError) || !at) throw e;
      throw new StatementFailed(error(e.message, at, e.hint, e.reason));
    }
  }

  private async block(statements: readonly A.Statement[], scope: Scope): Promise<void> {
    // (indexed: a for…of allocates at each step in code V8 has not optimised, as a lab's is at first)
    for (let i = 0; i < statements.length; i++) await this.statement(statements[i]!, scope);
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
    const observer = this.opts.observer;
    observer?.enter?.(s, scope, this.prechecking);
    try {
      await this.dispatch(s, scope);
    } catch (e) {
      // (a statement that failed its check: nothing after it is kept for a run)
      this.lowered?.close();
      if (e instanceof UnknownValue) return;
      if (this.opts.mode === 'check' && this.negated === 0 && e instanceof OpError) {
        // the dry run knows the statement will fail: a problem of the script, like any other
        this.diagnostics.push(error(e.message, e.at ?? s.span, e.hint));
        return;
      }
      // (a failure that a backend found late, sending an earlier statement's requests, is that statement's)
      const err = e instanceof OpError ? new StatementFailed(error(e.message, e.at ?? s.span, e.hint, e.reason)) : e;
      if (this.opts.mode === 'check' && err instanceof DiagnosticError && !(err instanceof StatementFailed)) {
        this.diagnostics.push(err.diagnostic);
        return;
      }
      throw err;
    } finally {
      observer?.leave?.(s);
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

  // ---- statements -------------------------------------------------------------------------------

  /** (not async itself: each statement and operation of a large lab passes here, mostly in code not yet optimised) */
  private dispatch(s: A.Statement, scope: Scope): Promise<void> | undefined {
    const r = this.roles;
    if (this.lowered?.keeping && this.opts.mode === 'check' && !isLowered(s)) this.lowered.close();
    switch (s.kind) {
      case 'for':
        return this.forStmt(s, scope);
      case 'def': {
        const name = r.value(s.name, scope, V.checkVarName);
        if (statementKeywordNames.includes(name)) fail(`${show(name)} is the name of a statement and cannot name a def`, s.name.span);
        const params = s.params.map(w => r.value(w, scope, V.checkVarName));
        params.forEach((v, i) => {
          if (params.indexOf(v) !== i) fail(`parameter ${show(v)} is named twice`, s.params[i]!.span);
        });
        scope.define(s, name);
        return this.opts.mode === 'check' ? this.precheck(s, params, scope) : undefined;
      }
      case 'call':
        return this.call(s, scope);
      case 'let': {
        // a let of the wrong shape was reported by the parser
        if (s.value.parts.length === 0 && s.value.raw === '') return;
        const name = r.value(s.name, scope, V.checkVarName);
        scope.set(name, r.text(s.value, scope));
        return;
      }
      case 'include':
        return s.body ? this.block(s.body, scope) : undefined;
      case 'not':
        return this.not(s, scope);
      default:
        return this.act(s, this.lower(s, scope), scope);
    }
  }

  /** A statement's operations: lowered, or taken from the check that lowered them (LoweredOps). */
  private lower(s: Lowered, scope: Scope): readonly Op[] {
    const kept = this.lowered;
    if (kept === undefined) return lower(s, this.lowering(scope));
    if (this.opts.mode === 'run') return kept.get(s) ?? lower(s, this.lowering(scope));
    if (!kept.keeping) return lower(s, this.lowering(scope));
    const varying = this.roles.varying;
    try {
      const ops = lower(s, this.lowering(scope));
      kept.keep(s, ops, this.roles.varying === varying && !this.prechecking && this.negated === 0 && this.depth === 0);
      return ops;
    } catch (e) {
      kept.close();
      throw e;
    }
  }

  private lowering(scope: Scope): LowerContext {
    return { roles: this.roles, scope, lab: this.lab, labName: this.opts.labName, labLinks: this.opts.labLinks };
  }

  /**
   * Announces the statement, then hands its operations over in order. The lab's namespaces follow
   * what they make and remove; a job's pid becomes `$!`.
   */
  private async act(s: A.Statement, ops: readonly Op[], scope: Scope): Promise<void> {
    this.begin(s);
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      // (a def body checked where it is defined changes nothing)
      const result: unknown = this.prechecking ? undefined : await this.backend.apply(op);
      if (!this.prechecking) this.opts.observer?.done?.(op);
      if (isJob(result)) scope.set('!', typeof result.pid === 'number' ? String(result.pid) : [result.pid]);
      switch (op.kind) {
        case 'ns-add':
          this.labAdd(op.name);
          break;
        case 'ns-del':
          this.labDelete(op.name);
          break;
        case 'pin':
          if (op.target.kind === 'name') this.labAdd(op.target.name);
          break;
        case 'spawn':
          if (op.as !== undefined) this.labAdd(op.as);
          break;
      }
    }
  }

  private labAdd(ns: string): void {
    if (!this.prechecking) this.lab.add(ns);
  }

  private labDelete(ns: string): void {
    if (!this.prechecking) this.lab.delete(ns);
  }

  private async forStmt(s: A.ForStmt, scope: Scope): Promise<void> {
    const r = this.roles;
    const name = r.value(s.variable, scope, V.checkVarName);
    let values: Iterable<Text>;
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
      values = s.items.words.map(w => r.text(w, scope));
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
      const statements = Object.keys(usage).filter(k => k.endsWith('Stmt') && k !== 'callStmt').map(k => k.slice(0, -4));
      // a quoted name is a def's, never a statement's
      const near = nearest(name, s.name.quoted ? scope.defNames() : [...statements, ...scope.defNames()]);
      const hint = near !== undefined ? `did you mean ${near}?` : s.name.quoted ? undefined : 'statements are: ' + statements.join(', ');
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
    def.params.forEach((p, i) => inner.set(p.literal ?? p.raw, this.roles.text(s.args[i]!, scope)));
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

/** A statement that is lowered into operations, not one of the interpreter's own (loops, defs, `!` …). */
function isLowered(s: A.Statement): s is Lowered {
  switch (s.kind) {
    case 'for': case 'def': case 'call': case 'let': case 'include': case 'not':
      return false;
    default:
      return true;
  }
}

export type { Span };
