/**
 * `nsh --serve PART`: a machine's part of a lab across machines, run for the coordinator over
 * OpenSSH (protocol.ts). It reads requests on standard input, runs the nsh text they carry in the
 * lab PART of this machine (journaled here, as any lab), and answers on standard output. The same
 * Server runs the coordinator's own part, in its process.
 */
import * as fs from 'node:fs';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { Env } from '../core/io.js';
import { linuxBackend, startTime } from '../lab-commands.js';
import { loadInline } from '../pipeline.js';
import { missingPrivileges } from '../privileges.js';
import { Lab, LabIsUp, teardownSentences } from '../runtime/lab.js';
import type { Outcome } from '../runtime/interpreter.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { HELLO, PROTOCOL, type Answer, type Hello, type RemoteError, type Request, type StatementResult } from './protocol.js';

/** Where what a part prints goes: the machine's standard output, or a request's collection. */
export class PartOutput {
  private collecting: string[] | undefined;

  constructor(private readonly write: (text: string) => void) {}

  readonly stream = new Writable({
    write: (chunk: Buffer | string, _enc, done) => {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (this.collecting) this.collecting.push(text);
      else this.write(text);
      done();
    },
  });

  /** Runs `fn` with what is printed meanwhile collected, and gives it back. */
  async collect<T>(fn: () => Promise<T>): Promise<[T, string]> {
    const outer = this.collecting;
    this.collecting = [];
    try {
      const r = await fn();
      return [r, this.collecting.join('')];
    } finally {
      this.collecting = outer;
    }
  }
}

function remoteError(d: Diagnostic, interrupted = false): RemoteError {
  return {
    message: d.message,
    ...(d.hint === undefined ? {} : { hint: d.hint }),
    ...(d.code === undefined ? {} : { reason: d.code }),
    ...(d.span ? { line: d.span.line } : {}),
    ...(interrupted ? { interrupted } : {}),
  };
}

function outcomeResult(o: Outcome): StatementResult {
  return o.ok ? { ok: true } : { ok: false, error: remoteError(o.diagnostic, o.interrupted === true) };
}

/** Runs requests in one part's lab; what prints goes to `output`. */
export class Server {
  private interrupted = false;

  constructor(
    readonly lab: Lab,
    private readonly output: PartOutput,
  ) {}

  /** Ctrl-C at the coordinator: the request running stops. */
  interrupt(): void {
    this.interrupted = true;
    this.lab.interrupt();
  }

  get isInterrupted(): boolean {
    return this.interrupted;
  }

  async handle(req: Exclude<Request, { interrupt: true } | { bye: true }>): Promise<Answer> {
    this.interrupted = false;
    if ('rollback' in req) {
      const r = await this.lab.teardown('run');
      const up = this.lab.objects().some(o => o.kind !== 'job' || o.pid !== process.pid);
      return { id: req.id, ok: r.failed.length === 0, removed: r.removed, leftovers: teardownSentences(r), up };
    }
    if ('down' in req) {
      const r = await this.lab.teardown('all');
      return { id: req.id, ok: r.failed.length === 0, removed: r.removed, leftovers: teardownSentences(r) };
    }
    const loaded = loadInline(this.lab.name, req.run);
    if (loaded.diagnostics.length > 0) return { id: req.id, ok: false, error: remoteError(loaded.diagnostics[0]!) };
    const statements = loaded.program.statements;
    const run = async (): Promise<Answer> => {
      if (req.each) {
        const results: StatementResult[] = [];
        for (const s of statements) {
          if (this.interrupted) results.push({ ok: false, error: { message: 'interrupted', interrupted: true } });
          else results.push(outcomeResult(await this.lab.run([s])));
        }
        return { id: req.id, ok: results.every(r => r.ok), results };
      }
      const o = await this.lab.run(statements, { script: true });
      return { id: req.id, ...outcomeResult(o) };
    };
    let answer: Answer;
    if (req.collect) {
      const [a, out] = await this.output.collect(run);
      answer = { ...a, out };
    } else answer = await run();
    const pid = this.lab.scope.get('!');
    return typeof pid === 'string' ? { ...answer, pid } : answer;
  }
}

