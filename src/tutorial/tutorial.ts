/**
 * `nsh tutorial`: the classic network-namespace walk as a guided session, one step per example
 * script (examples/walkthrough, read by script.ts). Each step explains, then offers its
 * statements one at a time with the classic commands they stand for: the learner types each
 * (Enter alone runs the one shown; any other line runs as typed), and its output follows the
 * line that ran it. When a step's statements have run, its lab stays up while the tutorial
 * pauses, for the learner to look around (`show`, `in NS …`); Enter goes on and the lab goes.
 * `--auto` runs every step without waiting; `from` starts at a later step.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { colors, line, type Colors, type Io } from '../core/io.js';
import { downLab, teardownSentences } from '../runtime/lab.js';
import { listLabs } from '../runtime/journal.js';
import { linuxBackend } from '../lab-commands.js';
import { checkLoaded, loadInline, loadScript } from '../pipeline.js';
import { complete } from '../repl/complete.js';
import { RunningTerminal } from '../repl/terminal.js';
import type { Statement } from '../syntax/ast.js';
import { renderDiagnostics, type Diagnostic } from '../syntax/diagnostics.js';
import { Prompt } from './prompt.js';
import { readStep, type Item, type Note } from './script.js';
import { StepLab, TUTORIAL_LAB, type RunResult } from './step-lab.js';
import { STEPS, type Step } from './steps.js';

export { TUTORIAL_LAB };

export interface TutorialIo extends Io {
  readonly stdin: NonNullable<Io['stdin']>;
}

export interface TutorialOptions {
  /** Run every step without waiting. */
  readonly auto: boolean;
  /**
   * The steps run in the machine's own namespaces (--host): say first what they change there,
   * and go on only if the answer is yes. Otherwise nsh runs inside the tutorial's sandbox.
   */
  readonly host?: boolean;
  /** The step to start at (default 1). */
  readonly from?: number;
  /** Where the example scripts are (default: examples/walkthrough of the package). */
  readonly dir?: string;
  readonly steps?: readonly Step[];
}

/**
 * examples/walkthrough of the package: from the bundle (dist/cli.cjs) it is ../examples/walkthrough;
 * from the compiled sources (build/src/tutorial/) a few levels further up.
 */
export function examplesDir(from: string = import.meta.url): string | undefined {
  let dir = path.dirname(fileURLToPath(from));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'examples', 'walkthrough');
    if (fs.existsSync(path.join(candidate, STEPS[0]!.file))) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

/** Removes what the lab "tutorial" still holds (a session killed earlier, say). */
async function clearLab(io: Io, complain: (s: string) => void): Promise<boolean> {
  if (!listLabs().includes(TUTORIAL_LAB)) return true;
  const backend = linuxBackend(io, { inheritStdin: false });
  try {
    const r = await downLab(backend, TUTORIAL_LAB);
    for (const s of teardownSentences(r)) complain(`nsh: ${s}`);
    return r.failed.length === 0;
  } finally {
    backend.close();
  }
}

/** How the tutorial ends: all steps done, the learner quit, a step failed (--auto), Ctrl-C. */
type End = 'done' | 'quit' | 'failed' | 'interrupted';

class Tutorial {
  private readonly c: Colors;
  private readonly prompt: Prompt | undefined;
  private readonly terminal: RunningTerminal;
  private lab: StepLab | undefined;
  /** A statement is running (Ctrl-C ends it, not the tutorial). */
  private running = false;

  constructor(
    private readonly io: TutorialIo,
    private readonly opts: TutorialOptions,
  ) {
    this.c = colors(io.stdout, io.env);
    this.prompt = opts.auto && !opts.host ? undefined : new Prompt(io.stdin, io.stdout, line => (this.lab ? complete(line, this.lab.world(process.cwd())) : [[], line]));
    this.terminal = new RunningTerminal(io.stdin, io.stdout, () => this.prompt?.terminal ?? false);
  }

  say(s = ''): void {
    this.io.stdout.write(`${s}\n`);
  }

  /** Ctrl-C (SIGINT): ends the running statement, or the tutorial at a prompt. */
  readonly onSignal = (): void => {
    if (!this.terminal.signal()) return;
    if (this.running) {
      if (this.prompt?.terminal) this.io.stdout.write('\n');
      this.lab?.interrupt();
    } else if (this.prompt) this.prompt.cancel();
    else this.stopped = true;
  };
  /** Ctrl-C between two statements of --auto. */
  private stopped = false;

