/** The arguments of the built-in programs of `in`: ping and nc, with iputils' and netcat's option letters. */
import type * as A from '../../syntax/ast.js';
import * as V from '../../syntax/values.js';
import { show } from '../../syntax/values.js';
import type { NcOp, PingOp } from '../../backend/ops.js';
import type { Roles } from '../roles.js';
import { fail } from '../roles.js';

type PingArgs = Pick<PingOp, 'address' | 'family' | 'count' | 'interval' | 'timeout' | 'size' | 'dontFragment' | 'iface'>;
type NcArgs = Pick<NcOp, 'listen' | 'udp' | 'address' | 'port' | 'scan' | 'wait'>;

const PING_HINT = 'the built-in ping takes ADDR [-c N] [-i SEC] [-W SEC] [-s SIZE] [-M do|dont] [-I IF]; run another ping by its path, e.g. /usr/bin/ping';
const NC_HINT = 'the built-in nc takes -l [-u] [-w SEC] PORT, or [-u] [-z] [-w SEC] ADDR PORT';

/**
 * `ping ADDR [-c N] [-i SEC] [-W SEC] [-s SIZE] [-M do|dont] [-I IF]`; `words[0]` is `ping`. A
 * word that is data (`data[i]`: a value of the embedding program) is never taken for an option.
 */
export function pingArgs(roles: Roles, args: readonly string[], words: readonly A.Word[], data: readonly boolean[] = []): PingArgs {
  let count = 3;
  let interval = 0.2;
  let timeout = 1;
  let size: number | undefined;
  let dontFragment: boolean | undefined;
  let iface: string | undefined;
  let target: { family: 4 | 6; address: string } | undefined;
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    const w = words[i]!;
    const opt = data[i] ? undefined : a;
    const value = <T>(check: (t: string) => T | V.Problem): T => {
      if (args[i + 1] === undefined) fail(`ping option ${a} needs a value`, w.span, PING_HINT);
      i++;
      return roles.checked(words[i]!, args[i]!, check);
    };
    if (opt === '-c') count = value(t => V.checkInt(t, 'ping count', 1, 1_000_000));
    else if (opt === '-i') interval = value(t => V.checkSeconds(t, 'ping interval', { min: 0.001, max: 3600 }));
    else if (opt === '-W') timeout = value(t => V.checkSeconds(t, 'ping timeout', { min: 0.001, max: 3600 }));
    else if (opt === '-s') size = value(t => V.checkInt(t, 'ping size', 0, 65507));
    else if (opt === '-M') {
      dontFragment = value((t): boolean | V.Problem =>
        t === 'do' ? true : t === 'dont' ? false : { problem: `ping -M takes do or dont, not ${show(t)}`, hint: '-M do sets the don\'t-fragment bit, as iputils ping does' },
      );
    } else if (opt === '-I') iface = value(V.checkIfName);
    else if (opt?.startsWith('-')) fail(`the built-in ping has no option ${a}`, w.span, PING_HINT);
    else if (target) fail(`ping takes one address, found another: ${show(a)}`, w.span, PING_HINT);
    else target = roles.checked(w, a, V.checkIp);
  }
  if (!target) fail('ping needs an address', words[0]!.span, PING_HINT);
  return {
    address: target.address,
    family: target.family,
    count,
    interval,
    timeout,
    ...(size === undefined ? {} : { size }),
    ...(dontFragment === undefined ? {} : { dontFragment }),
    ...(iface === undefined ? {} : { iface }),
  };
}

/** `nc -l [-u] [-w SEC] PORT` or `nc [-u] [-z] [-w SEC] ADDR PORT`; `words[0]` is `nc`; `data` as for pingArgs. */
export function ncArgs(roles: Roles, args: readonly string[], words: readonly A.Word[], data: readonly boolean[] = []): NcArgs {
  let listen = false;
  let udp = false;
  let scan = false;
  let wait: number | undefined;
  const rest: [string, A.Word][] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    const w = words[i]!;
    if (data[i]) rest.push([a, w]);
    else if (a === '-w') {
      if (args[i + 1] === undefined) fail('nc option -w needs a value', w.span, NC_HINT);
      i++;
      wait = roles.checked(words[i]!, args[i]!, t => V.checkSeconds(t, 'nc wait', { min: 0.001, max: 86400 }));
    } else if (/^-[luz]+$/.test(a)) {
      listen ||= a.includes('l');
      udp ||= a.includes('u');
      scan ||= a.includes('z');
    } else if (a.startsWith('-') && !/^-\d/.test(a)) fail(`the built-in nc has no option ${a}`, w.span, NC_HINT);
    else rest.push([a, w]);
  }
  const last = words[words.length - 1]!;
  const port = (pair: [string, A.Word] | undefined) => {
    if (!pair) fail('nc needs a port', last.span, NC_HINT);
    return roles.checked(pair[1], pair[0], t => V.checkInt(t, 'port', 1, 65535));
  };
  const extra = { ...(scan ? { scan } : {}), ...(wait === undefined ? {} : { wait }) };
  if (listen) {
    if (scan) fail('nc -z checks a port of another side; it cannot listen', words.find(w => /z/.test(w.raw) && w.raw.startsWith('-'))!.span, NC_HINT);
    if (rest.length > 1) fail('nc -l takes only a port', rest[0]![1].span, NC_HINT);
    return { listen, udp, port: port(rest[0]), ...extra };
  }
  if (rest.length !== 2) {
    const msg = `nc needs an address and a port, got ${rest.length} argument${rest.length === 1 ? '' : 's'}`;
    fail(msg, (rest[2]?.[1] ?? last).span, NC_HINT);
  }
  const addr = roles.checked(rest[0]![1], rest[0]![0], V.checkIp);
  return { listen, udp, address: addr.address, port: port(rest[1]), ...extra };
}
