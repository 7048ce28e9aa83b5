/** The built-in nc on top of nc.ts: listen or connect, in the foreground or as a job. */
import { OpError, type Job, type NcOp } from '../backend.js';
import { ncConnect, ncListen } from './nc.js';
import type { Processes } from './processes.js';

export async function runNc(s: NcOp, netFd: number, out: NodeJS.WritableStream, procs: Processes): Promise<Job | undefined> {
  const controller = new AbortController();
  const signal = controller.signal;
  const run = async (): Promise<string | undefined> => {
    try {
      const wait = s.wait === undefined ? {} : { wait: s.wait };
      if (s.listen) await ncListen({ netFd, udp: s.udp, port: s.port, ...wait, out, signal });
      else {
        const input = s.stdin === undefined ? {} : { input: `${s.stdin}\n` };
        await ncConnect({ netFd, udp: s.udp, address: s.address!, port: s.port, ...input, ...wait, ...(s.scan ? { scan: true } : {}), out, signal });
      }
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  };
  if (s.background) {
    const flags = [...(s.udp ? ['-u'] : []), ...(s.scan ? ['-z'] : []), ...(s.wait === undefined ? [] : ['-w', String(s.wait)])];
    const argv = s.listen ? ['nc', '-l', ...flags, String(s.port)] : ['nc', ...flags, s.address!, String(s.port)];
    return procs.adopt(argv, run(), () => controller.abort());
  }
  const failed = await procs.whileForeground(() => controller.abort(), run());
  if (failed) throw new OpError(failed);
  return undefined;
}