  close(): void {
    this.prompt?.close();
  }

  /** --host: what the steps change outside their own namespaces, and whether to go on. */
  async agreed(steps: readonly Step[]): Promise<boolean> {
    this.say("nsh tutorial --host runs the steps in this machine's own namespaces. Besides namespaces of");
    this.say('its own, it changes:');
    for (const [i, s] of steps.entries()) if (s.host && i + 1 >= (this.opts.from ?? 1)) this.say(`  step ${i + 1}: ${s.host}`);
    this.say('Each step removes what it made when it ends. Without --host the tutorial runs in a sandbox');
    this.say('of its own and changes nothing here.');
    if (/^y(es)?$/i.test((await this.prompt!.ask('Go on? [y/N] '))?.trim() ?? '')) return true;
    this.say('Nothing was changed.');
    return false;
  }

  intro(): void {
    const c = this.c;
    this.say(c.bold('nsh tutorial: network namespaces, step by step'));
    this.say('Each step explains, then shows the classic commands and the nsh statement that does the same.');
    if (!this.opts.auto) {
      this.say('Type the statement, or press Enter to run it as shown (↑ brings it back to edit). When a');
      this.say("step's statements have run, its lab stays up for you to look around; Enter goes on, q quits.");
    }
    this.say(`Everything a step makes is removed when it ends (the lab is called "${TUTORIAL_LAB}").`);
    if (!this.opts.host) {
      this.say('It all happens in a sandbox of its own, which needs no root and leaves this machine as it');
      this.say('was: there, "host" is the sandbox\'s network namespace and PID 1 its first process.');
    }
  }

  private notes(notes: readonly Note[]): void {
    for (const n of notes) this.say(n.kind === 'classic' ? this.c.dim(`      ${n.text}`) : n.text ? `  ${n.text}` : '');
  }

  /** One step: its header, its statements, the pause; the lab goes at the end. */
  async step(n: number, of: number, file: string, statements: ReadonlyMap<number, Statement>): Promise<End | undefined> {
    const script = readStep(fs.readFileSync(file, 'utf8'));
    this.say();
    this.say(this.c.bold(`── Step ${n}/${of}: ${script.title}`));
    this.say();
    this.notes(script.about);
    this.lab = await StepLab.open(this.io);
    let end: End | undefined;
    let removed: number | undefined;
    try {
      end = await this.statements(n, script.items, statements);
      if (!end && this.prompt && !this.opts.auto) end = await this.pause(n, of);
    } finally {
      removed = await this.lab.close();
      this.lab = undefined;
    }
    if (removed === undefined) return end ?? 'failed';
    if (removed > 0 && !this.opts.auto) this.say(this.c.dim(`  (what step ${n} made is removed)`));
    return end;
  }

  private async statements(n: number, items: readonly Item[], statements: ReadonlyMap<number, Statement>): Promise<End | undefined> {
    for (const item of items) {
      if (this.stopped) return 'interrupted';
      if (item.notes.length > 0) this.say();
      const end = await this.item(n, item, statements.get(item.line)!);
      if (end) return end;
    }
    return undefined;
  }

  private promptText(n: number): string {
    return `${this.c.cyan(`step ${n}`)}> `;
  }

  /** A statement: shown, typed (or Enter), run; its output follows the line that ran it. */
  private async item(n: number, item: Item, statement: Statement): Promise<End | undefined> {
    this.notes(item.notes);
    const p = this.promptText(n);
    if (!this.prompt || this.opts.auto) {
      this.say(`${p}${item.statement}`);
      const r = await this.run([statement]);
      if (r === 'interrupted') return 'interrupted';
      return r === 'ran' ? undefined : 'failed';
    }
    this.say(`  ${this.c.cyan(item.statement)}`);
    for (;;) {
      const answer = await this.prompt.ask(p, item.statement);
      if (answer === undefined) return this.prompt.interrupted ? 'interrupted' : 'quit';
      if (answer.trim() === 'q') return 'quit';
      if (answer.trim() === item.statement) {
        // the script's own statement: its errors point into the script
        await this.run([statement]);
        return undefined;
      }
      // a line that failed goes on to the next statement too; one with a mistake ran nothing
      if ((await this.typed(answer)) !== 'refused') return undefined;
      this.say(this.c.dim('  nothing ran: type it again, or press Enter for the statement shown'));
    }
  }

