/**
 * --rootless: the whole run happens inside a new user namespace (where this user is root), with
 * its own network, mount and UTS namespaces and a private /run, so an ordinary user can build and
 * ping a lab. `host` is then that private network namespace, and the lab lives as long as the
 * command: when it ends, the namespaces have no process left and the kernel removes them.
 *
 * Node cannot enter a new user namespace itself (it is multi-threaded and unshare(CLONE_NEWUSER)
 * refuses a threaded caller), so nsh runs again under util-linux's unshare, with NSH_ROOTLESS=1
 * telling the inner nsh that it is already inside.
 */
export const INSIDE = 'NSH_ROOTLESS';

export function insideRootless(env: Readonly<Record<string, string | undefined>>): boolean {
  return env[INSIDE] === '1';
}

/** Runs this nsh again inside a private user + network + mount + UTS namespace; resolves with its exit status. */
export async function rerunRootless(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  // loaded here: child_process costs start-up time that no other command path needs
  const { spawn } = await import('node:child_process');
  const script = process.argv[1]!;
  const child = spawn(
    'unshare',
    [
      '--user', '--map-root-user', '--net', '--mount', '--uts', '--propagation', 'private',
      '/bin/sh', '-c', 'mount -t tmpfs -o mode=755 nsh-rootless /run && exec "$@"', 'sh',
      process.execPath, script, ...argv,
    ],
    { stdio: 'inherit', env: { ...env, [INSIDE]: '1' } },
  );
  // Ctrl-C reaches the inner nsh through the terminal; this one waits for it to finish.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  return new Promise(resolve => {
    child.once('error', () => {
      process.off('SIGINT', ignore);
      process.stderr.write('nsh: --rootless needs util-linux unshare, and user namespaces allowed for this user\n');
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}
