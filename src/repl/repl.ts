/**
 * The REPL (contract section 4): node's `repl` with an eval of its own over the same interpreter
 * and backend as scripts. Each entry is parsed (a `...` prompt while it is incomplete), checked by
 * a dry run that sees the session's variables and defs, optionally explained, then run. Entries
 * run one after another even when they arrive at once (a paste, a test's stream). The lab is
 * journaled under its name ("repl" unless --name) and torn down on exit unless --keep.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as nodeRepl from 'node:repl';
import type { Backend } from '../backend/backend.js';
import { UnprivilegedBackend } from '../backend/unprivileged.js';
import { colorOn, colors, type Colors, type Env, type In, type Out } from '../core/io.js';
import { loadInline } from '../pipeline.js';
import { expandWord } from '../runtime/expand.js';
import { DiagnosticError } from '../runtime/errors.js';
import { Lab, objectCount, teardownSentences } from '../runtime/lab.js';
import type { InStmt, Statement } from '../syntax/ast.js';
import { error, renderDiagnostics, sortDiagnostics, type Diagnostic, type Painter } from '../syntax/diagnostics.js';
import { statementKeywordNames } from '../syntax/keywords.js';
import { checkNsName, isProblem } from '../syntax/values.js';
import { complete } from './complete.js';
import { helpAll, helpFor, REPL_COMMANDS } from './help.js';
import { renderSave } from './save.js';

export interface ReplOptions {
  readonly input: In;
  readonly output: Out;
  /** Where errors go (default: output). */
  readonly errors?: Out;
  readonly env: Env;
  /** The backend statements act through (the command line gives the Linux one; default: one that refuses, for a user without root). */
  readonly backend?: Backend;
  /** Line editing, completion on Tab, Ctrl-C as a key (default: input and output are terminals). */
  readonly terminal?: boolean;
  /** The lab's name (default "repl"). */
  readonly lab?: string;
  /** Keep the lab on exit. */
  readonly keep?: boolean;
  /** Statements run before the first prompt (`nsh -i FILE`). */
  readonly script?: readonly Statement[];
  /** The history file; false for none (default ~/.nsh_history, after $HOME). */
  readonly history?: string | false;
  /** Handle SIGINT / SIGTERM of the process (the command line does; tests do not). */
  readonly signals?: boolean;
  readonly cwd?: string;
}

export interface Repl {
  /** Resolves with the exit status once the REPL has ended and the lab is torn down. */
  readonly done: Promise<number>;
  /** Ctrl-C: ends the running statement, or abandons the line being typed. */
  interrupt(): void;
  readonly server: nodeRepl.REPLServer | undefined;
}

const HISTORY_KEEP = 1000;
const MAIN = 'nsh';

class Session implements Repl {
  server: nodeRepl.REPLServer | undefined;
  readonly done: Promise<number>;
  private finishDone!: (code: number) => void;
  private readonly errors: Out;
  private readonly c: Colors;
  private readonly paint: Painter;
  /** Set once the lab is open (start()). */
  private lab!: Lab;
  private explainOn = false;
  /** The namespace bare commands run in: its name for the prompt, and the NSREF text to prefix. */
  private context: { label: string; ref: string; name?: string } | undefined;
  /** An entry not yet complete (`for … {` awaiting its `}`). */
  private buffer = '';
  private readonly queue: { run: () => Promise<void>; after: () => void }[] = [];
  private busy = false;
  private idleWaiters: (() => void)[] = [];
  private interruptFlag = false;
  private closed = false;
  private exitCode = 0;
  private readonly historyFile: string | undefined;
  private lastHistory: string | undefined;
  private readonly labName: string;
  private readonly cwd: string;
  private readonly onSignal = () => this.interrupt(true);
  private readonly onTerm = () => {
    this.exitCode = 130;
    this.server?.close();
  };

  constructor(private readonly opts: ReplOptions) {
    this.done = new Promise(r => (this.finishDone = r));
    this.errors = opts.errors ?? opts.output;
    this.c = colors(opts.output, opts.env);
    this.paint = this.c;
    this.labName = opts.lab ?? 'repl';
    this.cwd = opts.cwd ?? process.cwd();
    this.historyFile = opts.history === false ? undefined : opts.history ?? path.join(opts.env.HOME ?? os.homedir(), '.nsh_history');
  }

  // ---- output ------------------------------------------------------------------------------------

