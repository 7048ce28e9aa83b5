/**
 * Runs a bash script inside a private network + mount + pid namespace with a fresh tmpfs on /run,
 * so nothing it creates can reach the machine's network or outlive it. Without root, a user
 * namespace (--map-root-user) gives the same sandbox.
 */
import { spawnSync } from 'node:child_process';

export interface SandboxResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function sandboxArgs(): string[] {
  const user = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user'];
  return [...user, '--net', '--mount', '--pid', '--fork', '--mount-proc'];
}

export function inSandbox(script: string, opts: { input?: string; timeoutMs?: number } = {}): SandboxResult {
  const prelude = 'set -e; mount -t tmpfs -o mode=755 nsh-run /run; mkdir -p /run/netns\n';
  const r = spawnSync('unshare', [...sandboxArgs(), 'bash', '-c', prelude + script], {
    encoding: 'utf8',
    input: opts.input ?? '',
    timeout: opts.timeoutMs ?? 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}
