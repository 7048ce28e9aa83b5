/**
 * A lab: the one object that owns a backend, the lab's journal, the interpreter (with the
 * session's variables, defs and namespaces), teardown, and the sentences that report what was
 * removed. Scripts, the REPL, the tutorial and the library all run statements through it.
 */
import * as path from 'node:path';
import type { LabObject, TeardownReport } from '../core/lab.js';
import type { Env } from '../core/io.js';
import type { Backend, OpKind, OpOf, ResultOf } from '../backend/backend.js';
import type { ForItems, Statement } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { Interpreter, type Outcome } from './interpreter.js';
import { Journal, JOURNAL_DIR, readObjects, removeJournal, labFile } from './journal.js';
import { downLab, isHere, tearDown, teardownSentences } from './down.js';
import { JournaledBackend } from './journaled.js';
import type { LoweredOps } from './lowered.js';
import { Scope } from './environment.js';
import { checkStatements, explainStatements, type CheckOptions } from './check.js';

export interface LabOptions {
  readonly name: string;
  /** The backend that acts (Linux); one that records nothing (unprivileged) when `journal` is false. */
  readonly backend: Backend;
  /** Record what the lab makes (default), under this directory (default /run/nsh/labs). */
  readonly journal?: boolean | string;
  readonly env: Env;
  /** Asked before each statement: true stops the run (Ctrl-C). */
  readonly interrupted?: () => boolean;
}

/** A lab of that name holds objects from an earlier run. */
export class LabIsUp extends Error {
  constructor(readonly lab: string) {
    super(`lab ${JSON.stringify(lab)} is up`);
  }
}

export class Lab {
  readonly name: string;
  readonly backend: Backend;
  private readonly journal: Journal | undefined;
  private readonly journaled: JournaledBackend | undefined;
  private readonly interp: Interpreter;
  private readonly env: Env;

  private constructor(opts: LabOptions, journal: Journal | undefined) {
    this.name = opts.name;
    this.env = opts.env;
    this.backend = opts.backend;
    this.journal = journal;
    this.journaled = journal ? new JournaledBackend(opts.backend, journal) : undefined;
    opts.backend.forLab?.(opts.name);
    this.interp = new Interpreter({
      backend: this.journaled ?? opts.backend,
      mode: 'run',
      env: opts.env,
      lab: journal?.objects().flatMap(o => (o.kind === 'netns' ? [o.name] : [])) ?? [],
      labName: opts.name,
      labLinks: ns => this.linksIn(ns),
      ...(opts.interrupted ? { interrupted: opts.interrupted } : {}),
    });
  }

  /**
   * Opens the lab `name`, joining what an earlier run left of it (the REPL does), or — with
   * `fresh` — refusing to (LabIsUp), or first taking it down (`replace`).
   */
  static async open(opts: LabOptions & { readonly fresh?: boolean; readonly replace?: boolean }): Promise<Lab> {
    if (opts.journal === false) return new Lab(opts, undefined);
    const dir = typeof opts.journal === 'string' ? opts.journal : JOURNAL_DIR;
    if (readObjects(labFile(dir, opts.name)).length > 0) {
      if (opts.replace) {
        const r = await downLab(opts.backend, opts.name, dir);
        if (r.failed.length > 0) throw new Error(teardownSentences(r).join('; '));
      } else if (opts.fresh) throw new LabIsUp(opts.name);
    }
    return new Lab(opts, Journal.open(opts.name, dir));
  }

  /** The lab's namespaces, in the order they were made. */
  get namespaces(): ReadonlySet<string> {
    return this.interp.lab;
  }

  /** The links the lab's record holds in a namespace (those outside the lab's own namespaces: the host's ends …). */
  linksIn(ns: string): string[] {
    return this.objects().flatMap(o => (o.kind === 'link' && o.at.kind === 'name' && o.at.name === ns ? [o.ifname] : []));
  }

  /** The session's variables and defs. */
  get scope(): Scope {
    return this.interp.global;
  }

  /** Whether the lab holds anything recorded. */
  get isUp(): boolean {
    return (this.journal?.objects().length ?? 0) > 0;
  }