  private say(text: string): void {
    this.opts.output.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  private complain(text: string): void {
    this.errors.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  private report(ds: readonly Diagnostic[]): void {
    this.complain(renderDiagnostics(ds, this.paint));
  }

  private prompt(): string {
    if (this.buffer) return '... ';
    const ctx = this.context ? this.c.yellow(`(${this.context.label})`) : '';
    return `${this.c.bold(this.c.cyan(MAIN))}${ctx}> `;
  }

  private showPrompt(): void {
    if (this.closed || !this.server) return;
    this.server.setPrompt(this.prompt());
    this.server.displayPrompt();
  }

  // ---- start and end -------------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.opts.signals) {
      process.on('SIGINT', this.onSignal);
      process.on('SIGTERM', this.onTerm);
      process.on('SIGHUP', this.onTerm);
    }
    this.lab = await Lab.open({
      name: this.labName,
      backend: this.opts.backend ?? new UnprivilegedBackend(this.opts.output),
      // a backend that refuses everything makes nothing to record
      journal: this.opts.backend !== undefined,
      env: this.opts.env,
      interrupted: () => this.interruptFlag,
    });
    if (!this.opts.backend) {
      this.complain(
        this.c.yellow('nsh: statements that touch the kernel need root (CAP_SYS_ADMIN and CAP_NET_ADMIN): run nsh with sudo, or with --rootless; checking, .explain, let, def and echo work without it'),
      );
    }
    if (this.opts.script) {
      this.busy = true;
      try {
        await this.runStatements(this.opts.script, { script: true });
      } finally {
        this.busy = false;
      }
    }
    const terminal = this.opts.terminal ?? Boolean(this.opts.input.isTTY && this.opts.output.isTTY);
    const server = nodeRepl.start({
      prompt: this.prompt(),
      input: this.opts.input,
      output: this.opts.output,
      terminal,
      useColors: false,
      preview: false,
      ignoreUndefined: true,
      historySize: HISTORY_KEEP,
      completer: (line: string) =>
        complete(line, {
          namespaces: () => [...new Set([...this.lab.namespaces, ...safe(() => this.lab.backend.namespaces?.() ?? [])])],
          interfaces: ns => safe(() => this.lab.backend.interfaces?.(ns) ?? []),
          variables: () => this.lab.scope.names(),
          defs: () => this.lab.scope.defNames(),
          cwd: this.cwd,
        }),
      eval: (cmd: string, _context: unknown, _file: string, cb: (e: Error | null, r?: unknown) => void) =>
        this.enqueue(() => this.entry(cmd), () => cb(null)),
    } as nodeRepl.ReplOptions);
    this.server = server;
    for (const k of ['break', 'clear', 'editor', 'help', 'load', 'save']) delete (server.commands as Record<string, unknown>)[k];
    const command = (name: string, action: (rest: string) => Promise<void> | void) =>
      server.defineCommand(name, {
        help: REPL_COMMANDS[name]!,
        action: rest => this.enqueue(async () => action(rest.trim()), () => this.showPrompt()),
      });
    command('help', rest => this.help(rest));
    command('explain', () => {
      this.explainOn = !this.explainOn;
      this.say(this.explainOn ? 'explain is on: each line is shown as iproute2 commands before it runs' : 'explain is off');
    });
    command('save', rest => this.save(rest));
    command('show', rest => this.entry(`show ${rest}\n`, false));
    command('break', () => {
      this.buffer = '';
    });
    // Ctrl-C: the running statement, or the line being typed; never the REPL itself
    server.removeAllListeners('SIGINT');
    server.on('SIGINT', () => this.interrupt(false));
    server.on('line', (line: string) => this.remember(line));
    this.loadHistory(server);
    server.on('exit', () => void this.finish());
  }

  private async finish(): Promise<void> {
    this.closed = true;
    await this.idle();
    if (this.buffer.trim()) {
      const l = loadInline('repl', this.buffer);
      this.report(sortDiagnostics(l.diagnostics));
      this.buffer = '';
    }
    if (this.opts.signals) {
      process.off('SIGINT', this.onSignal);
      process.off('SIGTERM', this.onTerm);
      process.off('SIGHUP', this.onTerm);
    }
    let code = this.exitCode;
    try {
      if (this.opts.keep) {
        if (this.lab.isUp) this.complain(`nsh: lab "${this.labName}" is up; \`nsh down ${this.labName}\` removes it`);
      } else {
        const r = await this.lab.teardown('run');
        for (const f of teardownSentences(r)) this.complain(`nsh: ${f}`);
        if (r.failed.length > 0) code = 1;
        else if (r.removed > 0) this.complain(`nsh: removed what this session made (${objectCount(r.removed)})`);
      }
      this.lab.close();
    } catch (e) {
      this.complain(`nsh: ${(e as Error).message}`);
      code = 1;
    }
    this.finishDone(code);
  }

