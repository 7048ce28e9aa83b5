/** The built-in ping and pingall on top of ping.ts: success rules, background jobs, the matrix. */
import { pingallMatrix } from '../pingall-matrix.js';
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
  const matrix = pingallMatrix(members, results.map(r => ({ from: r.from, to: r.t.ns, address: r.t.address, ok: r.ok })), color);
  out.write(`${matrix.text}\n`);
  if (matrix.failure !== undefined) throw new OpError(matrix.failure);
}
