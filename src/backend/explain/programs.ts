/** Programs, the built-in ping and nc, jobs, echo and sleep as shell commands. */
import type { JobTarget } from '../backend.js';
import type { Handlers } from '../ops.js';
import type { ExplainContext } from './context.js';
import { q, qPid, words } from './shell.js';

type ProgramHandlers = Pick<Handlers, 'exec' | 'ping' | 'nc' | 'pingall' | 'spawn' | 'jobs' | 'wait' | 'kill' | 'print' | 'sleep'>;

/** A job by its pid variable: bash renumbers %N once jobs are reaped, nsh does not. */
function jobArg(t: JobTarget): string {
  return t.kind === 'job' ? `"\${nsh_job${t.id}}"` : qPid(t.pid);
}

export function programHandlers(x: ExplainContext): ProgramHandlers {
  return {
    exec: async s => x.command(x.enterRef(s.ref) + words(s.argv), s.stdin, s.background),
    ping: async s => {
      const opts = [
        `-c ${s.count} -i ${s.interval} -W ${s.timeout}`,
        ...(s.size === undefined ? [] : [`-s ${s.size}`]),
        ...(s.dontFragment === undefined ? [] : [`-M ${s.dontFragment ? 'do' : 'dont'}`]),
        ...(s.iface === undefined ? [] : [`-I ${q(s.iface)}`]),
      ];
      return x.command(`${x.enterRef(s.ref)}ping ${opts.join(' ')} ${s.address}`, undefined, s.background);
    },
    nc: async s => {
      const u = s.udp ? ' -u' : '';
      const w = s.wait === undefined ? '' : ` -w ${s.wait}`;
      const cmd = s.listen ? `nc${u}${w} -l ${s.port}` : `nc -N${u}${s.scan ? ' -z' : ''}${w} ${s.address} ${s.port}`;
      return x.command(x.enterRef(s.ref) + cmd, s.stdin, s.background);
    },
    pingall: async ({ lab }) => {
      // namespaces with no global address (a switch holding only a bridge) take no part
      const members = lab.filter(ns => x.globalAddrs(ns).length > 0);
      x.emit('nsh_unreachable=0');
      for (const from of members) {
        for (const to of members) {
          if (to === from) continue;
          for (const a of x.globalAddrs(to)) {
            const pair = `${from} -> ${to} ${a}`;
            x.emit(`if ${x.enter(from)}ping -c 1 -W 1 ${a} > /dev/null; then echo ${q(`${pair} ok`)}; else echo ${q(`${pair} unreachable`)}; nsh_unreachable=1; fi`);
          }
        }
      }
      x.emit('[ "$nsh_unreachable" = 0 ]');
    },
    spawn: async s => {
      const flag: Record<string, string> = { uts: '--uts', ipc: '--ipc', pid: '--pid', mnt: '--mount', net: '--net', user: '--user --map-root-user' };
      const opts = s.flags.map(f => (f === 'net' && s.as ? `--net=${q(`/run/netns/${s.as}`)}` : flag[f]!));
      if (s.flags.includes('pid')) opts.push('--fork', '--kill-child');
      if (s.flags.includes('pid') && s.flags.includes('mnt')) opts.push('--mount-proc');
      const pre = s.as ? `mkdir -p /run/netns && touch ${q(`/run/netns/${s.as}`)} && ` : '';
      const cmd = s.hostname === undefined
        ? words(s.argv)
        : `sh -c 'printf %s "$0" > /proc/sys/kernel/hostname && exec "$@"' ${q(s.hostname)} ${words(s.argv)}`;
      const job = x.command(`${pre}unshare ${opts.join(' ')} -- ${cmd}`, s.stdin, s.background);
      // unshare pins the namespace a moment after it starts: wait for it before using the name
      if (s.background && s.as) x.emit(`until mountpoint -q ${q(`/run/netns/${s.as}`)}; do sleep 0.01; done`);
      return job;
    },
    jobs: async () => x.emit('jobs'),
    wait: async ({ targets }) => x.emit(['wait', ...targets.map(jobArg)].join(' ')),
    kill: async ({ targets }) => x.emit(['kill', ...targets.map(jobArg)].join(' ')),
    print: async ({ text }) => x.emit(`echo ${q(text)}`),
    sleep: async ({ seconds }) => x.emit(`sleep ${seconds}`),
  };
}
