/** Programs inside namespaces, the built-in ping and nc, spawn, jobs, echo and sleep. */
import type { Handlers } from '../ops.js';
import { OpError, plainText, type NsRef } from '../backend.js';
import type { LinuxContext } from './context.js';
import { cannotRun, mountView } from './mount-view.js';
import { hostNetnsFd } from './netns.js';
import { StartError, startError } from './processes.js';
import { runNc } from './nc-runner.js';
import { runPing, runPingall } from './ping-runner.js';
import { pinWhenReady, unshareArgv, whenUnshared } from './spawn.js';

/**
 * The words that start a program in `ref` so that it sees the namespace's own /sys and /etc/netns
 * files, as ip netns exec gives them (mount-view.ts). Through them a missing program would only be
 * the shell's complaint, so it is looked up first: a sentence, as when node starts it itself.
 */
export function launcher(ref: NsRef, program: string): string[] {
  const via = mountView(ref);
  const missing = via.length > 0 ? cannotRun(program) : undefined;
  if (missing) throw startError(program, missing);
  return via;
}

type ProgramHandlers = Pick<Handlers, 'exec' | 'ping' | 'nc' | 'pingall' | 'spawn' | 'jobs' | 'wait' | 'kill' | 'print' | 'sleep'>;

export function programHandlers(x: LinuxContext): ProgramHandlers {
  return {
    exec: async s => {
      x.settle();
      const argv = s.argv.map(plainText);
      const stdin = s.stdin === undefined ? undefined : plainText(s.stdin);
      try {
        const via = launcher(s.ref, argv[0]!);
        return await x.inside(s.ref, async fds => {
          if (s.collect) {
            const { input } = s.collect;
            return s.background ? x.procs.collectJob(fds, argv, input, via) : x.procs.collect(fds, argv, input, via);
          }
          if (s.background) return x.procs.background(fds, argv, stdin, via);
          await x.procs.run(fds, argv, stdin, undefined, via);
          return undefined;
        });
      } catch (e) {
        throw e instanceof StartError ? e.pointingAt(s.programAt) : e;
      } finally {
        x.handles.forgetLinks(); // a program may have changed links
      }
    },

    ping: async s => {
      x.settle();
      return x.inside(s.ref, fds => runPing(s, fds.net ?? hostNetnsFd(), x.opts.stdout, x.procs));
    },

    nc: async s => {
      x.settle();
      return x.inside(s.ref, fds => runNc(s, fds.net ?? hostNetnsFd(), x.opts.stdout, x.procs));
    },

    pingall: async ({ lab }) => {
      x.settle();
      await runPingall(lab, ns => x.handles.socket(ns), ns => x.handles.netFd(ns), x.opts.stdout, x.opts.color);
    },

    spawn: async s => {
      x.settle();
      try {
        const argv = unshareArgv(s);
        const stdin = s.stdin === undefined ? undefined : plainText(s.stdin);
        const as = s.as;
        if (s.background) {
          const job = await x.procs.background({}, argv, stdin);
          // the statement ends once the namespaces exist: $! and a pin right after must see them
          if (as !== undefined) await pinWhenReady(job.pid as number, as);
          else await whenUnshared(job.pid as number, s.flags);
          return job;
        }
        await x.procs.run({}, argv, stdin, as === undefined ? undefined : pid => pinWhenReady(pid, as));
        return undefined;
      } finally {
        x.handles.forgetLinks(); // a program may have changed links
      }
    },

    jobs: async () => {
      const lines = x.procs.list();
      if (lines.length > 0) x.out(lines.join('\n'));
    },

    wait: async ({ targets }) => x.procs.wait(targets),

    kill: async ({ targets }) => x.procs.kill(targets),

    print: async ({ text }) => x.out(plainText(text)),

    sleep: async ({ seconds }) => {
      x.settle();
      // Ctrl-C ends a sleep at once, as it ends a program
      let timer: NodeJS.Timeout | undefined;
      let stop: () => void = () => {};
      const slept = new Promise<boolean>(resolve => {
        timer = setTimeout(() => resolve(true), seconds * 1000);
        stop = () => resolve(false);
      });
      const done = await x.procs.whileForeground(stop, slept);
      clearTimeout(timer);
      if (!done) throw new OpError('sleep was interrupted');
    },
  };
}
