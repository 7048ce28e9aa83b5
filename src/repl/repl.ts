/**
 * The REPL (contract section 4): node's `repl` with an eval of its own over the same interpreter
 * and backend as scripts. Each entry is parsed (a `...` prompt while it is incomplete, input.ts),
 * checked by a dry run that sees the session's variables and defs, optionally explained, then
 * run. Entries run one after another even when they arrive at once (a paste, a test's stream).
 * The lab (session-lab.ts) is journaled under its name ("repl" unless --name) and torn down on
 * exit unless --keep. The context (`in NS` alone) is context.ts, history history.ts, the
 * dot-commands commands.ts.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as nodeRepl from 'node:repl';
import type { Backend } from '../backend/backend.js';
import { DeferredBackend } from '../backend/deferred.js';
import { nearest } from '../core/nearest.js';
import { colors, type Colors, type Env, type In, type Out } from '../core/io.js';
import type { Lab } from '../runtime/lab.js';
import type { Statement } from '../syntax/ast.js';
import { renderDiagnostics, sortDiagnostics, type Diagnostic } from '../syntax/diagnostics.js';
import { DOT_COMMANDS, type CommandHost } from './commands.js';
import { complete } from './complete.js';
import { Context, withHint } from './context.js';
import { REPL_COMMANDS } from './help.js';
import { History, HISTORY_KEEP, type Recall } from './history.js';
import { loadPipeline } from './pipeline-load.js';
import { SessionWeb } from './lab-view.js';
import { EntryBuffer, onCtrlD } from './input.js';
import { closeSessionLab, openSessionLab, welcome } from './session-lab.js';
import { RunningTerminal } from './terminal.js';

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
  /** nsh's version, for the welcome line on a terminal. */
  readonly version?: string;
}

export interface Repl {
  /** Resolves with the exit status once the REPL has ended and the lab is torn down. */
  readonly done: Promise<number>;
  /** Ctrl-C: ends the running statement, or abandons the line being typed. */
  interrupt(): void;
  readonly server: nodeRepl.REPLServer | undefined;
}

const MAIN = 'nsh';

class Session implements Repl, CommandHost {
  server: nodeRepl.REPLServer | undefined;
  readonly done: Promise<number>;
  private finishDone!: (code: number) => void;
  private readonly errors: Out;
  private readonly c: Colors;
  /** Set once the lab is open (start()). */
  lab!: Lab;
  private context!: Context;
  private explainOn = false;
  private readonly entry = new EntryBuffer();
  private readonly queue: { run: () => Promise<void>; after: () => void }[] = [];
  private busy = false;
  private idleWaiters: (() => void)[] = [];
  private interruptFlag = false;
  private readonly terminal: RunningTerminal;
  private closed = false;
  private exitCode = 0;
  private readonly history: History;
  readonly web = new SessionWeb();
  readonly labName: string;
  readonly cwd: string;
  readonly privileged: boolean;
  private readonly onSignal = () => this.interrupt(true);
  private readonly onTerm = () => {
    this.exitCode = 130;
    this.server?.close();
  };

  constructor(private readonly opts: ReplOptions) {
    this.done = new Promise(r => (this.finishDone = r));
    this.errors = opts.errors ?? opts.output;
    this.c = colors(opts.output, opts.env);
    this.labName = opts.lab ?? 'repl';
    this.cwd = opts.cwd ?? process.cwd();
    this.privileged = opts.backend !== undefined;
    this.terminal = new RunningTerminal(opts.input, opts.output, () => Boolean(opts.signals && this.server?.terminal && !this.closed));
    this.history = new History(opts.history === false ? undefined : opts.history ?? path.join(opts.env.HOME ?? os.homedir(), '.nsh_history'));
  }

  // ---- output ------------------------------------------------------------------------------------

