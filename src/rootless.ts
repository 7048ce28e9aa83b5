/**
 * --rootless: the whole run happens inside the sandbox of bin/nsh-sandbox with a user namespace
 * (where this user is root), with its own network, mount, UTS and pid namespaces and a private
 * /run, so an ordinary user can build and ping a lab. `host` is then that private network
 * namespace, and the lab lives as long as the command: when it ends, the namespaces have no
 * process left and the kernel removes them. `nsh --rootless -- CMD…` runs any command there (a
 * test runner that builds labs through nsh's library, say).
 *
 * Node cannot enter a new user namespace itself (it is multi-threaded and unshare(CLONE_NEWUSER)
 * refuses a threaded caller), so nsh runs again (or runs CMD) under the launcher, with
 * NSH_ROOTLESS=1 telling the inner nsh that it is already inside.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const INSIDE = 'NSH_ROOTLESS';

export function insideRootless(env: Readonly<Record<string, string | undefined>>): boolean {
  return env[INSIDE] === '1';
}

/**
 * bin/nsh-sandbox, the one sandbox launcher: found from this file, wherever the build put it
 * (dist/, dist/chunks/, build/src/).
 */
export function sandboxLauncher(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = path.dirname(dir)) {
    const launcher = path.join(dir, 'bin', 'nsh-sandbox');
    if (fs.existsSync(launcher)) return launcher;
  }
  throw new Error('bin/nsh-sandbox is missing from the nsh installation');
}

/** Runs this nsh again inside the rootless sandbox; resolves with its exit status. */
export function rerunRootless(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  return runRootless([process.execPath, process.argv[1]!, ...argv], env);
}

/** `nsh --rootless -- CMD…`: CMD inside the rootless sandbox (as it is, when already inside one); resolves with its exit status. */
export async function runRootless(command: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  // loaded here: child_process costs start-up time that no other command path needs
  const { spawn } = await import('node:child_process');
  const [file, args] = insideRootless(env) ? [command[0]!, command.slice(1)] : [sandboxLauncher(), ['--user', '--', ...command]];
  const child = spawn(file, args, { stdio: 'inherit', env: { ...env, [INSIDE]: '1' } });
  // Ctrl-C reaches the command through the terminal; this one waits for it to finish.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  return new Promise(resolve => {
    child.once('error', e => {
      process.off('SIGINT', ignore);
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : e.message;
      process.stderr.write(`nsh: cannot run ${file}: ${why}\n`);
      resolve(127);
    });
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 9));
    });
  });
}
