/** The built-in ping and pingall on top of ping.ts: success rules, background jobs, the matrix. */
import pc from 'picocolors';
import { OpError, type Job, type PingOp, type PingReport } from '../backend.js';
import { ping } from './ping.js';
import type { Processes } from './processes.js';
import { AF_INET6, RT_SCOPE_UNIVERSE, type RtnlSocket } from './netlink/index.js';
import { dumpAddrs } from './netlink/query.js';

/** `in NS ping …`: succeeds if any reply came. Collecting, the report is the result, whatever it says. */
export async function runPing(s: PingOp, netFd: number, out: NodeJS.WritableStream, procs: Processes): Promise<Job | PingReport | undefined> {
  const controller = new AbortController();
  const options = {
    netFd, address: s.address, family: s.family, count: s.count, interval: s.interval, timeout: s.timeout, out,
    signal: controller.signal,
    ...(s.size === undefined ? {} : { size: s.size }),
    ...(s.dontFragment === undefined ? {} : { dontFragment: s.dontFragment }),
    ...(s.iface === undefined ? {} : { iface: s.iface }),
  };
  if (s.collect) return procs.whileForeground(() => controller.abort(), ping({ ...options, quiet: true }));
  const run = async (): Promise<string | undefined> => {
    const r = await ping(options);
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
  // one cell per pair of namespaces, as the matrix shows them: ok when every address of the
  // peer answered; otherwise the addresses that did not (all of them: FAIL)
  const failedTo = (from: string, to: string) => results.filter(r => r.from === from && r.t.ns === to && !r.ok).map(r => r.t.address);
  const cells = members.flatMap(from => members.filter(to => to !== from).map(to => ({ from, to, failed: failedTo(from, to) })));
  const text = (cell: { from: string; to: string; failed: string[] }) => {
    const all = results.filter(r => r.from === cell.from && r.t.ns === cell.to).length;
    return cell.failed.length === 0 ? 'ok' : cell.failed.length === all ? 'FAIL' : `${cell.failed.join(' ')} FAIL`;
  };
  const cellOf = (from: string, to: string) => cells.find(x => x.from === from && x.to === to)!;
  const w = Math.max(4, ...members.map(m => m.length), ...cells.map(x => text(x).length)) + 2;
  const lines = [' '.repeat(w) + members.map(m => m.padEnd(w)).join('')];
  for (const from of members) {
    const row = members.map(to => {
      if (to === from) return c.dim('-'.padEnd(w));
      const cell = cellOf(from, to);
      const t = text(cell).padEnd(w);
      return cell.failed.length === 0 ? c.green(t) : t.startsWith('FAIL') ? c.red(t) : c.yellow(t);
    });
    lines.push(from.padEnd(w) + row.join(''));
  }
  const bad = cells.filter(x => x.failed.length > 0);
  lines.push(`${cells.length - bad.length}/${cells.length} reachable`);
  out.write(`${lines.join('\n')}\n`);
  if (bad.length > 0) {
    const list = bad.slice(0, 5).map(x => `${x.from} -> ${x.to} (${x.failed.join(', ')})`).join(', ');
    throw new OpError(`${bad.length} of ${cells.length} pairs got no reply: ${list}${bad.length > 5 ? ', …' : ''}`);
  }
}
