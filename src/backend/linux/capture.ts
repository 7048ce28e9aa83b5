/**
 * `capture EP [to FILE] [count N] [for TIME] [&]` on top of packet-capture.ts: in the foreground
 * until it ends (Ctrl-C ends it as it ends a program, and the statement succeeds), or as a
 * built-in job that `kill %N`, teardown and the end of nsh stop and a bare `wait` passes by. Its
 * end is told as tcpdump tells it: how many packets were captured, and dropped if any were.
 */
import { OpError, type CaptureOp } from '../backend.js';
import type { Handlers } from '../ops.js';
import type { LinuxContext } from './context.js';
import { translate } from './errors.js';
import { CaptureError, type CaptureStats, type RunningCapture, startCapture } from './packet-capture.js';

const q = JSON.stringify;

export function captureHandlers(x: LinuxContext): Pick<Handlers, 'capture'> {
  return {
    capture: async s => {
      x.settle();
      const where = `${s.ep.ns}.${s.ep.ifname}`;
      const running = start(x, s, where);
      const run = async (): Promise<string | undefined> => {
        try {
          x.opts.stderr.write(`${summary(await running.done)}\n`);
          return undefined;
        } catch (e) {
          if (!(e instanceof CaptureError)) throw e;
          const after = e.detail.captured === undefined ? '' : ` after ${e.detail.captured} packets`;
          return `the capture on ${where} ended${after}: ${e.message}`;
        }
      };
      if (s.background) return x.procs.adopt(argvOf(s, where), run(), () => running.stop(), { unwaited: true });
      const failed = await x.procs.whileForeground(() => running.stop(), run());
      if (failed) throw new OpError(failed);
      return undefined;
    },
  };
}

function start(x: LinuxContext, s: CaptureOp, where: string): RunningCapture {
  const netFd = x.handles.netFd(s.ep.ns);
  const ifindex = x.index(s.ep);
  try {
    return startCapture({
      netFd, ifindex, out: x.opts.stdout,
      ...(s.file === undefined ? {} : { file: s.file }),
      ...(s.count === undefined ? {} : { count: s.count }),
      ...(s.seconds === undefined ? {} : { seconds: s.seconds }),
    });
  } catch (e) {
    if (e instanceof CaptureError) {
      if (e.detail.linkType !== undefined) {
        throw new OpError(`cannot capture on ${where}: ${e.message}`, { hint: 'nsh captures on Ethernet interfaces (veth, bridges, macvlans …) and loopback' });
      }
      throw new OpError(e.message);
    }
    translate(e, {
      what: `capture on ${where}`,
      codes: { ENODEV: `there is no interface ${q(s.ep.ifname)} in namespace ${q(s.ep.ns)}` },
      hints: { ENOMEM: 'the capture ring takes 16 MiB of locked kernel memory' },
    });
  }
}

/** `12 packets captured`, and `, 3 dropped by the kernel` when the ring ran full. */
function summary(st: CaptureStats): string {
  const n = (k: number) => `${k} packet${k === 1 ? '' : 's'}`;
  return `${n(st.captured)} captured${st.dropped > 0 ? `, ${st.dropped} dropped by the kernel` : ''}`;
}

/** How `jobs` shows it: the statement's own words. */
function argvOf(s: CaptureOp, where: string): string[] {
  return [
    'capture', where,
    ...(s.file === undefined ? [] : ['to', q(s.file)]),
    ...(s.count === undefined ? [] : ['count', String(s.count)]),
    ...(s.seconds === undefined ? [] : ['for', `${s.seconds}s`]),
  ];
}