  /** Ctrl-C (a key, or SIGINT to the process). */
  interrupt(signal = false): void {
    if (this.busy) {
      // a key in raw mode; with the terminal cooked while a statement runs, the terminal echoes ^C
      if (this.server?.terminal) this.opts.output.write(signal ? '\n' : '^C\n');
      this.interruptFlag = true;
      this.lab.interrupt();
      // lines typed ahead are dropped with the statement
      this.queue.length = 0;
      return;
    }
    if (signal && !this.server?.terminal) {
      this.exitCode = 130;
      this.server?.close();
      return;
    }
    this.buffer = '';
    if (this.server && !this.closed) {
      (this.server as unknown as { clearLine(): void }).clearLine();
      this.showPrompt();
    }
  }

  // ---- one entry after another ---------------------------------------------------------------------

  private enqueue(run: () => Promise<void>, after: () => void): void {
    this.queue.push({ run, after });
    if (!this.busy) void this.pump();
  }

  private async pump(): Promise<void> {
    this.busy = true;
    while (this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.interruptFlag = false;
      const cooked = this.cookTerminal(true);
      try {
        await job.run();
      } catch (e) {
        this.complain(`nsh: internal error: ${(e as Error).message}`);
      } finally {
        if (cooked) this.cookTerminal(false);
      }
      if (!this.closed) {
        if (this.server) this.server.setPrompt(this.prompt());
        job.after();
      }
    }
    this.busy = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /**
   * While a statement runs, the terminal is taken out of raw mode, as a shell does: Ctrl-C then
   * sends SIGINT to the whole foreground group (nsh and the programs it runs, with their children).
   * Only where nsh handles the process's signals (the command line).
   */
  private cookTerminal(cook: boolean): boolean {
    const input = this.opts.input as In & { setRawMode?: (raw: boolean) => void; isRaw?: boolean };
    if (!this.opts.signals || !this.server?.terminal || !input.isTTY || !input.setRawMode || this.closed) return false;
    if (cook && !input.isRaw) return false;
    input.setRawMode(!cook);
    return true;
  }

  private idle(): Promise<void> {
    return this.busy ? new Promise(r => this.idleWaiters.push(r)) : Promise.resolve();
  }

  // ---- an entry -----------------------------------------------------------------------------------

  /** One line of input (`cmd` ends with a newline); with `bare`, the context rule applies. */
  private async entry(cmd: string, bare = true): Promise<void> {
    if (!this.buffer && !cmd.trim()) return;
    const text = this.buffer ? this.buffer + cmd : bare ? this.inContext(cmd) : cmd;
    const l = loadInline('repl', text);
    // a line ending in a backslash goes on on the next one
    if (l.incomplete || /(^|[^\\])(\\\\)*\\\r?\n$/.test(text)) {
      this.buffer = text;
      return;
    }
    this.buffer = '';
    if (l.diagnostics.length > 0) {
      this.report(sortDiagnostics(l.diagnostics));
      return;
    }
    const statements = l.program.statements;
    const only = statements.length === 1 ? statements[0]! : undefined;
    if (only?.kind === 'in' && only.argv.length === 0 && !only.stdin && !only.background) {
      this.switchContext(only);
      return;
    }
    await this.runStatements(statements);
    this.checkContext();
  }

  /** The context rule: in NS, a line that does not start with a statement keyword or def name runs as `in NS LINE`. */
  private inContext(line: string): string {
    if (!this.context) return line;
    const first = /^\s*([^\s;{}&<>|]+)/.exec(line)?.[1];
    if (first === undefined || first.startsWith('#') || first.startsWith('!') || first === '}') return line;
    if (statementKeywordNames.includes(first) || this.lab.scope.lookup(first)) return line;
    return `in ${this.context.ref} ${line.trimStart()}`;
  }

  private switchContext(s: InStmt): void {
    const r = s.ref;
    if (r.kind !== 'name') {
      const text = r.span.source.text.slice(r.span.start, r.span.end);
      this.context = { label: text, ref: text };
      return;
    }
    let name: string;
    try {
      name = expandWord(r.name, { scope: this.lab.scope, env: this.opts.env });
    } catch (e) {
      if (e instanceof DiagnosticError) this.report([e.diagnostic]);
      return;
    }
    const bad = checkNsName(name, { allowHost: true });
    if (isProblem(bad)) {
      this.report([error(bad.problem, r.name.span, bad.hint)]);
      return;
    }
    if (name === 'host') {
      this.context = undefined;
      return;
    }
    if (!this.exists(name)) {
      this.report([error(`namespace ${JSON.stringify(name)} does not exist`, r.name.span, `create it first with \`ns ${name}\``)]);
      return;
    }
    this.context = { label: name, ref: name, name };
  }

  /** A context namespace that went away (`del a`) ends the context. */
  private checkContext(): void {
    const name = this.context?.name;
    if (name !== undefined && !this.exists(name)) {
      this.say(`namespace "${name}" is gone; back in the host namespace`);
      this.context = undefined;
    }
  }

  /** Whether a namespace is the lab's or exists on the system. */
  private exists(name: string): boolean {
    return this.lab.namespaces.has(name) || safe(() => this.lab.backend.namespaces?.() ?? []).includes(name);
  }

  /** Checked like a script (with the session's variables and defs), explained if asked, then run. */
  private async runStatements(statements: readonly Statement[], opts: { script?: boolean } = {}): Promise<void> {
    const problems = await this.lab.check(statements);
    if (problems.length > 0) {
      this.report(problems);
      return;
    }
    if (this.explainOn) {
      const text = (await this.lab.explain(statements)).replace(/^\n+/, '');
      if (text) this.say(this.c.dim(text));
    }
    const outcome = await this.lab.run(statements, opts);
    if (!outcome.ok) {
      if (outcome.interrupted) this.complain(this.c.yellow('interrupted'));
      else this.report([outcome.diagnostic]);
    }
  }

  // ---- REPL commands --------------------------------------------------------------------------------

  private help(rest: string): void {
    if (!rest) {
      this.say(helpAll());
      return;
    }
    const text = helpFor(rest.replace(/^\./, ''));
    this.say(text ?? `there is no statement ${JSON.stringify(rest)}; .help lists them`);
  }

  private async save(rest: string): Promise<void> {
    const file = rest.replace(/^(["'])(.*)\1$/, '$2');
    if (!file) {
      this.complain('usage: .save FILE');
      return;
    }
    if (!this.lab.backend.snapshot || !this.opts.backend) {
      this.complain('nsh: .save reads the lab back from the kernel, which needs root');
      return;
    }
    const lab = [...this.lab.namespaces];
    const snap = await this.lab.backend.snapshot(lab);
    const hostLinks = new Set(
      this.lab.objects().flatMap(o => (o.kind === 'link' && o.at.kind === 'name' && o.at.name === 'host' ? [o.ifname] : [])),
    );
    const text = renderSave(snap, { lab: this.labName, hostLinks });
    const target = path.resolve(this.cwd, file);
    try {
      fs.writeFileSync(target, text);
    } catch (e) {
      this.complain(`nsh: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    this.say(`saved ${lab.length} namespace${lab.length === 1 ? '' : 's'} to ${file}`);
  }

  // ---- history -----------------------------------------------------------------------------------

  private loadHistory(server: nodeRepl.REPLServer): void {
    if (!this.historyFile) return;
    try {
      const all = fs.readFileSync(this.historyFile, 'utf8').split('\n').filter(Boolean);
      const lines = all.slice(-HISTORY_KEEP);
      // the file is appended to; it is cut back to what is recalled once it holds twice that
      if (all.length > 2 * HISTORY_KEEP) fs.writeFileSync(this.historyFile, `${lines.join('\n')}\n`, { mode: 0o600 });
      this.lastHistory = lines[lines.length - 1];
      (server as unknown as { history: string[] }).history = lines.reverse();
    } catch {
      /* no history yet */
    }
  }

  private remember(line: string): void {
    if (!this.historyFile || !line.trim() || line === this.lastHistory) return;
    this.lastHistory = line;
    try {
      fs.appendFileSync(this.historyFile, `${line}\n`, { mode: 0o600 });
    } catch {
      /* history is a convenience */
    }
  }
}

function safe<T>(f: () => T[]): T[] {
  try {
    return f();
  } catch {
    return [];
  }
}

/** Starts the REPL; `done` resolves with the exit status after the lab is torn down. */
export function startRepl(opts: ReplOptions): Repl {
  const s = new Session(opts);
  s.start().catch(e => {
    (opts.errors ?? opts.output).write(`nsh: internal error: ${(e as Error).message}\n`);
  });
  return s;
}
