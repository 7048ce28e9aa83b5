/**
 * The coordinator's side of a run across machines: the parts it drives, the nsh text it sends
 * them (with the marks of its jobs replaced by what each machine said), and where an answer's
 * failure belongs in the script.
 */
import { LOCAL } from '../core/machines.js';
import type { Span } from '../core/span.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';
import type { PlanLine } from './plan.js';
import type { Answer, RemoteError } from './protocol.js';
import type { Part, RequestBody } from './remote.js';

/** A statement that failed on a machine, placed at the statement of the script it came from. */
export class StepFailed extends Error {
  constructor(
    readonly machine: string,
    readonly remote: RemoteError,
    readonly span: Span | undefined,
  ) {
    super(remote.message);
  }

  get diagnostic(): Diagnostic {
    return error(`${this.machine === LOCAL ? '' : `${this.machine}: `}${this.remote.message}`, this.span, this.remote.hint, this.remote.reason);
  }
}

export interface SessionOptions {
  /** Each request's text is logged (`m2> ns r`). */
  readonly verbose: boolean;
  readonly log: (text: string) => void;
}

export class Session {
  readonly parts = new Map<string, Part>();
  /** The coordinator's jobs: the machine each runs on, its number there, and its pid there. */
  private readonly jobs = new Map<number, { machine: string; id: number; pid?: string }>();
  /** How many jobs each machine has started (its next job's number is one more). */
  private readonly started = new Map<string, number>();

  constructor(private readonly opts: SessionOptions) {}

  part(machine: string): Part {
    const p = this.parts.get(machine);
    if (!p) throw new Error(`no part on machine ${machine}`);
    return p;
  }

  /** The number the machine's next job will have. */
  nextJob(machine: string): number {
    return (this.started.get(machine) ?? 0) + 1;
  }

  /** `n` jobs were started on a machine (pingall's pings). */
  jobsStarted(machine: string, n: number): void {
    this.started.set(machine, (this.started.get(machine) ?? 0) + n);
  }

  /** A statement's text with the marks of the coordinator's jobs replaced (their pid, their number there). */
  resolve(text: string): string {
    return text
      .replace(/\uE000job(\d+)\uE001/g, (m, n: string) => this.jobs.get(Number(n))?.pid ?? m)
      .replace(/%\uE002(\d+)\uE003/g, (m, n: string) => {
        const j = this.jobs.get(Number(n));
        return j ? `%${j.id}` : m;
      });
  }

  /** The text of `lines`, one statement after another, and the line of the text each starts on. */
  private joined(lines: readonly PlanLine[]): { text: string; starts: number[] } {
    const starts: number[] = [];
    let at = 1;
    const texts = lines.map(l => {
      const t = this.resolve(l.text);
      starts.push(at);
      at += t.split('\n').length;
      return t;
    });
    return { text: texts.join('\n'), starts };
  }

  private log(machine: string, text: string): void {
    if (!this.opts.verbose) return;
    this.opts.log(text.split('\n').map(l => `${machine}> ${l}`).join('\n'));
  }

  /** Sends a request and gives back its answer (the connection's end rejects). */
  request(machine: string, body: RequestBody): Promise<Answer> {
    if ('run' in body) this.log(machine, body.run);
    return this.part(machine).request(body);
  }

  /**
   * Runs statements on a machine; a failure becomes a StepFailed at the statement of the script
   * it came from. A job a statement started is the coordinator's job from then on.
   */
  async run(machine: string, lines: readonly PlanLine[], extra: { readonly collect?: boolean } = {}): Promise<Answer> {
    const { text, starts } = this.joined(lines);
    const a = await this.request(machine, { run: text, ...extra });
    if (!a.ok) {
      const err = a.error ?? { message: 'failed' };
      const i = err.line === undefined ? -1 : starts.findLastIndex(s => s <= err.line!);
      throw new StepFailed(machine, err, (lines[i] ?? lines[0])?.span);
    }
    for (const l of lines) {
      if (l.job === undefined) continue;
      const id = this.nextJob(machine);
      this.jobsStarted(machine, 1);
      this.jobs.set(l.job, { machine, id, ...(a.pid === undefined ? {} : { pid: a.pid }) });
    }
    return a;
  }

  /** Statements each on its own (a failure does not stop the rest), what they print collected. */
  async each(machine: string, texts: readonly string[]): Promise<Answer> {
    return this.request(machine, { run: texts.join('\n'), each: true, collect: true });
  }

  interrupt(): void {
    for (const p of this.parts.values()) p.interrupt();
  }
}
