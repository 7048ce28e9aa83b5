/**
 * The line protocol between the coordinator of a lab across machines and `nsh --serve PART` on
 * each machine (over OpenSSH: its standard streams).
 *
 * The coordinator writes one JSON object per line: nsh text to run, or a word about the part
 * (roll back this run, take the part down, stop what runs, bye). Nothing else crosses: the
 * machine runs nsh text only, parsed and checked as any script.
 *
 * The machine's standard output carries the output of what runs there (programs, ping, echo) as
 * it comes, and the answers: the first line, `nsh-serve {…}`, says its version and a token of its
 * own; every answer after it is the token and one JSON object up to a newline, wherever it starts
 * (a program may leave a line unfinished). Its standard error is the programs' own.
 */

export const PROTOCOL = 1;

/** The first line a machine writes. */
export interface Hello {
  readonly protocol: number;
  /** nsh's version there. */
  readonly nsh: string;
  /** Starts each answer. */
  readonly token: string;
  /** Why the machine cannot serve the part (no root, the lab is up there …); it then ends. */
  readonly problem?: string;
}

export const HELLO = 'nsh-serve ';

export type Request =
  /**
   * nsh text to run in the part's lab. `each`: every statement on its own, each answered (the
   * run goes on after a failure); `collect`: what it prints comes back in the answer instead.
   */
  | { readonly id: number; readonly run: string; readonly each?: boolean; readonly collect?: boolean }
  /** remove what this run made there */
  | { readonly id: number; readonly rollback: true }
  /** remove the whole part (nsh down) */
  | { readonly id: number; readonly down: true }
  /** Ctrl-C: end what runs now (not answered of its own: the request running fails) */
  | { readonly interrupt: true }
  /** the run is over: close the lab (it stays up) and end */
  | { readonly bye: true };

/** A statement that failed there, as the coordinator reports it. */
export interface RemoteError {
  readonly message: string;
  readonly hint?: string;
  /** What kind of failure it is (`vni-taken`, `port-taken`), when the backend said. */
  readonly reason?: string;
  /** Where in the request's text (1-based), when it is a statement's. */
  readonly line?: number;
  readonly interrupted?: boolean;
}

export interface StatementResult {
  readonly ok: boolean;
  readonly error?: RemoteError;
}

export interface Answer {
  readonly id: number;
  readonly ok: boolean;
  readonly error?: RemoteError;
  /** What the request printed, when it asked to collect it. */
  readonly out?: string;
  /** `$!` after the request, when a statement of it started a job. */
  readonly pid?: string;
  /** Each statement's outcome, for `each`. */
  readonly results?: readonly StatementResult[];
  /** After a rollback or down: how many objects were removed. */
  readonly removed?: number;
  /** After a rollback or down: sentences about what could not be removed. */
  readonly leftovers?: readonly string[];
  /** After a rollback: whether the part still holds anything (an earlier run's objects). */
  readonly up?: boolean;
  /** After a down: there was no such lab there. */
  readonly absent?: boolean;
}

/** Splits a machine's standard output into what programs printed and the answers. */
export class Demux {
  private buf = '';
  private helloSeen = false;
  private token: string | undefined;

  constructor(
    private readonly handlers: {
      readonly output: (text: string) => void;
      readonly hello: (h: Hello) => void;
      readonly answer: (a: Answer) => void;
      /** A first line that is not a hello (an nsh that does not know --serve …). */
      readonly unexpected: (line: string) => void;
    },
  ) {}

  push(chunk: string): void {
    this.buf += chunk;
    for (;;) {
      if (!this.helloSeen) {
        const nl = this.buf.indexOf('\n');
        if (nl === -1) return;
        const first = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        this.helloSeen = true;
        const hello = first.startsWith(HELLO) ? parse<Hello>(first.slice(HELLO.length)) : undefined;
        if (!hello || typeof hello.token !== 'string') {
          this.handlers.unexpected(first);
          continue;
        }
        this.token = hello.token;
        this.handlers.hello(hello);
        continue;
      }
      const token = this.token;
      if (token === undefined) {
        this.flushOutput(this.buf.length);
        return;
      }
      const at = this.buf.indexOf(token);
      if (at === -1) {
        // keep what may be the start of a token
        this.flushOutput(Math.max(0, this.buf.length - token.length + 1));
        return;
      }
      const nl = this.buf.indexOf('\n', at);
      if (nl === -1) {
        this.flushOutput(at);
        return;
      }
      this.flushOutput(at);
      const line = this.buf.slice(token.length, nl - at);
      this.buf = this.buf.slice(nl - at + 1);
      const a = parse<Answer>(line.trim());
      if (a && typeof a.id === 'number') this.handlers.answer(a);
      else this.handlers.output(`${token}${line}\n`);
    }
  }

  /** The stream ended: what is left was output. */
  end(): void {
    if (this.buf !== '') this.handlers.output(this.buf);
    this.buf = '';
  }

  private flushOutput(upTo: number): void {
    if (upTo <= 0) return;
    this.handlers.output(this.buf.slice(0, upTo));
    this.buf = this.buf.slice(upTo);
  }
}

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** Splits a stream into lines, each given with a prefix (a machine's standard error, `m2: …`). */
export class LinePrefixer {
  private buf = '';

  constructor(
    private readonly prefix: string,
    private readonly write: (text: string) => void,
  ) {}

  push(chunk: string): void {
    this.buf += chunk;
    const nl = this.buf.lastIndexOf('\n');
    if (nl === -1) return;
    const whole = this.buf.slice(0, nl);
    this.buf = this.buf.slice(nl + 1);
    this.write(whole.split('\n').map(l => `${this.prefix}${l}\n`).join(''));
  }

  end(): void {
    if (this.buf !== '') this.write(`${this.prefix}${this.buf}\n`);
    this.buf = '';
  }
}
