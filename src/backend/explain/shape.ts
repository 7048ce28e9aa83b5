/** shape (and veth's shaping) as tc commands: `tc qdisc replace … root netem|tbf …`, `tc qdisc del … root`. */
import type { Endpoint } from '../../core/lab.js';
import { rateBytes, rateText, shapingQdisc, TBF_LATENCY, tbfBurst, timeText, type Shaping } from '../../core/shape.js';
import type { Handlers } from '../ops.js';
import type { ExplainContext } from './context.js';
import { q } from './shell.js';

/** `tc` for the host, `tc -n NS` for a named namespace. */
function tc(ns: string): string {
  return ns === 'host' ? 'tc' : `tc -n ${q(ns)}`;
}

/** The qdisc and its options in tc's words: `netem delay 10ms 2ms loss 1%`, `tbf rate 1mbit burst 3028 latency 50ms`. */
export function tcQdisc(s: Shaping): string {
  if (shapingQdisc(s) === 'tbf') return `tbf rate ${rateText(s.rate!)} burst ${tbfBurst(rateBytes(s.rate!))} latency ${timeText(TBF_LATENCY)}`;
  const out = ['netem'];
  if (s.limit !== undefined) out.push(`limit ${s.limit}`);
  // (jitter is the second value of delay)
  if (s.delay !== undefined) out.push(`delay ${timeText(s.delay)}${s.jitter === undefined ? '' : ` ${timeText(s.jitter)}`}`);
  for (const k of ['loss', 'duplicate', 'reorder', 'corrupt'] as const) if (s[k] !== undefined) out.push(`${k} ${s[k]}%`);
  if (s.rate !== undefined) out.push(`rate ${rateText(s.rate)}`);
  return out.join(' ');
}

/** The commands that shape `ep`'s egress. */
export function shapeCommand(ep: Endpoint, s: Shaping): string {
  return `${tc(ep.ns)} qdisc replace dev ${q(ep.ifname)} root ${tcQdisc(s)}`;
}

export function shapeHandlers(x: ExplainContext): Pick<Handlers, 'shape'> {
  return {
    shape: async ({ eps, shaping }) => {
      for (const ep of eps) {
        // an unshaped link has no root qdisc to delete, which nsh takes for done
        x.emit(shaping === 'off' ? `${tc(ep.ns)} qdisc del dev ${q(ep.ifname)} root 2> /dev/null || true` : shapeCommand(ep, shaping));
      }
      return undefined;
    },
  };
}
