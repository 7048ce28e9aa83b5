/** The built-in nc on top of nc.ts: listen or connect, in the foreground or as a job. */
import { OpError, plainText, type CollectingJob, type Job, type NcOp, type NcReport } from '../backend.js';
import { ncConnect, ncListen } from './nc.js';
import type { Processes } from './processes.js';

/** A stream that keeps what is written to it (nc's output, collected). */
function keeper(): { out: NodeJS.WritableStream; text: () => string } {
  const chunks: Buffer[] = [];
  const out = { write: (d: string | Uint8Array) => chunks.push(Buffer.from(d)) > 0 } as unknown as NodeJS.WritableStream;
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** `in NS nc …`. Collecting, what arrived is the result (in the background, the job's `exited`). */
export async function runNc(
  s: NcOp,
  netFd: number,
  stdout: NodeJS.WritableStream,
  procs: Processes,
): Promise<Job | NcReport | CollectingJob<NcReport> | undefined> {
  const controller = new AbortController();
  const signal = controller.signal;
  const kept = s.collect ? keeper() : undefined;
  const out = kept?.out ?? stdout;
  const input = s.collect ? s.collect.input : s.stdin === undefined ? undefined : `${plainText(s.stdin)}\n`;
  const run = async (): Promise<string | undefined> => {
    try {
      const wait = s.wait === undefined ? {} : { wait: s.wait };
      if (s.listen) await ncListen({ netFd, udp: s.udp, port: s.port, ...wait, out, signal });
      else await ncConnect({ netFd, udp: s.udp, address: s.address!, port: s.port, ...(input === undefined ? {} : { input }), ...wait, ...(s.scan ? { scan: true } : {}), out, signal });
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  };
  const report = async (failed: string | undefined): Promise<NcReport> => {
    if (failed) throw new OpError(failed);
    return { received: kept!.text() };
  };
  if (s.background) {
    const flags = [...(s.udp ? ['-u'] : []), ...(s.scan ? ['-z'] : []), ...(s.wait === undefined ? [] : ['-w', String(s.wait)])];
    const argv = s.listen ? ['nc', '-l', ...flags, String(s.port)] : ['nc', ...flags, s.address!, String(s.port)];
    const exit = run();
    const job = procs.adopt(argv, exit, () => controller.abort(), { announce: !kept });
    return kept ? { ...job, exited: exit.then(report) } : job;
  }
  const failed = await procs.whileForeground(() => controller.abort(), run());
  if (kept) return report(failed);
  if (failed) throw new OpError(failed);
  return undefined;
}
