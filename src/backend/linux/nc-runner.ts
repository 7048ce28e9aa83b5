/** The built-in nc on top of nc.ts: listen or connect, in the foreground or as a job. */
import { OpError, type Job, type NcOp } from '../backend.js';
import { ncConnect, ncListen } from './nc.js';
import type { Processes } from './processes.js';

export async function runNc(s: NcOp, netFd: number, out: NodeJS.WritableStream, procs: Processes): Promise<Job | undefined> {
  const controller = new AbortController();
  const signal = controller.signal;
  const run = async (): Promise<string | undefined> => {
    try {
      if (s.listen) await ncListen({ netFd, udp: s.udp, port: s.port, out, signal });
      else await ncConnect({ netFd, udp: s.udp, address: s.address!, port: s.port, ...(s.stdin === undefined ? {} : { input: `${s.stdin}\n` }), out, signal });
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  };
  if (s.background) {
    const argv = s.listen ? ['nc', '-l', String(s.port)] : ['nc', s.address!, String(s.port)];
    return procs.adopt(argv, run(), () => controller.abort());
  }
  const failed = await procs.whileForeground(() => controller.abort(), run());
  if (failed) throw new OpError(failed);
  return undefined;
}
