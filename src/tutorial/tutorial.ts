/**
 * `nsh tutorial`: the classic network-namespace walk as a guided session. Each step explains,
 * shows the classic commands and the nsh statements, and runs its example script as the lab
 * "tutorial" through runLab (the same interpreter, Linux backend and journal as `nsh --rm FILE`),
 * so every step leaves nothing behind. Enter goes on, `q` (or end of input, or Ctrl-C) quits;
 * `--auto` runs every step without waiting.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { colors } from '../core/io.js';
import { downLab, teardownSentences } from '../runtime/lab.js';
import { listLabs } from '../runtime/journal.js';
import { linuxBackend, runLab } from '../lab-commands.js';
import { checkLoaded, loadScript } from '../pipeline.js';
import { renderDiagnostics } from '../syntax/diagnostics.js';
import { STEPS, type Step } from './steps.js';

export const TUTORIAL_LAB = 'tutorial';

export interface TutorialIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface TutorialOptions {
  /** Run every step without waiting for Enter. */
  readonly auto: boolean;
  /**
   * The steps run in the machine's own namespaces (--host): say first what they change there,
   * and go on only if the answer is yes. Otherwise nsh runs inside the tutorial's sandbox.
   */
  readonly host?: boolean;
  /** Where the example scripts are (default: examples/walkthrough of the package). */
  readonly dir?: string;
  readonly steps?: readonly Step[];
}

/**
 * examples/walkthrough of the package: from the bundle (dist/cli.js) it is ../examples/walkthrough;
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

/** The statements of a script: its lines without comments and blank lines. */
export function statementLines(text: string): string[] {
  return text.split('\n').filter(l => l.trim() !== '' && !l.trimStart().startsWith('#'));
}

/** Lines of standard input, one at a time; undefined at its end. */
class Lines {
  private readonly queue: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private ended = false;
  private readonly rl: readline.Interface;

  constructor(input: NodeJS.ReadableStream) {
    this.rl = readline.createInterface({ input, terminal: false });
    this.rl.on('line', line => this.push(line));
    this.rl.on('close', () => {
      this.ended = true;
      this.push(undefined);
    });
  }

  private push(line: string | undefined): void {
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      w(line);
    } else if (line !== undefined) this.queue.push(line);
  }

  next(): Promise<string | undefined> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift());
    if (this.ended) return Promise.resolve(undefined);
    return new Promise(resolve => (this.waiting = resolve));
  }

  /** Ctrl-C while waiting: the wait ends as if input had ended. */
  cancel(): void {
    this.push(undefined);
  }

  close(): void {
    this.rl.close();
  }
}

/** Removes what the lab "tutorial" still holds (a session killed earlier, say). */
async function clearLab(io: TutorialIo, complain: (s: string) => void): Promise<boolean> {
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

/** --host: what the steps change outside their own namespaces, and whether to go on. */
async function agreed(steps: readonly Step[], lines: Lines, say: (s?: string) => void, io: TutorialIo): Promise<boolean> {
  say("nsh tutorial --host runs the steps in this machine's own namespaces. Besides namespaces of");
  say('its own, it changes:');
  for (const [i, s] of steps.entries()) if (s.host) say(`  step ${i + 1}: ${s.host}`);
  say('Each step removes what it made when it ends. Without --host the tutorial runs in a sandbox');
  say('of its own and changes nothing here.');
  io.stdout.write('Go on? [y/N] ');
  if (/^y(es)?$/i.test((await lines.next())?.trim() ?? '')) return true;
  say('Nothing was changed.');
  return false;
}

/** Runs the tutorial; resolves to the exit status (0 done or quit, 1 a step failed, 130 Ctrl-C). */
export async function runTutorial(io: TutorialIo, opts: TutorialOptions): Promise<number> {
  const c = colors(io.stdout, io.env);
  const say = (s = '') => io.stdout.write(`${s}\n`);
  const complain = (s: string) => io.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
  const report = (ds: Parameters<typeof renderDiagnostics>[0]) => complain(renderDiagnostics(ds, c));

  const dir = opts.dir ?? examplesDir();
  if (dir === undefined) {
    complain('nsh: the tutorial\'s scripts (examples/walkthrough) are not installed next to nsh');
    return 1;
  }
  const steps = opts.steps ?? STEPS;
  if (listLabs().includes(TUTORIAL_LAB)) {
    complain('nsh: removing what an earlier tutorial left behind');
    if (!(await clearLab(io, complain))) return 1;
  }

  let interrupted = false;
  const lines = opts.auto && !opts.host ? undefined : new Lines(io.stdin);
  const onSignal = () => {
    interrupted = true;
    lines?.cancel();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let code = 0;
  try {
    if (opts.host && !(await agreed(steps, lines!, say, io))) return 1;
    say(c.bold('nsh tutorial: network namespaces, step by step'));
    say('Each step shows the classic commands, the nsh statements that do the same, and runs them.');
    say(`Everything a step makes is removed when it ends (the lab is called "${TUTORIAL_LAB}").`);
    if (!opts.host) {
      say('It all happens in a sandbox of its own, which needs no root and leaves this machine as it');
      say('was: there, "host" is the sandbox\'s network namespace and PID 1 its first process.');
    }
    if (!opts.auto) say('Press Enter to go on, q and Enter to quit.');
    for (const [i, step] of steps.entries()) {
      const file = path.join(dir, step.file);
      say();
      say(c.bold(`── Step ${i + 1}/${steps.length}: ${step.title}`));
      say();
      for (const l of step.about) say(`  ${l}`);
      say();
      say(c.dim('  the classic way:'));
      for (const l of step.classic) say(c.dim(`    # ${l}`));
      const loaded = loadScript(file);
      const problems = await checkLoaded(loaded, { env: io.env });
      if (problems.length > 0) {
        report(problems);
        code = 2;
        break;
      }
      say(`  in nsh (examples/walkthrough/${step.file}):`);
      for (const l of statementLines(fs.readFileSync(file, 'utf8'))) say(c.cyan(`    ${l}`));
      say();
      say(c.dim('  output:'));
      const r = await runLab(loaded.program, TUTORIAL_LAB, { rm: true, keepOnError: false }, { stdout: io.stdout, stderr: io.stderr, env: io.env }, report);
      if (interrupted || r === 130) {
        code = 130;
        break;
      }
      if (r !== 0) {
        complain(`nsh: step ${i + 1} (${step.file}) failed`);
        code = 1;
        break;
      }
      if (lines && i < steps.length - 1) {
        io.stdout.write(c.dim('\n[Enter] next step, q quit: '));
        const answer = await lines.next();
        if (interrupted) {
          code = 130;
          break;
        }
        if (answer === undefined || answer.trim().toLowerCase() === 'q') {
          say();
          say('Stopped. Run `nsh tutorial` again to start over.');
          break;
        }
      }
      if (i === steps.length - 1) {
        say();
        say(c.bold('That was the whole walk. The scripts are in examples/walkthrough: run one with'));
        say(c.bold('`sudo nsh --rm FILE`, or see it as iproute2 commands with `nsh --explain FILE`.'));
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    lines?.close();
    // every step tears its lab down; this is the safety net for anything a failure left
    if (!(await clearLab(io, complain)) && code === 0) code = 1;
  }
  return code;
}
