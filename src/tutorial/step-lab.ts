/**
 * The lab of one tutorial step ("tutorial"): statements run in it one at a time, checked first
 * as any script's are, through the same Lab as scripts and the REPL (Linux backend, journal);
 * removed when the step ends.
 */
import { colors, type Io } from '../core/io.js';
import { linuxBackend } from '../lab-commands.js';
import { Lab, teardownSentences } from '../runtime/lab.js';
import type { Statement } from '../syntax/ast.js';
import { renderDiagnostics, type Diagnostic } from '../syntax/diagnostics.js';
import type { CompletionWorld } from '../repl/complete.js';

export const TUTORIAL_LAB = 'tutorial';

/** ran: it ran and succeeded; refused: the check found problems, nothing ran; failed; interrupted (Ctrl-C). */
export type RunResult = 'ran' | 'refused' | 'failed' | 'interrupted';

export class StepLab {
  private interruptFlag = false;

  private constructor(
    private readonly lab: Lab,
    private readonly io: Io,
  ) {}

  static async open(io: Io): Promise<StepLab> {
    let self: StepLab | undefined;
    const lab = await Lab.open({
      name: TUTORIAL_LAB,
      // programs do not read the terminal: the tutorial reads it
      backend: linuxBackend(io, { inheritStdin: false }),
      env: io.env,
      interrupted: () => self?.interruptFlag ?? false,
    });
    return (self = new StepLab(lab, io));
  }

  /** The lab's namespaces, in the order they were made. */
  get namespaces(): readonly string[] {
    return [...this.lab.namespaces];
  }

  private report(ds: readonly Diagnostic[]): void {
    this.io.stderr.write(`${renderDiagnostics(ds, colors(this.io.stderr, this.io.env))}\n`);
  }

  /** Checks, then runs; problems and failures are reported. `failed` is told a failure's message first. */
  async run(statements: readonly Statement[], failed: (message: string) => void = () => {}): Promise<RunResult> {
    this.interruptFlag = false;
    const problems = await this.lab.check(statements);
    if (problems.length > 0) {
      this.report(problems);
      return 'refused';
    }
    const outcome = await this.lab.run(statements);
    if (outcome.ok) return 'ran';
    failed(outcome.diagnostic.message);
    if (outcome.interrupted) {
      this.io.stderr.write('interrupted\n');
      return 'interrupted';
    }
    this.report([outcome.diagnostic]);
    return 'failed';
  }

  /** Ctrl-C: ends what runs in the foreground. */
  interrupt(): void {
    this.interruptFlag = true;
    this.lab.interrupt();
  }

  /** For Tab: the lab's and the system's namespaces, live interface names, the variables. */
  world(cwd: string): CompletionWorld {
    const safe = (f: () => string[] | undefined): string[] => {
      try {
        return f() ?? [];
      } catch {
        return [];
      }
    };
    return {
      namespaces: () => [...new Set([...this.lab.namespaces, ...safe(() => this.lab.backend.namespaces?.())])],
      interfaces: ns => safe(() => this.lab.backend.interfaces?.(ns)),
      variables: () => this.lab.scope.names(),
      defs: () => this.lab.scope.defNames(),
      cwd,
    };
  }

  /** Removes everything the step made; the number of objects removed, or undefined when something was left. */
  async close(): Promise<number | undefined> {
    try {
      const r = await this.lab.teardown('all');
      for (const s of teardownSentences(r)) this.io.stderr.write(`nsh: ${s}\n`);
      return r.failed.length > 0 ? undefined : r.removed;
    } finally {
      this.lab.close();
    }
  }
}
