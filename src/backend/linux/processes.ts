/**
 * Programs run inside namespaces, and the background job table. A child is spawned while this
 * thread is inside the namespaces (withNamespaces), so it starts there: uv_spawn forks from the
 * calling thread, and a fork inherits the thread's namespaces.
 */
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { childProcess } from './builtins.js';
import { readFileSync, readdirSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { OpError, type CollectingJob, type Job, type JobTarget, type ProgramResult } from '../backend.js';
import type { Span } from '../../core/span.js';
import { nearest } from '../../core/nearest.js';
import { withNamespaces } from './netns.js';

export interface Streams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Whether programs may read nsh's own standard input (a terminal, say). */
  readonly inheritStdin: boolean;
}

interface Running {
  readonly id: number;
  readonly pid: number;
  readonly argv: readonly string[];
  readonly exit: Promise<string | undefined>;
  /** Ends a built-in job (ping, nc), which runs inside nsh and has no process of its own. */
  readonly abort?: () => void;
  /** A `wait` without job numbers does not wait for it (a capture, which may run until killed). */
  readonly unwaited?: boolean;
  status?: string;
}

/** How a program ended. */
interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** "ls exited with status 2", or undefined for success. */
function outcome(argv: readonly string[], { code, signal }: Ended): string | undefined {
  if (code === 0) return undefined;
  return signal ? `${argv[0]} was ended by ${signal}` : `${argv[0]} exited with status ${code}`;
}

/** A program that could not be started; `code`: ENOENT, EACCES, another errno name. */
export class StartError extends OpError {
  constructor(
    message: string,
    readonly code: string,
    hint?: string,
    at?: Span,
  ) {
    super(message, { hint, at });
  }

  /** The same error, pointing at where the program's name is written. */
  pointingAt(at: Span | undefined): StartError {
    return at === undefined || this.at !== undefined ? this : new StartError(this.message, this.code, this.hint, at);
  }

  /** The status a shell gives a command it could not run: 127 not found, 126 not executable. */
  get status(): number {
    return this.code === 'ENOENT' ? 127 : 126;
  }
}

/** The names of the programs on PATH, and nsh's built-in ping and nc (for a hint: read only then). */
function* programsOnPath(): Generator<string> {
  yield 'ping';
  yield 'nc';
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      yield* readdirSync(dir || '.');
    } catch {
      // a directory that is not there or not readable names no program
    }
  }
}

/** Why a program could not be started, as a sentence. */
export function startError(program: string, code: string): StartError {
  if (code === 'ENOENT') {
    const near = program.includes('/') ? undefined : nearest(program, programsOnPath());
    return new StartError(`command not found: ${program}`, code, near === undefined ? 'give its full path if it is not on PATH' : `did you mean ${near}?`);
  }
  if (code === 'EACCES') return new StartError(`${program} cannot be run: permission denied`, code);
  return new StartError(`${program} could not be started: ${code}`, code);
}

/** What a program wrote, kept to be given back with its exit. */
class Collected {
  readonly stdout: Buffer[] = [];
  readonly stderr: Buffer[] = [];

  result({ code, signal }: Ended): ProgramResult {
    return { code, signal, stdout: Buffer.concat(this.stdout).toString('utf8'), stderr: Buffer.concat(this.stderr).toString('utf8') };
  }
}

