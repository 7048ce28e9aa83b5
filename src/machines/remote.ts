/**
 * The parts of a lab across machines as the coordinator drives them: a machine's part is `nsh
 * --serve PART` there, over one ssh session (protocol.ts); the coordinator's own part is a Server
 * in its process. Both take requests and give answers.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import type { Io } from '../core/io.js';
import { Demux, LinePrefixer, type Answer, type Hello, type Request } from './protocol.js';
import type { Server } from './serve.js';
import { sshArgv, sshProblem, targetText, type SshTarget } from './ssh.js';

/** A request before it has its number. */
export type RequestBody =
  | { readonly run: string; readonly each?: boolean; readonly collect?: boolean }
  | { readonly rollback: true }
  | { readonly down: true };

export interface Part {
  readonly machine: string;
  request(body: RequestBody): Promise<Answer>;
  /** Ctrl-C: the request running stops. */
  interrupt(): void;
  /** The run is over: the part closes its lab (which stays up) and ends. */
  close(): Promise<void>;
}

/** A machine that could not take its part: one sentence, and a hint. */
export class PartError extends Error {
  constructor(
    readonly machine: string,
    message: string,
    readonly hint?: string,
    /** The machine could not be reached at all (ssh failed): what it holds is unknown. */
    readonly unreachable = false,
  ) {
    super(message);
  }
}

/** The coordinator's own part: a Server in this process. */
export class LocalPart implements Part {
  private id = 0;

  constructor(
    readonly machine: string,
    readonly server: Server,
  ) {}

  request(body: RequestBody): Promise<Answer> {
    return this.server.handle({ id: ++this.id, ...body } as Exclude<Request, { interrupt: true } | { bye: true }>);
  }

  interrupt(): void {
    this.server.interrupt();
  }

  async close(): Promise<void> {}
}

export interface ConnectOptions {
  readonly machine: string;
  readonly target: SshTarget;
  /** The part's lab there. */
  readonly part: string;
  /** The part must not be up there already. */
  readonly fresh: boolean;
  /** nsh's version here: the machine must run the same. */
  readonly version: string;
  readonly io: Pick<Io, 'stdout' | 'stderr'>;
}

/** A machine's part: `nsh --serve PART` over ssh. */
export class RemotePart implements Part {
  readonly machine: string;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  private ended: Error | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    machine: string,
    exited: Promise<void>,
  ) {
    this.machine = machine;
    this.exited = exited;
  }

  /** Starts the part; rejects with a PartError when the machine cannot take it. */
  static connect(o: ConnectOptions): Promise<RemotePart> {
    const command = ['nsh', '--serve', o.part, ...(o.fresh ? ['--fresh'] : [])];
    const child = spawn('ssh', sshArgv(o.target, command), { stdio: ['pipe', 'pipe', 'pipe'] });
    let hello: Hello | undefined;
    let unexpected: string | undefined;
    let early = '';
    let part: RemotePart | undefined;
    const errors = new LinePrefixer(`${o.machine}: `, t => o.io.stderr.write(t));
    return new Promise<RemotePart>((resolve, reject) => {
      const demux = new Demux({
        output: t => o.io.stdout.write(t),
        hello: h => {
          hello = h;
          if (h.problem !== undefined) return; // the machine ends; the exit says it
          if (h.nsh !== o.version) {
            child.stdin?.end();
            return;
          }
          errors.push(early);
          early = '';
          resolve(part!);
        },
        answer: a => part?.answered(a),
        unexpected: line => (unexpected ??= line),
      });
      const exited = new Promise<void>(done => {
        child.once('close', (code, signal) => {
          demux.end();
          errors.end();
          const why = () => connectError(o, { code, signal, stderr: early, hello, unexpected });
          if (!hello || hello.problem !== undefined || hello.nsh !== o.version) {
            void why().then(reject);
          }
          part?.gone(new PartError(o.machine, `the connection to machine ${o.machine} ended${code ? ` (${sshProblem(early) || `status ${code}`})` : ''}`));
          done();
        });
      });
      child.once('error', e => reject(new PartError(o.machine, `ssh could not be started: ${e.message}`, 'nsh reaches machines with OpenSSH: install its client (ssh)')));
      part = new RemotePart(child, o.machine, exited);
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (d: string) => demux.push(d));
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (d: string) => {
        if (hello && hello.problem === undefined && hello.nsh === o.version) errors.push(d);
        else early += d;
      });
      child.stdin!.on('error', () => {}); // the machine went away: its exit says why
    });
  }

  private answered(a: Answer): void {
    const p = this.pending.get(a.id);
    if (!p) return;
    this.pending.delete(a.id);
    p.resolve(a);
  }

  private gone(e: Error): void {
    this.ended = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private send(r: Request): void {
    this.child.stdin?.write(`${JSON.stringify(r)}\n`);
  }

  request(body: RequestBody): Promise<Answer> {
    if (this.ended) return Promise.reject(this.ended);
    const id = ++this.nextId;
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ id, ...body } as Request);
    });
  }

  interrupt(): void {
    if (!this.ended) this.send({ interrupt: true });
  }

  async close(): Promise<void> {
    if (!this.ended) {
      this.send({ bye: true });
      this.child.stdin?.end();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise<void>(r => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
  }
}

/** Why a machine could not take its part, in one sentence. */
async function connectError(
  o: ConnectOptions,
  r: { code: number | null; signal: NodeJS.Signals | null; stderr: string; hello: Hello | undefined; unexpected: string | undefined },
): Promise<PartError> {
  const m = o.machine;
  if (r.hello?.problem !== undefined) return new PartError(m, `machine ${m}: ${r.hello.problem}`);
  if (r.hello && r.hello.nsh !== o.version) {
    return new PartError(m, `machine ${m} has nsh ${r.hello.nsh}; this is nsh ${o.version}`, 'install the same version of nsh on every machine');
  }
  if (r.code === 255) {
    return new PartError(m, `machine ${m} (${targetText(o.target)}) cannot be reached: ${sshProblem(r.stderr)}`, 'nsh uses your ssh configuration and keys, without a password (BatchMode)', true);
  }
  if (r.code === 127 || /nsh: (command )?not found/.test(r.stderr)) {
    return new PartError(m, `machine ${m} has no nsh on its PATH`, `install nsh ${o.version} there`);
  }
  // an nsh that does not know --serve: say which version it is
  const there = await remoteVersion(o);
  const said = sshProblem(r.stderr);
  return new PartError(
    m,
    `the nsh on machine ${m} cannot serve a part of the lab${there ? ` (it is nsh ${there}; this is nsh ${o.version})` : ''}: ${said}`,
    `install nsh ${o.version} there`,
  );
}

function remoteVersion(o: ConnectOptions): Promise<string | undefined> {
  return new Promise(resolve => {
    execFile('ssh', sshArgv(o.target, ['nsh', '--version']), { timeout: 15_000 }, (err, out) => {
      const v = err ? undefined : /^nsh (\S+)/m.exec(out)?.[1];
      resolve(v);
    });
  });
}
