/**
 * `nsh tutorial [--auto] [--host]`: where the tutorial runs (its own sandbox by default, the
 * machine itself with --host, after saying what that changes and asking), then the tutorial
 * itself (tutorial.ts).
 */
import type { Io } from '../core/io.js';
import { missingPrivileges } from '../privileges.js';
import { insideSandbox, runInSandbox } from './sandbox.js';
import { runTutorial } from './tutorial.js';

export interface TutorialCommand {
  /** The words after `tutorial`. */
  readonly args: readonly string[];
  readonly auto: boolean;
  /** Run on this machine's own namespaces, not in the sandbox. */
  readonly host: boolean;
}

/** Resolves to the exit status; `argv`: nsh's whole command line, to run again inside the sandbox. */
export async function tutorialCommand(argv: readonly string[], cmd: TutorialCommand, io: Io): Promise<number> {
  const complain = (s: string) => io.stderr.write(`${s}\n`);
  if (cmd.args.length > 0) {
    complain(`nsh: tutorial takes no arguments, got ${cmd.args.join(' ')}\nTry 'nsh --help'.`);
    return 2;
  }
  if (!cmd.host && !insideSandbox(io.env)) return runInSandbox(argv, io.env);
  const missing = missingPrivileges();
  if (missing) {
    complain(cmd.host ? 'nsh: nsh tutorial --host works in this machine\'s own namespaces, which needs root (sudo); without --host it needs none' : `nsh: ${missing}`);
    return 1;
  }
  return runTutorial({ stdin: io.stdin ?? process.stdin, stdout: io.stdout, stderr: io.stderr, env: io.env }, { auto: cmd.auto, host: cmd.host });
}
