/**
 * nsh as a library: a lab built from nsh text (a tagged template), more statements run in it,
 * programs run in its namespaces with their exit and output as values, its state as the JSON of
 * `show --json`, and teardown on `down()` or when an `await using` block is left. Underneath is
 * the one Lab (runtime/lab.ts) that scripts, the REPL and the tutorial run statements through.
 */
import './dispose.js';
import { linuxBackend } from '../lab-commands.js';
import { keepWorker } from '../start-ahead.js';
import { checkLoaded, fileReader, type Loaded } from '../pipeline.js';
import { missingPrivileges } from '../privileges.js';
import { OpError, type OpKind, type OpOf, type ResultOf } from '../backend/backend.js';
import type { CollectingJob, NcReport, PingReport, ProgramResult, ShowNamespace } from '../core/results.js';
import type { CheckOptions } from '../runtime/check.js';
import { Scope } from '../runtime/environment.js';
import { LoweredOps } from '../runtime/lowered.js';
import { freeLabName, listLabs } from '../runtime/journal.js';
import { Lab as Core, LabIsUp, teardownSentences, type Outcome } from '../runtime/lab.js';
import { sortDiagnostics, type Diagnostic } from '../syntax/diagnostics.js';
import { loadText } from '../syntax/load.js';
import { makeSource, spanAt } from '../syntax/source.js';
import { checkNsName, isProblem } from '../syntax/values.js';
import * as args from './args.js';
import { callSite, type Site } from './call-site.js';
import { NshError } from './errors.js';
import { atCall, checkError, fromDiagnostic, usageError } from './reporting.js';
import { compose, misplaced, valueText, type Composed } from './template.js';
import type { AttachOptions, ConnectOptions, ExecOptions, Job, LabOptions, Listener, ListenOptions, Output, PingOptions, Value } from './types.js';

type Tag = (strings: TemplateStringsArray, ...values: Value[]) => Promise<Lab>;

/** The place of an operation that no statement made (the library's calls). */
const NOWHERE = spanAt(makeSource('nsh', ''), 0, 0);

const discard: Output = { write: () => true };

/** Made by lab() and attach() only. */
let make: (core: Core, own: boolean, counter: { next: number }) => Lab;

/** A lab: namespaces and links built from nsh text, torn down by down() or on leaving an `await using` block. */
export class Lab {
  readonly #core: Core;
  /** Dispose takes it down (a lab made here, or attached with `own`). */
  readonly #own: boolean;
  #state: 'up' | 'down' | 'closed' = 'up';
  /** The statements running or waiting (one text at a time, in call order). */
  #runs: Promise<unknown> = Promise.resolve();
  /** Numbers the variables of templates' values. */
  readonly #counter: { next: number };

  static {
    make = (core, own, counter) => new Lab(core, own, counter);
  }

  private constructor(core: Core, own: boolean, counter: { next: number }) {
    this.#core = core;
    this.#own = own;
    this.#counter = counter;
  }

  /** The lab's name, as `nsh ls` and `nsh down` know it. */
  get name(): string {
    return this.#core.name;
  }

