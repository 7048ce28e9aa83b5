/**
 * `nsh tutorial [N] [--auto] [--host]`: the step to start at, where the tutorial runs (its own
 * sandbox by default, the machine itself with --host, after saying what that changes and
 * asking), then the tutorial itself (tutorial.ts).
 */
import type { Io } from '../core/io.js';
import { missingPrivileges } from '../privileges.js';
import { insideSandbox, runInSandbox } from './sandbox.js';
import { STEPS } from './steps.js';
import { runTutorial } from './tutorial.js';

export interface TutorialCommand {
  /** The words after `tutorial`: at most the number of the step to start at. */
  readonly args: readonly string[];
  readonly auto: boolean;
  /** Run on this machine's own namespaces, not in the sandbox. */
  readonly host: boolean;
}

/** Resolves to the exit status; `argv`: nsh's whole command line, to run again inside the sandbox. */
export async function tutorialCommand(argv: readonly string[], cmd: TutorialCommand, io: Io): Promise<number> {
  const complain = (s: string) => io.stderr.write(`${s}\n`);
  const from = cmd.args.length === 0 ? 1 : Number(cmd.args[0]);
  if (cmd.args.length > 1 || !Number.isInteger(from) || from < 1 || from > STEPS.length) {
    complain(`nsh: tutorial takes the number of the step to start at (1 to ${STEPS.length}), got ${cmd.args.join(' ')}\nTry 'nsh --help'.`);
    return 2;
  }
  if (!cmd.host && !insideSandbox(io.env)) return runInSandbox(argv, io.env);
  const missing = missingPrivileges();
  if (missing) {
    complain(cmd.host ? 'nsh: nsh tutorial --host works in this machine\'s own namespaces, which needs root (sudo); without --host it needs none' : `nsh: ${missing}`);
    return 1;
  }
  return runTutorial({ stdin: io.stdin ?? process.stdin, stdout: io.stdout, stderr: io.stderr, env: io.env }, { auto: cmd.auto, host: cmd.host, from });
}