  say(text: string): void {
    this.opts.output.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  complain(text: string): void {
    this.errors.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  private report(ds: readonly Diagnostic[]): void {
    this.complain(renderDiagnostics(ds, this.c));
  }

  private prompt(): string {
    if (this.entry.open) return '... ';
    const label = this.context?.label;
    return `${this.c.bold(this.c.cyan(MAIN))}${label !== undefined ? this.c.yellow(`(${label})`) : ''}> `;
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
    this.lab = await openSessionLab({
      name: this.labName,
      backend: this.opts.backend,
      env: this.opts.env,
      output: this.opts.output,
      interrupted: () => this.interruptFlag,
    });
    this.context = new Context({ scope: this.lab.scope, env: this.opts.env, exists: name => this.exists(name), check: st => this.lab.check(st) });
    const terminal = this.opts.terminal ?? Boolean(this.opts.input.isTTY && this.opts.output.isTTY);
    if (terminal) this.say(this.c.dim(welcome({ version: this.opts.version, lab: this.labName, keep: this.opts.keep ?? false })));
    if (!this.privileged) {
      this.complain(
        this.c.yellow('nsh: statements that touch the kernel need root (CAP_SYS_ADMIN and CAP_NET_ADMIN): run nsh with sudo, or with --rootless; checking, .explain, let, def and echo work without it'),
      );
    }
    if (this.opts.script) {
      this.busy = true;
      try {
        await this.ready();
        await this.runStatements(this.opts.script, { script: true });
      } finally {
        this.busy = false;
      }
    }
    const server = nodeRepl.start({
      prompt: this.prompt(),
      input: this.opts.input,
      output: this.opts.output,
      terminal,
      useColors: false,
      preview: false,
      // entries are nsh, never JavaScript: no context of its own to evaluate them in (node makes
      // one through the inspector otherwise, a tenth of the time to the first prompt)
      useGlobal: true,
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
        this.enqueue(() => this.line(cmd), () => cb(null)),
    } as nodeRepl.ReplOptions);
    this.server = server;
    for (const k of ['break', 'clear', 'editor', 'help', 'load', 'save']) delete (server.commands as Record<string, unknown>)[k];
    for (const cmd of DOT_COMMANDS) {
      server.defineCommand(cmd.name, {
        help: REPL_COMMANDS[cmd.name] ?? '',
        action: rest =>
          this.enqueue(async () => {
            await this.ready();
            await cmd.run(rest.trim(), this);
          }, () => this.showPrompt()),
      });
    }
    // a mistyped dot-command (`.hlep`): one sentence with the nearest, where node would say
    // "Invalid REPL keyword" (node looks a keyword up in `commands`, and runs what it finds)
    const commands = server.commands as Record<string, nodeRepl.REPLCommand | undefined>;
    (server as unknown as { commands: unknown }).commands = new Proxy(commands, {
      get: (known, key) => (typeof key !== 'string' || key in known ? known[key as string] : this.unknownCommand(key, Object.keys(known))),
    });
    // Ctrl-C: the running statement, or the line being typed; never the REPL itself
    server.removeAllListeners('SIGINT');
    server.on('SIGINT', () => this.interrupt(false));
    // entries go to the history as they run (a block as one); dot-commands as they are typed
    server.on('line', (line: string) => {
      if (line.trimStart().startsWith('.')) this.history.add(line);
    });
    // Ctrl-D in the middle of a block drops the block; it takes its turn after lines typed ahead
    onCtrlD(server, () => {
      if (!this.entry.open && !this.busy) return false;
      this.enqueue(async () => this.endOfEntry(), () => this.showPrompt());
      return true;
    });
    (server as unknown as { history: string[] }).history = this.history.load();
    server.on('exit', () => void this.finish());
    // the parser's and the backend's code load once the prompt is out (an entry typed meanwhile waits for them)
    setImmediate(() => void this.ready().catch(() => undefined));
  }

  private loads: Promise<unknown> | undefined;

  /** What `.KEYWORD` does when no command has that name: says so, with the nearest name. */
  private unknownCommand(keyword: string, names: readonly string[]): nodeRepl.REPLCommand {
    return {
      help: '',
      action: () =>
        this.enqueue(async () => {
          const near = nearest(keyword, names);
          this.complain(`nsh: there is no REPL command .${keyword}${near === undefined ? '' : `; did you mean .${near}?`} (.help lists them)`);
        }, () => this.showPrompt()),
    };
  }

  /**
   * The code an entry needs is loaded: the parser's (pipeline-load.ts) and a DeferredBackend's (the
   * command line's), which load once the first prompt is out; each entry waits for them, and a
   * failure to load fails the entry.
   */
  private ready(): Promise<unknown> {
    const b = this.opts.backend;
    return (this.loads ??= loadPipeline().then(() => (b instanceof DeferredBackend ? b.load() : undefined)));
  }

  private async finish(): Promise<void> {
    this.closed = true;
    await this.idle();
    const open = this.entry.close();
    if (open.length > 0) this.report(open);
    if (this.opts.signals) {
      process.off('SIGINT', this.onSignal);
      process.off('SIGTERM', this.onTerm);
      process.off('SIGHUP', this.onTerm);
    }
    // the live view goes first: it watches the lab's namespaces, and so holds them
    await this.web.close();
    const code = await closeSessionLab(this.lab, { keep: this.opts.keep ?? false }, s => this.complain(s));
    this.finishDone(code || this.exitCode);
  }

  /** Ctrl-D: drops an open entry, or (at the prompt) leaves. */
  private endOfEntry(): void {
    if (!this.entry.open) {
      this.server?.close();
      return;
    }
    this.dropEntry();
    this.say(`\n${this.c.dim('dropped the unfinished entry (Ctrl-D again leaves)')}`);
  }

  /** Ctrl-C (a key, or SIGINT to the process). */
  interrupt(signal = false): void {
    if (signal && !this.terminal.signal()) return;
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
    this.dropEntry();
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
      this.terminal.begin();
      try {
        await job.run();
      } catch (e) {
        this.complain(`nsh: internal error: ${(e as Error).message}`);
      } finally {
        this.terminal.end();
      }
      if (!this.closed) {
        if (this.server) this.server.setPrompt(this.prompt());
        job.after();
      }
    }
    this.busy = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private idle(): Promise<void> {
    return this.busy ? new Promise(r => this.idleWaiters.push(r)) : Promise.resolve();
  }

  // ---- an entry -----------------------------------------------------------------------------------

  /**
   * One line of input (`cmd` ends with a newline). `typed`: the user typed it (the context rule
   * applies, and the entry goes to the history), rather than a dot-command.
   */
  private async line(cmd: string, typed = true): Promise<void> {
    await this.ready();
    if (!this.entry.open && !cmd.trim()) return;
    const complete = this.entry.add(this.entry.open || !typed ? cmd : this.context.apply(cmd), cmd);
    if (!complete) return;
    if (typed) this.history.entry(complete.lines, this.recall());
    const l = complete.loaded;
    const hint = () => this.context.hint(complete.lines);
    if (l.diagnostics.length > 0) {
      this.report(await withHint(sortDiagnostics(l.diagnostics), hint));
      return;
    }
    const statements = l.program.statements;
    const only = statements.length === 1 ? statements[0]! : undefined;
    if (only?.kind === 'in' && only.argv.length === 0 && !only.stdin && !only.background) {
      const problem = this.context.switchTo(only);
      if (problem) this.report([problem]);
      return;
    }
    await this.runStatements(statements, { hint });
    const gone = this.context.gone();
    if (gone) this.say(gone);
  }

  /** Whether a namespace is the lab's or exists on the system. */
  private exists(name: string): boolean {
    return this.lab.namespaces.has(name) || safe(() => this.lab.backend.namespaces?.() ?? []).includes(name);
  }

  /** Checked like a script (with the session's variables and defs), explained if asked, then run. */
  private async runStatements(
    statements: readonly Statement[],
    opts: { readonly script?: boolean; readonly hint?: () => Promise<string | undefined> } = {},
  ): Promise<void> {
    const hint = opts.hint ?? (() => Promise.resolve(undefined));
    const problems = await this.lab.check(statements);
    if (problems.length > 0) {
      this.report(await withHint(problems, hint));
      return;
    }
    if (this.explainOn) {
      const text = (await this.lab.explain(statements)).replace(/^\n+/, '');
      if (text) this.say(this.c.dim(text));
    }
    const outcome = await this.lab.run(statements, opts);
    if (!outcome.ok) this.terminal.failed(outcome.diagnostic.message);
    if (!outcome.ok) {
      if (outcome.interrupted) this.complain(this.c.yellow('interrupted'));
      else this.report(await withHint([outcome.diagnostic], hint));
    }
  }

  // ---- for the dot-commands -------------------------------------------------------------------------

  run(text: string): Promise<void> {
    return this.line(text, false);
  }

  toggleExplain(): boolean {
    return (this.explainOn = !this.explainOn);
  }

  abandonEntry(): void {
    this.dropEntry();
  }

  /** Drops the open entry; its lines stay in the history, as typed. */
  private dropEntry(): void {
    this.history.entry(this.entry.abandon());
  }

  /** The line editor's recall (with a terminal), where node's readline puts each line typed. */
  private recall(): Recall | undefined {
    return this.server?.terminal ? (this.server as unknown as Recall) : undefined;
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
