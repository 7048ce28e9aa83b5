/** `await`: until a port listens in a namespace, or an address answers a ping from there (readiness.ts). */
import { awaitTimeoutText } from '../await-text.js';
import { OpError, plainText } from '../backend.js';
import type { Handlers } from '../ops.js';
import type { LinuxContext } from './context.js';
import { errorCode, translate } from './errors.js';
import { hostNetnsFd } from './netns.js';
import { untilAnswers, untilListening } from './readiness.js';

export function awaitHandlers(x: LinuxContext): Pick<Handlers, 'await'> {
  return {
    await: async s => {
      x.settle();
      const outcome = await x.inside(s.ref, async fds => {
        const netFd = fds.net ?? hostNetnsFd();
        const controller = new AbortController();
        const common = { netFd, timeoutMs: s.timeout * 1000, signal: controller.signal };
        const waiting = s.what === 'reach'
          ? untilAnswers({ ...common, address: s.address, family: s.family })
          : untilListening({ ...common, proto: s.what, port: s.port });
        try {
          return await x.procs.whileForeground(() => controller.abort(), waiting);
        } catch (e) {
          if (errorCode(e) !== undefined) translate(e, { what: s.what === 'reach' ? `ping ${s.address}` : 'look at the sockets of the namespace' });
          throw e instanceof Error && e.constructor === Error ? new OpError(e.message) : e; // the built-in ping's sentences
        }
      });
      if (outcome === 'timeout') throw new OpError(plainText(awaitTimeoutText(s)));
      if (outcome === 'aborted') throw new OpError('await was interrupted');
    },
  };
}