/** Writes all of `text` to fd 1 or 2 (pipes to sshd: written whole, in order with the answers). */
function writeAll(fd: number, text: string | Buffer): void {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let off = 0; off < buf.length; ) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return; // the coordinator is gone
      if (code !== 'EAGAIN') throw e;
    }
  }
}

const writeOut = (text: string) => writeAll(1, text);

/**
 * Standard error, through this process: programs get a pipe, not the connection itself, which
 * would otherwise stay open as long as a background program runs.
 */
const errStream = new Writable({
  write: (chunk: Buffer | string, _enc, done) => {
    writeAll(2, chunk);
    done();
  },
});

/** A part's name: a lab's name, `@`, a machine's name. */
const PART = /^[A-Za-z_][A-Za-z0-9_-]{0,63}(@[A-Za-z_][A-Za-z0-9_-]{0,63})?$/;

export interface ServeOptions {
  readonly part: string;
  /** Refuse a part that is up from an earlier run. */
  readonly fresh: boolean;
  readonly version: string;
  readonly env: Env;
}

/** `nsh --serve PART`: answers requests until `bye` or the end of standard input; the exit status. */
export async function serve(opts: ServeOptions): Promise<number> {
  const token = `\u001e${randomBytes(16).toString('hex')}`;
  const hello = (problem?: string) => {
    const h: Hello = { protocol: PROTOCOL, nsh: opts.version, token, ...(problem === undefined ? {} : { problem }) };
    writeOut(`${HELLO}${JSON.stringify(h)}\n`);
  };
  if (!PART.test(opts.part)) {
    hello(`${JSON.stringify(opts.part)} is not the name of a part of a lab`);
    return 2;
  }
  const missing = missingPrivileges();
  if (missing) {
    hello(missing.replace(/: run nsh.*$/, ''));
    return 1;
  }
  const output = new PartOutput(writeOut);
  const backend = linuxBackend({ stdout: output.stream, stderr: errStream, env: opts.env, stdinIsTTY: false }, { inheritStdin: false });
  let server: Server | undefined;
  const interrupted = () => server?.isInterrupted ?? false;
  let lab: Lab;
  try {
    lab = await Lab.open({ name: opts.part, backend, env: opts.env, interrupted, fresh: opts.fresh });
  } catch (e) {
    backend.close();
    if (!(e instanceof LabIsUp)) throw e;
    hello(`lab ${JSON.stringify(opts.part)} is up on this machine from an earlier run`);
    return 1;
  }
  server = new Server(lab, output);
  // this process is recorded as the lab's: `nsh down` ends it if the coordinator was killed meanwhile
  const self = { kind: 'job', pid: process.pid, ...(startTime(process.pid) ? { start: startTime(process.pid)! } : {}) } as const;
  lab.record(self);
  hello();
  const answer = (a: Answer) => writeOut(`${token} ${JSON.stringify(a)}\n`);

  const queue: Request[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const onLine = (text: string) => {
    let req: Request;
    try {
      req = JSON.parse(text) as Request;
    } catch {
      return;
    }
    if ('interrupt' in req) server!.interrupt();
    else queue.push(req);
    wake?.();
  };
  let pending = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
      onLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  });
  process.stdin.on('end', () => {
    // the coordinator is gone: what runs stops, the part stays recorded (nsh down removes it)
    ended = true;
    server!.interrupt();
    wake?.();
  });
  const stop = () => {
    ended = true;
    server!.interrupt();
    wake?.();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', stop);

  try {
    for (;;) {
      const req = queue.shift();
      if (!req) {
        if (ended) break;
        await new Promise<void>(r => (wake = r));
        wake = undefined;
        continue;
      }
      if ('bye' in req) break;
      if ('interrupt' in req) continue;
      if (ended && !('rollback' in req)) break;
      answer(await server.handle(req));
    }
  } finally {
    lab.forget(self);
    lab.close();
    process.stdin.destroy();
  }
  return 0;
}