/** The start time of a process (field 22 of /proc/PID/stat), to tell it from a later one with its pid. */
export function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export class Processes {
  private readonly jobs = new Map<number, Running>();
  /**
   * Jobs that `kill` stopped and that have not ended yet: their end still comes (a capture's
   * count of packets), and killAll() waits for it before a teardown takes their namespaces.
   */
  private readonly stopping = new Set<Running>();
  private next = 1;
  /** How to stop what runs in the foreground now (Ctrl-C). */
  private readonly foreground = new Set<() => void>();
  private readonly children: ChildProcess[] = [];

  /** `marker`: put in every program's environment as NSH_RUN (see killMarked). */
  constructor(
    private readonly io: Streams,
    private readonly marker?: string,
  ) {}

  private stdio(stdin: string | undefined, collecting: boolean): StdioOptions {
    if (collecting) return [stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'];
    const useOwn = (s: NodeJS.WritableStream, own: NodeJS.WritableStream) => (s === own ? 'inherit' : 'pipe');
    return [
      stdin !== undefined ? 'pipe' : this.io.inheritStdin ? 'inherit' : 'ignore',
      useOwn(this.io.stdout, process.stdout),
      useOwn(this.io.stderr, process.stderr),
    ];
  }

  /**
   * Starts argv inside the namespaces `fds`, through the words `via` (a launcher that ends by
   * exec'ing argv, mount-view.ts); `closed` settles when it has ended (or rejects when it could
   * not start). Its output goes to nsh's streams, or, collecting, into `collect`; `stdin` is
   * written as it is. Sentences and the job table speak of argv.
   */
  private start(
    fds: { net?: number; uts?: number },
    argv: readonly string[],
    stdin: string | undefined,
    background: boolean,
    via: readonly string[],
    collect?: Collected,
  ): { child: ChildProcess; closed: Promise<Ended> } {
    const line = [...via, ...argv];
    const child = withNamespaces(fds, () =>
      childProcess().spawn(line[0]!, line.slice(1), {
        stdio: this.stdio(stdin, collect !== undefined),
        detached: background,
        ...(this.marker === undefined ? {} : { env: { ...process.env, NSH_RUN: this.marker } }),
      }),
    );
    if (background) this.children.push(child);
    child.stdout?.on('data', (d: Buffer) => (collect ? collect.stdout.push(d) : this.io.stdout.write(d)));
    child.stderr?.on('data', (d: Buffer) => (collect ? collect.stderr.push(d) : this.io.stderr.write(d)));
    if (stdin !== undefined) child.stdin?.end(stdin);
    child.stdin?.on('error', () => {}); // the program may not read it
    const closed = new Promise<Ended>((resolve, reject) => {
      child.once('error', (e: NodeJS.ErrnoException) => reject(startError(line[0]!, e.code ?? e.message)));
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    return { child, closed };
  }

  /**
   * Runs a program in the foreground and resolves with its exit status, as a shell gives it
   * (128 + N after signal N): `nsh exec`, which exits with it as `ip netns exec` does. An
   * interrupt() meanwhile sends it SIGTERM.
   */
  async status(fds: { net?: number; uts?: number }, argv: readonly string[], via: readonly string[] = []): Promise<number> {
    const { child, closed } = this.start(fds, argv, undefined, false, via);
    const e = await this.whileForeground(() => child.kill('SIGTERM'), closed);
    return e.code ?? 128 + (e.signal ? osConstants.signals[e.signal] : 0);
  }

  /**
   * Runs a program in the foreground; fails the statement on a non-zero exit. `started` runs
   * beside the program once it has a pid (spawn pins its namespace so).
   */
  async run(
    fds: { net?: number; uts?: number },
    argv: readonly string[],
    stdin?: string,
    started?: (pid: number) => Promise<void>,
    via: readonly string[] = [],
  ): Promise<void> {
    // as a shell's <<< does
    const { child, closed } = this.start(fds, argv, stdin === undefined ? undefined : `${stdin}\n`, false, via);
    const beside = child.pid !== undefined && started ? started(child.pid) : Promise.resolve();
    const failed = outcome(argv, await this.whileForeground(() => child.kill('SIGINT'), closed));
    await beside;
    if (failed) throw new OpError(failed);
  }

  /** Runs a program in the foreground and gives back its exit and what it wrote; `input` is its standard input. */
  async collect(fds: { net?: number; uts?: number }, argv: readonly string[], input?: string, via: readonly string[] = []): Promise<ProgramResult> {
    const into = new Collected();
    const { child, closed } = this.start(fds, argv, input, false, via, into);
    return into.result(await this.whileForeground(() => child.kill('SIGINT'), closed));
  }

  /** Starts a background job whose exit and output are collected (nothing is printed). */
  async collectJob(fds: { net?: number; uts?: number }, argv: readonly string[], input?: string, via: readonly string[] = []): Promise<CollectingJob<ProgramResult>> {
    const into = new Collected();
    const { child, closed } = this.start(fds, argv, input, true, via, into);
    const job = await this.enter(child, argv, closed, false);
    return { ...job, exited: closed.then(e => into.result(e)) };
  }

  /** Awaits `p`; an interrupt meanwhile calls `stop`. */
  async whileForeground<T>(stop: () => void, p: Promise<T>): Promise<T> {
    this.foreground.add(stop);
    try {
      return await p;
    } finally {
      this.foreground.delete(stop);
    }
  }

  /** Ctrl-C: stops the foreground program or built-in. */
  interrupt(): void {
    for (const stop of this.foreground) stop();
  }

  /**
   * The end of a script: built-in jobs run inside nsh and cannot outlive it, so they are ended;
   * programs go on (they are recorded in the journal, and `nsh down` ends them).
   */
  release(): void {
    for (const j of this.jobs.values()) if (j.abort) j.abort();
    for (const c of this.children) {
      c.unref();
      (c.stdout as { unref?: () => void } | null)?.unref?.();
      (c.stderr as { unref?: () => void } | null)?.unref?.();
    }
  }

  /** Starts a background job: `[1] PID` is printed. */
  async background(fds: { net?: number; uts?: number }, argv: readonly string[], stdin?: string, via: readonly string[] = []): Promise<Job> {
    const { child, closed } = this.start(fds, argv, stdin === undefined ? undefined : `${stdin}\n`, true, via);
    return this.enter(child, argv, closed, true);
  }

  /** A background program into the job table (announced as `[1] PID`, or quietly). */
  private async enter(child: ChildProcess, argv: readonly string[], closed: Promise<Ended>, announce: boolean): Promise<Job> {
    const pid = child.pid;
    if (pid === undefined) {
      // spawn failed at once (ENOENT …): its error arrives through the promise
      await closed;
      throw new OpError(`${argv[0]} could not be started`);
    }
    const id = this.next++;
    const exit = closed.then(e => outcome(argv, e)).catch((e: Error) => e.message);
    const job: Running = { id, pid, argv, exit };
    void job.exit.then(s => (job.status = s ?? 'done'));
    this.jobs.set(id, job);
    if (announce) this.io.stdout.write(`[${id}] ${pid}\n`);
    return { id, pid };
  }

  /**
   * A built-in command run in the background (nc -l …): it runs inside nsh, so `$!` is nsh's pid.
   * `unwaited`: a `wait` without job numbers passes it by; `announce`: `[1] PID` is printed.
   */
  adopt(
    argv: readonly string[],
    exit: Promise<string | undefined>,
    abort: () => void,
    opts: { readonly unwaited?: boolean; readonly announce?: boolean } = {},
  ): Job {
    const id = this.next++;
    const pid = process.pid;
    const job: Running = { id, pid, argv, exit: exit.catch((e: Error) => e.message), abort, ...(opts.unwaited ? { unwaited: true } : {}) };
    void exit.then(s => (job.status = s ?? 'done'));
    this.jobs.set(id, job);
    if (opts.announce ?? true) this.io.stdout.write(`[${id}] ${pid}\n`);
    return { id, pid };
  }

  /** Whether a program started in the background still runs (built-in jobs do not count). */
  programsRunning(): boolean {
    for (const j of this.jobs.values()) if (j.abort === undefined && j.status === undefined) return true;
    return false;
  }

  list(): string[] {
    return [...this.jobs.values()].map(j => `[${j.id}] ${j.pid} ${j.status ?? 'running'}  ${j.argv.join(' ')}`);
  }

  private find(t: JobTarget): Running | undefined {
    if (t.kind === 'job') return this.jobs.get(t.id);
    return [...this.jobs.values()].find(j => j.pid === t.pid);
  }

  private named(t: JobTarget): Running {
    const j = this.find(t);
    if (!j) throw new OpError(t.kind === 'job' ? `there is no job %${t.id}` : `process ${String(t.pid)} is not a job of this lab`);
    return j;
  }

  /** Waits for the jobs (all when none are named); fails if one of them failed. */
  async wait(targets: readonly JobTarget[]): Promise<void> {
    const jobs = targets.length === 0 ? [...this.jobs.values()].filter(j => !j.unwaited) : targets.map(t => this.named(t));
    const failures: string[] = [];
    for (const j of jobs) {
      const failed = await j.exit;
      this.jobs.delete(j.id);
      if (failed) failures.push(`[${j.id}] ${failed}`);
    }
    if (failures.length > 0) throw new OpError(failures.join('; '));
  }

  kill(targets: readonly JobTarget[]): void {
    for (const t of targets) {
      const j = this.named(t);
      if (j.abort) j.abort();
      else signalGroup(j.pid, 'SIGTERM');
      this.jobs.delete(j.id);
      if (j.status === undefined) {
        this.stopping.add(j);
        void j.exit.then(() => this.stopping.delete(j));
      }
    }
  }

  /** Ends every job (teardown, Ctrl-C). */
  async killAll(): Promise<void> {
    const running = [...this.jobs.values()];
    const all = [...running, ...this.stopping];
    if (all.length === 0) return;
    for (const j of running) (j.abort ? j.abort() : signalGroup(j.pid, 'SIGTERM'));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(all.map(j => j.exit)), new Promise(r => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
    for (const j of all) if (j.status === undefined && !j.abort) signalGroup(j.pid, 'SIGKILL');
    this.jobs.clear();
    this.stopping.clear();
  }
}

/**
 * SIGKILLs every process whose environment holds NSH_RUN=`marker` (the programs one run started,
 * and what they started); returns how many.
 */
export function killMarked(marker: string): number {
  const needle = Buffer.from(`\0NSH_RUN=${marker}\0`);
  let killed = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let env: Buffer;
    try {
      env = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${entry}/environ`), Buffer.from([0])]);
    } catch {
      continue; // gone, or not ours to read
    }
    if (env.includes(needle) && signalGroup(Number(entry), 'SIGKILL')) killed++;
  }
  return killed;
}

/** Signals a job's process group (a job is started in a group of its own), or the process alone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}
