/** show, info, same and pin as iproute2 and util-linux commands. */
import type { NsRef } from '../backend.js';
import type { Handlers } from '../ops.js';
import { ip, type ExplainContext } from './context.js';
import { q, qPid } from './shell.js';

type IdentityHandlers = Pick<Handlers, 'show' | 'info' | 'same' | 'pin'>;

export function identityHandlers(x: ExplainContext): IdentityHandlers {
  return {
    show: async s => {
      const what = s.what === 'tree' ? ['link', 'addr'] : [s.what.slice(0, -1)];
      const json = s.json ? ' -j' : ' -br';
      for (const ns of s.ns ? [s.ns] : ['host', ...s.lab]) {
        for (const w of what) x.emit(`${ip(ns)}${w === 'route' ? '' : json} ${w}${w === 'route' ? ' show' : ''}`);
      }
      return undefined;
    },
    info: async ({ ref }) => {
      if (ref.kind === 'pid' || (ref.kind === 'name' && ref.name === 'host')) {
        x.emit(`ls -l ${ref.kind === 'pid' ? `/proc/${qPid(ref.pid)}/ns` : '/proc/$$/ns'}`);
      } else x.emit(`${x.enterRef(ref)}ls -l /proc/self/ns`);
    },
    same: async ({ a, b, type }) => {
      const wholeProcess = (r: NsRef) => r.kind === 'pid' || (r.kind === 'name' && r.name === 'host');
      const types = type ? [type] : wholeProcess(a) && wholeProcess(b) ? ['net', 'uts', 'ipc', 'pid', 'mnt', 'user', 'cgroup'] : ['net'];
      for (const t of types) {
        x.emit(`test "$(stat -L -c %i ${x.nsFile(a, t)})" = "$(stat -L -c %i ${x.nsFile(b, t)})"`);
      }
    },
    pin: async ({ ref, target }) => {
      if (target.kind === 'name' && ref.kind === 'pid') {
        x.emit(`ip netns attach ${q(target.name)} ${qPid(ref.pid)}`);
        return undefined;
      }
      const file = target.kind === 'name' ? `/run/netns/${target.name}` : target.path;
      if (target.kind === 'name') x.emit('mkdir -p /run/netns');
      x.emit(`touch ${q(file)} && mount --bind ${x.nsFile(ref, 'net')} ${q(file)}`);
      return undefined;
    },
  };
}
