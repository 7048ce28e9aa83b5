import { closeSync } from 'node:fs';
/**
 * Kernel tests run only inside the sandbox of bin/nsh-sandbox (private network + mount + pid
 * namespaces, tmpfs on /run), which run-in-sandbox.sh and test/sandbox.sh start with
 * NSH_SANDBOX=1. Anywhere else (a plain `mocha` run) they are skipped with a message saying how
 * to run them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const IN_SANDBOX = process.env['NSH_SANDBOX'] === '1';

/** describe() for tests that touch the kernel; skipped outside the sandbox. */
export function describeKernel(title: string, fn: (this: Mocha.Suite) => void): void {
  if (IN_SANDBOX) {
    describe(title, function () {
      before(assertFreshSandbox);
      fn.call(this);
    });
  } else {
    describe(title, function () {
      it('is skipped: run it in the sandbox with `sh test/backend-linux/run-in-sandbox.sh`', function () {
        this.skip();
      });
    });
  }
}

/**
 * A last guard against running in the machine's real namespaces: PID 1 of our pid namespace
 * must be the shell of bin/nsh-sandbox (its command line mounts "nsh-run"), and /run must be a
 * tmpfs.
 */
function assertFreshSandbox(): void {
  const init = readFileSync('/proc/1/cmdline', 'utf8');
  if (!init.includes('nsh-run')) throw new Error('refusing to run: not inside bin/nsh-sandbox (PID 1 is not its shell)');
  const fstype = execFileSync('findmnt', ['-n', '-o', 'FSTYPE', '/run'], { encoding: 'utf8' }).trim();
  if (!fstype.split('\n').includes('tmpfs')) throw new Error('refusing to run: /run is not the sandbox tmpfs');
}

/** Run iproute2 (the test oracle) and return its standard output. */
export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `ip -j ...` parsed. */
export function ipJson<T = unknown>(...args: string[]): T {
  const out = ip('-j', ...args).trim();
  return (out ? JSON.parse(out) : []) as T;
}

/**
 * Two fresh namespaces joined by a veth (`va` in `a`, `vb` in `b`), addressed NET.1/24 and
 * NET.2/24 and PREFIX::1/64 and PREFIX::2/64 (nodad), both ends up. Both ends get ifindex 2, so
 * the kernel's linkwatch treats their carrier-on as non-urgent and may sit on it up to 1 s, with
 * IPv6 holding packets meanwhile; an RTM_GETLINK of each device (not a dump) runs that pending
 * work at once (rtnl_getlink -> linkwatch_sync_dev). Returns each end's operstate afterwards.
 */
export async function vethBetween(a: string, b: string, o: { va: string; vb: string; net: string; prefix: string }): Promise<number[]> {
  const { createNamedNetns } = await import('../../src/backend/linux/netns.js');
  const { NsHandles } = await import('../../src/backend/linux/handles.js');
  const handles = new NsHandles();
  const { RtnlSocket, getLink } = await import('../../src/backend/linux/netlink/index.js');
  closeSync(createNamedNetns(a));
  closeSync(createNamedNetns(b));
  ip('link', 'add', o.va, 'netns', a, 'type', 'veth', 'peer', 'name', o.vb, 'netns', b);
  for (const [ns, dev, host] of [[a, o.va, 1], [b, o.vb, 2]] as const) {
    ip('-n', ns, 'addr', 'add', `${o.net}.${host}/24`, 'dev', dev);
    ip('-n', ns, 'addr', 'add', `${o.prefix}::${host}/64`, 'dev', dev, 'nodad');
  }
  ip('-n', a, 'link', 'set', o.va, 'up');
  ip('-n', b, 'link', 'set', o.vb, 'up');
  return [[a, o.va], [b, o.vb]].map(([ns, dev]) => {
    const s = RtnlSocket.open(handles.netFd(ns!));
    try {
      return getLink(s, dev!)?.operstate ?? -1;
    } finally {
      s.close();
    }
  });
}
