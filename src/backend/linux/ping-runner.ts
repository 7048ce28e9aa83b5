/** The built-in ping and pingall on top of ping.ts: success rules, background jobs, the matrix. */
import pc from 'picocolors';
import { OpError, type Job, type PingOp } from '../backend.js';
import { ping } from './ping.js';
import type { Processes } from './processes.js';
import { AF_INET6, RT_SCOPE_UNIVERSE, type RtnlSocket } from './netlink/index.js';
import { dumpAddrs } from './netlink/query.js';

/** `in NS ping …`: succeeds if any reply came. */
export async function runPing(s: PingOp, netFd: number, out: NodeJS.WritableStream, procs: Processes): Promise<Job | undefined> {
  const controller = new AbortController();
  const run = async (): Promise<string | undefined> => {
    const r = await ping({
      netFd, address: s.address, family: s.family, count: s.count, interval: s.interval, timeout: s.timeout, out,
      signal: controller.signal,
    });
    if (r.received > 0) return undefined;
    // what ping printed said why nothing went out ("connect: Network is unreachable"): not again
    return r.transmitted === r.errors ? `ping could not send to ${s.address}` : `no reply from ${s.address}`;
  };
  if (s.background) return procs.adopt(['ping', s.address], run(), () => controller.abort());
  const failed = await procs.whileForeground(() => controller.abort(), run());
  if (failed) throw new OpError(failed);
  return undefined;
}

interface Target {
  readonly ns: string;
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every lab namespace with a global address pings every other one's global addresses. */
export async function runPingall(
  lab: readonly string[],
  sock: (ns: string) => RtnlSocket,
  netFd: (ns: string) => number,
  out: NodeJS.WritableStream,
  color: boolean,
): Promise<void> {
  const c = pc.createColors(color);
  const targets: Target[] = lab.flatMap(ns =>
    dumpAddrs(sock(ns))
      .filter(a => a.scope === RT_SCOPE_UNIVERSE)
      .map(a => ({ ns, address: a.address, family: a.family === AF_INET6 ? (6 as const) : (4 as const) })),
  );
  const members = lab.filter(ns => targets.some(t => t.ns === ns));
  const pairs = members.flatMap(from => targets.filter(t => t.ns !== from).map(t => ({ from, t })));
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  const results = await Promise.all(
    pairs.map(async ({ from, t }) => {
      const r = await ping({ netFd: netFd(from), address: t.address, family: t.family, count: 2, interval: 0.2, timeout: 1, out: sink, quiet: true });
      return { from, t, ok: r.received > 0 };
    }),
  );
  const okBetween = (from: string, to: string) => {
    const rs = results.filter(r => r.from === from && r.t.ns === to);
    return rs.length === 0 ? undefined : rs.every(r => r.ok);
  };
  const w = Math.max(4, ...members.map(m => m.length)) + 2;
  const lines = [' '.repeat(w) + members.map(m => m.padEnd(w)).join('')];
  for (const from of members) {
    const cells = members.map(to => {
      if (to === from) return c.dim('-'.padEnd(w));
      return okBetween(from, to) ? c.green('ok'.padEnd(w)) : c.red('FAIL'.padEnd(w));
    });
    lines.push(from.padEnd(w) + cells.join(''));
  }
  const bad = results.filter(r => !r.ok);
  lines.push(`${results.length - bad.length}/${results.length} reachable`);
  out.write(`${lines.join('\n')}\n`);
  if (bad.length > 0) {
    const list = bad.slice(0, 5).map(r => `${r.from} -> ${r.t.ns} (${r.t.address})`).join(', ');
    throw new OpError(`${bad.length} of ${results.length} pings got no reply: ${list}${bad.length > 5 ? ', …' : ''}`);
  }
}
