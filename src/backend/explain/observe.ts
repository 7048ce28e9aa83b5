/** capture and await as shell commands: tcpdump, and `until` loops over ss and ping under `timeout`. */
import { piecesOf, textOf } from '../../core/text.js';
import { awaitTimeoutText } from '../await-text.js';
import type { Handlers } from '../ops.js';
import type { ExplainContext } from './context.js';
import { q } from './shell.js';

type ObserveHandlers = Pick<Handlers, 'capture' | 'await'>;

export function observeHandlers(x: ExplainContext): ObserveHandlers {
  return {
    capture: async s => {
      const what = s.file === undefined ? ' -tttt' : ` -w ${q(s.file)}`;
      const count = s.count === undefined ? '' : ` -c ${s.count}`;
      const tcpdump = `tcpdump -n -i ${q(s.ep.ifname)}${what}${count}`;
      if (s.seconds === undefined) return x.command(x.enter(s.ep.ns) + tcpdump, undefined, s.background);
      // `timeout` ends it with status 124, which is how a capture `for TIME` ends
      const timed = `${x.enter(s.ep.ns)}timeout ${s.seconds} ${tcpdump}`;
      return x.command(s.background ? timed : `${timed} || [ $? -eq 124 ]`, undefined, s.background);
    },
    await: async s => {
      const check = s.what === 'reach'
        ? `ping -c1 -W1 ${s.address} > /dev/null 2>&1`
        : `ss -Hl${s.what === 'tcp' ? 't' : 'u'}n sport = :${s.port} | grep -q .`;
      const loop = `until ${check}; do sleep 0.01; done`;
      x.emit(`${x.enterRef(s.ref)}timeout ${s.timeout} sh -c ${q(loop)} || { echo ${q(textOf(['nsh: ', ...piecesOf(awaitTimeoutText(s))]))} >&2; false; }`);
    },
  };
}
