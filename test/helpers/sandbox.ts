/**
 * Runs a bash script inside the sandbox of bin/nsh-sandbox (private network, UTS, mount and pid
 * namespaces with a fresh tmpfs on /run), so nothing it creates can reach the machine's network
 * or outlive it. Without root, a user namespace (--user) gives the same sandbox.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SandboxResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** bin/nsh-sandbox, the one sandbox launcher. */
export const launcher = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/nsh-sandbox');

/** The launcher's command line for `command`: with a user namespace when not root. */
export function sandboxed(command: readonly string[]): [string, string[]] {
  const user = process.getuid?.() === 0 ? [] : ['--user'];
  return [launcher, [...user, '--', ...command]];
}

export function inSandbox(script: string, opts: { input?: string; timeoutMs?: number } = {}): SandboxResult {
  const prelude = 'set -e; mkdir -p /run/netns\n';
  // --norc: bash -c with a socket on stdin (node's pipes are socketpairs) and SHLVL unset (npm
  // test from a Dockerfile RUN, a service) would read ~/.bashrc, taking it for rshd's child
  const [file, args] = sandboxed(['bash', '--norc', '-c', prelude + script]);
  const r = spawnSync(file, args, {
    encoding: 'utf8',
    input: opts.input ?? '',
    timeout: opts.timeoutMs ?? 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}