  /** After a step's statements: its lab stays up until Enter; typed statements run in it. */
  private async pause(n: number, of: number): Promise<End | undefined> {
    const ns = this.lab!.namespaces[0];
    this.say();
    this.say(this.c.dim(`  Step ${n} is done. Its lab stays up until you go on: look around with show${ns ? `, or in ${ns} ip -br addr` : ''}.`));
    this.say(this.c.dim(`  Enter ${n < of ? `goes on to step ${n + 1}` : 'ends the tutorial'}, q quits.`));
    for (;;) {
      const answer = await this.prompt!.ask(this.promptText(n));
      if (answer === undefined) return this.prompt!.interrupted ? 'interrupted' : 'quit';
      if (answer.trim() === 'q') return 'quit';
      if (answer.trim() === '') return undefined;
      await this.typed(answer);
    }
  }

  /** A line the learner typed: run as typed (in `in NS` alone, a command is missing). */
  private async typed(line: string): Promise<RunResult> {
    const l = loadInline('tutorial', `${line}\n`);
    if (l.diagnostics.length > 0) {
      this.report(l.diagnostics);
      return 'refused';
    }
    const only = l.program.statements.length === 1 ? l.program.statements[0] : undefined;
    if (only?.kind === 'in' && only.argv.length === 0) {
      this.say(this.c.dim('  here `in NS` takes a command: in NS CMD …'));
      return 'refused';
    }
    return this.run(l.program.statements);
  }

  private async run(statements: readonly Statement[]): Promise<RunResult> {
    this.running = true;
    this.terminal.begin();
    try {
      return await this.lab!.run(statements, m => this.terminal.failed(m));
    } finally {
      this.terminal.end();
      this.running = false;
    }
  }

  report(ds: readonly Diagnostic[]): void {
    this.io.stderr.write(`${renderDiagnostics(ds, colors(this.io.stderr, this.io.env))}\n`);
  }
}

/** Runs the tutorial; resolves to the exit status (0 done or quit, 1 a step failed, 2 a script has errors, 130 Ctrl-C). */
export async function runTutorial(io: TutorialIo, opts: TutorialOptions): Promise<number> {
  const complain = (s: string) => line(io.stderr, s);
  const dir = opts.dir ?? examplesDir();
  if (dir === undefined) {
    complain("nsh: the tutorial's scripts (examples/walkthrough) are not installed next to nsh");
    return 1;
  }
  const steps = opts.steps ?? STEPS;
  if (listLabs().includes(TUTORIAL_LAB)) {
    complain('nsh: removing what an earlier tutorial left behind');
    if (!(await clearLab(io, complain))) return 1;
  }
  const t = new Tutorial(io, opts);
  process.on('SIGINT', t.onSignal);
  process.on('SIGTERM', t.onSignal);
  let end: End | undefined;
  let at = opts.from ?? 1;
  try {
    if (opts.host && !(await t.agreed(steps))) return 1;
    t.intro();
    for (; at <= steps.length && !end; at++) {
      const file = path.join(dir, steps[at - 1]!.file);
      const loaded = loadScript(file);
      const problems = await checkLoaded(loaded, { env: io.env });
      if (problems.length > 0) {
        t.report(problems);
        return 2;
      }
      const byLine = new Map(loaded.program.statements.map(s => [s.span.line, s] as const));
      end = await t.step(at, steps.length, file, byLine);
    }
  } finally {
    process.off('SIGINT', t.onSignal);
    process.off('SIGTERM', t.onSignal);
    t.close();
    // every step tears its lab down; this is the safety net for anything a failure left
    if (!(await clearLab(io, complain)) && !end) end = 'failed';
  }
  const step = at - 1;
  if (end === 'interrupted') return 130;
  if (end === 'failed') {
    complain(`nsh: step ${step} (${steps[step - 1]!.file}) failed`);
    return 1;
  }
  if (end === 'quit') {
    t.say();
    t.say(`Stopped. \`nsh tutorial ${step}\` starts again at step ${step}.`);
    return 0;
  }
  t.say();
  t.say(colors(io.stdout, io.env).bold('That was the whole walk. Each step is a script in examples/walkthrough: `nsh --explain FILE`'));
  t.say(colors(io.stdout, io.env).bold('shows one as iproute2 commands, `sudo nsh --rm FILE` runs it on this machine, and'));
  t.say(colors(io.stdout, io.env).bold('`nsh tutorial N` comes back to step N.'));
  return 0;
}