  /** The lab's namespaces, in the order they were made. */
  get namespaces(): readonly string[] {
    return [...this.#core.namespaces];
  }

  /**
   * Runs more statements in the lab (a tagged template, as lab's), checked first with the lab's
   * variables, defs and namespaces. A statement that fails rejects with its NshError and leaves
   * the lab as it is. Texts run one at a time, in the order they were given.
   */
  run(strings: TemplateStringsArray, ...values: Value[]): Promise<void> {
    const site = callSite(this.run);
    let texts: string[];
    try {
      this.#usable(site);
      texts = valueTexts(values, site);
    } catch (e) {
      return Promise.reject(e);
    }
    const done = this.#runs.then(() => this.#statements(strings, texts, site));
    this.#runs = done.catch(() => {});
    return done;
  }

  async #statements(strings: TemplateStringsArray, texts: readonly string[], site: Site | undefined): Promise<void> {
    this.#usable(site);
    const core = this.#core;
    const c = compose(strings, texts, site, name => core.scope.get(name) !== undefined, this.#counter);
    const loaded = load(c);
    for (const b of c.bindings) core.scope.bind(b.name, b.value);
    const problems = await diagnose(loaded, c, { env: process.env, lab: core.namespaces, scope: new Scope(core.scope) });
    if (problems.length > 0) throw checkError(problems);
    const outcome = await core.run(loaded.program.statements, { script: true });
    if (!outcome.ok) throw new NshError([fromDiagnostic(outcome.diagnostic)], 'run');
  }

  /** Runs a program in a namespace to its end; its exit status is a value, not an error. */
  async exec(ns: string, argv: readonly string[], opts: ExecOptions = {}): Promise<ProgramResult> {
    const site = callSite(this.exec);
    const op = { kind: 'exec', span: NOWHERE, ref: args.nsRef(ns, site), argv: args.argvOf(argv, site), background: false, collect: args.input(opts.input, site) } as const;
    return (await this.#apply(op, site)) as ProgramResult;
  }

  /** Starts a program in a namespace in the background. It is ended at teardown, if not before. */
  async spawn(ns: string, argv: readonly string[], opts: ExecOptions = {}): Promise<Job> {
    const site = callSite(this.spawn);
    const op = { kind: 'exec', span: NOWHERE, ref: args.nsRef(ns, site), argv: args.argvOf(argv, site), background: true, collect: args.input(opts.input, site) } as const;
    const job = (await this.#apply(op, site)) as CollectingJob<ProgramResult>;
    return { pid: job.pid as number, exited: job.exited, kill: this.#killer(job.id) };
  }

  /** The built-in ping from a namespace: replies, loss and round-trip times (no reply is a result, not an error). */
  async ping(ns: string, address: string, opts: PingOptions = {}): Promise<PingReport> {
    const site = callSite(this.ping);
    const target = args.address(address, site);
    const op = {
      kind: 'ping', span: NOWHERE, ref: args.nsRef(ns, site), ...target,
      count: args.int(opts.count ?? 3, 'ping count', 1, 1_000_000, site),
      interval: args.seconds(opts.interval ?? 0.2, 'ping interval', 0.001, 3600, site),
      timeout: args.seconds(opts.timeout ?? 1, 'ping timeout', 0.001, 3600, site),
      background: false, collect: true,
    } as const;
    return (await this.#apply(op, site)) as PingReport;
  }

  /** The built-in nc listening on a port of a namespace, in the background (it is listening when this resolves). */
  async listen(ns: string, port: number, opts: ListenOptions = {}): Promise<Listener> {
    const site = callSite(this.listen);
    const op = {
      kind: 'nc', span: NOWHERE, ref: args.nsRef(ns, site), listen: true, udp: Boolean(opts.udp),
      port: args.int(port, 'port', 1, 65535, site), background: true, collect: {},
    } as const;
    const job = (await this.#apply(op, site)) as CollectingJob<NcReport>;
    const received = job.exited.catch((e: unknown) => {
      throw failure(e, site);
    });
    received.catch(() => {}); // a listener nobody asks about must not end the process
    return { received, kill: this.#killer(job.id) };
  }

  /** The built-in nc connecting from a namespace: sends `input`, half-closes, and gives back the answer. */
  async connect(ns: string, address: string, port: number, opts: ConnectOptions = {}): Promise<NcReport> {
    const site = callSite(this.connect);
    const op = {
      kind: 'nc', span: NOWHERE, ref: args.nsRef(ns, site), listen: false, udp: Boolean(opts.udp),
      address: args.address(address, site).address, port: args.int(port, 'port', 1, 65535, site),
      ...(opts.wait === undefined ? {} : { wait: args.seconds(opts.wait, 'nc wait', 0.001, 86400, site) }),
      background: false, collect: args.input(opts.input, site),
    } as const;
    return (await this.#apply(op, site)) as NcReport;
  }

  /** The lab's state: what `show --json` prints (the host's links paired with the lab, then each namespace), or one namespace's. */
  async show(ns?: string): Promise<readonly ShowNamespace[]> {
    const site = callSite(this.show);
    const one = ns === undefined ? {} : { ns: args.nsName(ns, site) };
    await this.#idle();
    const op = { kind: 'show', span: NOWHERE, what: 'tree', json: true, lab: this.namespaces, collect: true, ...one } as const;
    return (await this.#apply(op, site)) as readonly ShowNamespace[];
  }

  /**
   * Tears the lab down: its programs ended, its namespaces and the links it made outside them
   * removed, its record gone. Once down, the lab takes no more calls; a second down() does nothing.
   */
  async down(): Promise<void> {
    const site = callSite(this.down);
    if (this.#state !== 'up') return;
    this.#state = 'down';
    await this.#runs;
    const core = this.#core;
    core.interrupt(); // programs still running in the foreground of an exec
    let failed: string[];
    try {
      failed = teardownSentences(await core.teardown('all'));
    } finally {
      core.close();
    }
    if (failed.length > 0) throw new NshError(failed.map(s => atCall(s, site)), 'run');
  }

  /** Lets go of the lab without taking it down (it stays up: `nsh down NAME`, or attach(NAME), later). */
  close(): void {
    if (this.#state !== 'up') return;
    this.#state = 'closed';
    this.#core.close();
  }

  /** Leaving an `await using` block: down() for a lab made here (or attached with `own`), close() otherwise. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#own) await this.down();
    else this.close();
  }

  #usable(site: Site | undefined): void {
    if (this.#state !== 'up') throw usageError(`lab ${JSON.stringify(this.name)} is ${this.#state}`, site);
  }

  /** Until the statements given before have run (their failure is theirs to report). */
  #idle(): Promise<unknown> {
    return this.#runs;
  }

  /** Hands an operation to the lab, after the statements given before it; a failure becomes an NshError. */
  async #apply<K extends OpKind>(op: OpOf<K>, site: Site | undefined): Promise<ResultOf<K>> {
    this.#usable(site);
    await this.#idle();
    this.#usable(site);
    try {
      return await this.#core.apply(op);
    } catch (e) {
      throw failure(e, site);
    }
  }

  /** Ends job `id` (SIGTERM); a job that has ended, or a lab that is down, needs nothing. */
  #killer(id: number): () => Promise<void> {
    let killed = false;
    return async () => {
      if (killed || this.#state !== 'up') return;
      killed = true;
      try {
        await this.#core.apply({ kind: 'kill', span: NOWHERE, targets: [{ kind: 'job', id }] });
      } catch (e) {
        if (!(e instanceof OpError)) throw e; // (a `wait` in a template took it off the job table: it has ended)
      }
    };
  }
}

/** An operation's failure, as an NshError at the call; anything else is an internal error and passes. */
function failure(e: unknown, site: Site | undefined): unknown {
  return e instanceof OpError ? new NshError([atCall(e.message, site, e.hint)], 'run') : e;
}

function valueTexts(values: readonly unknown[], site: Site | undefined): string[] {
  return values.map((v, i) => {
    const t = valueText(v);
    if (typeof t === 'string') return t;
    throw usageError(`value ${i + 1} of the template: ${t.problem}`, site);
  });
}

function load(c: Composed): Loaded {
  return loadText(c.name, c.text, c.dir, fileReader, c.path);
}

/** Every problem of a template's text: its syntax, where its values stand, and the dry run (as `nsh check`). */
async function diagnose(loaded: Loaded, c: Composed, opts: CheckOptions): Promise<Diagnostic[]> {
  const placement = misplaced(loaded.program.statements, c, loaded.program.span.source, loaded.diagnostics.length === 0);
  // (placement first: of two problems at one place, the first is kept, and a value named as a
  // statement is the problem, not that no statement has its name)
  return sortDiagnostics([...placement, ...(await checkLoaded(loaded, opts))]);
}

function streams(o: { readonly stdout?: Output | null; readonly stderr?: Output | null }) {
  const pick = (s: Output | null | undefined, own: Output) => (s === null ? discard : s ?? own);
  return {
    stdout: pick(o.stdout, process.stdout) as NodeJS.WritableStream,
    stderr: pick(o.stderr, process.stderr) as NodeJS.WritableStream,
    env: process.env,
  };
}

function privileged(site: Site | undefined): void {
  const missing = missingPrivileges();
  if (missing) throw usageError(missing, site, 'a program that uses nsh as a library: run it as root, or in the rootless sandbox, `nsh --rootless -- CMD…`');
}

function labName(name: unknown, site: Site | undefined): string {
  if (typeof name !== 'string') throw usageError(`a lab is named by a string, got ${typeof name}`, site);
  const r = checkNsName(name, { allowHost: true });
  if (isProblem(r)) throw usageError(`lab name ${JSON.stringify(name)} is not usable: ${r.problem}`, site, r.hint);
  return r;
}

/**
 * The first build: checked (nothing is made if the text has a problem), then run; on failure
 * what it made is removed (unless keepOnError) and the promise rejects with the NshError.
 */
async function build(opts: LabOptions, strings: TemplateStringsArray, values: readonly unknown[], site: Site | undefined): Promise<Lab> {
  // the worker that makes namespaces ahead starts with the process's first lab, whatever its
  // size, and is kept for the next ones (node takes 100 ms and more to start one)
  keepWorker();
  return buildChecked(opts, strings, values, site);
}

async function buildChecked(opts: LabOptions, strings: TemplateStringsArray, values: readonly unknown[], site: Site | undefined): Promise<Lab> {
  const texts = valueTexts(values, site);
  const name = opts.name === undefined ? undefined : labName(opts.name, site);
  const counter = { next: 1 };
  const c = compose(strings, texts, site, () => false, counter);
  const loaded = load(c);
  const scope = new Scope();
  for (const b of c.bindings) scope.bind(b.name, b.value);
  // (the run, in a new lab, takes the operations the check lowered for the script's straight-line start)
  const lowered = new LoweredOps();
  const problems = await diagnose(loaded, c, { env: process.env, scope, lowered });
  if (problems.length > 0) throw checkError(problems);
  privileged(site);
  const labName_ = name ?? freeLabName('lab');
  const backend = linuxBackend(streams(opts), { inheritStdin: false });
  let core: Core;
  try {
    core = await Core.open({ name: labName_, backend, env: process.env, fresh: true });
  } catch (e) {
    backend.close();
    if (e instanceof LabIsUp) {
      throw usageError(`lab ${JSON.stringify(labName_)} is up from an earlier run`, site, `\`nsh down ${labName_}\` removes it, attach(${JSON.stringify(labName_)}) joins it, another name runs beside it`);
    }
    throw e;
  }
  for (const b of c.bindings) core.scope.bind(b.name, b.value);
  let outcome: Outcome;
  try {
    outcome = await core.run(loaded.program.statements, { script: true, lowered });
  } catch (e) {
    await rollBack(core, Boolean(opts.keepOnError));
    throw e;
  }
  if (outcome.ok) return make(core, true, counter);
  const keep = Boolean(opts.keepOnError);
  const leftovers = await rollBack(core, keep);
  throw new NshError([fromDiagnostic(outcome.diagnostic), ...leftovers.map(s => atCall(s, site))], 'run', keep ? core.name : undefined);
}

/** A failed first build: what it made is removed (unless kept), as a script's is; the sentences say what could not be. */
async function rollBack(core: Core, keep: boolean): Promise<string[]> {
  try {
    return keep ? [] : teardownSentences(await core.teardown('run'));
  } finally {
    core.close();
  }
}

/**
 * A lab built from nsh text: `await using l = await lab\`ns a b; veth a.v0 <-> b.v0 ${net}\``.
 * Each `${value}` is one word (or part of one), bound to a variable, never spliced into the text.
 * The text is checked first (nothing is built if it has a problem), then run; a build that fails
 * removes what it made and rejects with an NshError. With options: `lab({ name: 'web' })\`…\``.
 */
export function lab(strings: TemplateStringsArray, ...values: Value[]): Promise<Lab>;
export function lab(options: LabOptions): (strings: TemplateStringsArray, ...values: Value[]) => Promise<Lab>;
export function lab(first: TemplateStringsArray | LabOptions, ...values: Value[]): Promise<Lab> | Tag {
  if (isTemplate(first)) return build({}, first, values, callSite(lab));
  const options = first;
  const tag: Tag = (strings, ...vs) => build(options, strings, vs, callSite(tag));
  return tag;
}

function isTemplate(x: unknown): x is TemplateStringsArray {
  return Array.isArray(x) && 'raw' in x;
}

/**
 * Joins a lab that is up (made by another process, or by `nsh`), by name. Its namespaces are the
 * ones its record holds; run(), exec() and the rest work on it, and down() takes it down.
 * Leaving an `await using` block only lets go of it, unless `own` is set.
 */
export async function attach(name: string, options: AttachOptions = {}): Promise<Lab> {
  const site = callSite(attach);
  const labName_ = labName(name, site);
  privileged(site);
  const known = listLabs();
  if (!known.includes(labName_)) {
    throw usageError(`there is no lab ${JSON.stringify(labName_)}`, site, known.length > 0 ? `labs: ${known.join(', ')}` : 'no lab is up');
  }
  const backend = linuxBackend(streams(options), { inheritStdin: false });
  try {
    return make(await Core.open({ name: labName_, backend, env: process.env }), options.own ?? false, { next: 1 });
  } catch (e) {
    backend.close();
    throw e;
  }
}