  /** What the journal holds (this run's only, with `run`). */
  objects(which: 'run' | 'all' = 'all'): LabObject[] {
    if (!this.journal) return [];
    return this.journal.objects(which === 'run' ? this.journal.run : undefined);
  }

  /**
   * Runs statements (checked already) in the lab. A script's whole text (`script`) lets the
   * backend prepare for its size; later statements (the REPL's) run one entry at a time.
   * `lowered`: what the check of the statements lowered (LoweredOps), taken when the lab has no
   * namespaces yet, as the check started with none.
   */
  async run(statements: readonly Statement[], opts: { readonly script?: boolean; readonly lowered?: LoweredOps } = {}): Promise<Outcome> {
    if (opts.script) this.backend.prepare?.({ namespaces: namespacesIn(statements) });
    try {
      return await this.interp.run(statements, undefined, this.interp.lab.size === 0 ? opts.lowered : undefined);
    } finally {
      if (opts.script) this.backend.prepare?.({ namespaces: 0 });
      // every program started has its pid recorded by now (or has ended)
      this.journaled?.finish();
    }
  }

  /**
   * Hands one operation to the lab's backend outside any statement (the library's exec, spawn,
   * ping, nc and show), recorded in the journal as a statement's would be.
   */
  apply<K extends OpKind>(op: OpOf<K>): Promise<ResultOf<K>> {
    return (this.journaled ?? this.backend).apply(op);
  }

  /**
   * Records an object this lab holds that no operation makes: the machines of a lab across
   * machines (the coordinator's record), the process that serves a machine's part of one.
   */
  record(o: LabObject): void {
    this.journal?.record(o);
    this.journal?.confirm(o);
  }

  /** The record of such an object goes: it was removed. */
  forget(o: LabObject): void {
    this.journal?.forget(o);
  }

  /** Removes what this run made, or the whole lab (on this machine: the parts on other machines are the coordinator's). */
  async teardown(which: 'run' | 'all'): Promise<TeardownReport> {
    const objects = this.objects(which).filter(isHere);
    if (!this.journal || objects.length === 0) return { removed: 0, gone: 0, failed: [] };
    return tearDown(this.backend, this.journal, objects);
  }

  /** Every problem of statements about to run in this lab: the dry run, with the session's variables, defs and namespaces. */
  check(statements: readonly Statement[]): Promise<Diagnostic[]> {
    return checkStatements(statements, this.checkOptions());
  }

  /** The iproute2 / shell text of statements about to run in this lab. */
  explain(statements: readonly Statement[]): Promise<string> {
    return explainStatements(statements, this.checkOptions());
  }

  private checkOptions(): CheckOptions {
    return { env: this.env, lab: this.interp.lab, scope: new Scope(this.interp.global), labName: this.name, labLinks: ns => this.linksIn(ns) };
  }

  /** Ctrl-C: ends what runs in the foreground. */
  interrupt(): void {
    this.backend.interrupt?.();
  }

  /** Closes the journal (removed when the lab holds nothing) and what the backend holds open. */
  close(): void {
    if (this.journal) {
      if (this.journal.objects().length === 0) removeJournal(this.name, path.dirname(this.journal.file));
      this.journal.close();
    }
    this.backend.close?.();
  }
}

/** How many namespaces statements will make, as far as their text tells (loops over literal ranges included). */
export function namespacesIn(statements: readonly Statement[]): number {
  let n = 0;
  for (const s of statements) {
    if (s.kind === 'ns') n += s.names.length;
    else if (s.kind === 'for') n += namespacesIn(s.body) * iterations(s.items);
  }
  return n;
}

function iterations(items: ForItems): number {
  if (items.kind === 'list') return items.words.length;
  const from = Number(items.from.literal ?? NaN), to = Number(items.to.literal ?? NaN);
  // a range computed at run time: counted once
  return Number.isInteger(from) && Number.isInteger(to) ? Math.abs(to - from) + 1 : 1;
}

export type { Diagnostic, Outcome };
export { downLab, isHere, teardownSentences, objectCount } from './down.js';
