/**
 * The tutorial's sandbox: nsh runs the tutorial again inside new user, network, mount, UTS, IPC
 * and PID namespaces, with its own /proc and an empty /run. There the user is root over a private
 * network, so the tutorial needs no root and cannot touch the machine's network, its /run or its
 * init: `host` is the sandbox's network namespace, and PID 1 is the sandbox's first process (a
 * shell that waits for nsh), so step 5's `pid 1` moves a device into the sandbox's own namespace.
 * Everything goes when the tutorial ends: the namespaces have no process left.
 *
 * As for --rootless, nsh cannot enter a new user namespace itself (node is multi-threaded), so it
 * runs again under the one sandbox launcher (bin/nsh-sandbox); NSH_TUTORIAL_SANDBOX=1 tells the
 * inner nsh it is inside.
 */
import { sandboxLauncher } from '../rootless.js';

export const SANDBOX_MARK = 'NSH_TUTORIAL_SANDBOX';

export function insideSandbox(env: Readonly<Record<string, string | undefined>>): boolean {
  return env[SANDBOX_MARK] === '1';
}

/** Runs `nsh ARGV…` inside the sandbox; resolves with its exit status. */
export async function runInSandbox(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  // loaded here, as in rootless.ts: no other path of the tutorial needs child_process
  const { spawn } = await import('node:child_process');
  // The launcher's shell stays PID 1 (no exec), so `pid 1` is not nsh itself. It ignores SIGINT
  // (--no-int): the terminal's Ctrl-C reaches it too, and it would end with it once nsh had ended.
  const child = spawn(
    sandboxLauncher(),
    ['--user', '--ipc', '--no-int', '--', process.execPath, process.argv[1]!, ...argv],
    { stdio: 'inherit', env: { ...env, [SANDBOX_MARK]: '1' } },
  );
  // Ctrl-C reaches the inner nsh through the terminal; this one waits for it to finish
  const ignore = () => {};
  process.on('SIGINT', ignore);
  return new Promise(resolve => {
    const done = (code: number) => {
      process.off('SIGINT', ignore);
      resolve(code);
    };
    child.once('error', () => {
      process.stderr.write('nsh: the tutorial runs in a private sandbox, which needs util-linux unshare and user namespaces; `sudo nsh tutorial --host` runs it on this machine instead\n');
      done(1);
    });
    child.once('exit', (code, signal) => done(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}
