/** What a name must look like: namespaces, interfaces, endpoints, variables, sysctls, machines, paths. */
import { NS_TYPES, type NsType } from '../core/net.js';
import { MACVLAN_MODE_NAMES } from './statement-spec.js';
import { charAt, isProblem, problem, shift, show, showChar, type Problem } from './value-problem.js';

export const NS_NAME_MAX = 64;
export const IFNAME_MAX = 15;

export function checkNsName(text: string, opts: { allowHost: boolean }): string | Problem {
  if (text === '') return problem('namespace name is empty');
  if (text.length > NS_NAME_MAX) {
    return problem(`namespace name ${show(text)} is ${text.length} characters; nsh allows at most ${NS_NAME_MAX}`);
  }
  const bad = /[^A-Za-z0-9_-]/u.exec(text);
  if (bad || !/^[A-Za-z_]/.test(text)) {
    const at = bad && /^[A-Za-z_]/.test(text) ? bad.index : 0;
    const shown = bad && at === bad.index ? bad[0] : charAt(text, 0);
    return problem(
      `namespace name ${show(text)} may not ${at === 0 ? 'start with' : 'contain'} ${showChar(shown)}`,
      'a namespace name is a letter or _ followed by letters, digits, _ or -',
      at,
      at + shown.length,
    );
  }
  if (!opts.allowHost && text === 'host') {
    return problem('"host" is reserved: it names the namespace nsh was started in', 'choose another name');
  }
  if (!opts.allowHost && text === 'pid') {
    return problem('"pid" is reserved: "pid N" names the namespaces of process N', 'choose another name');
  }
  return text;
}

export function checkIfName(text: string): string | Problem {
  if (text === '') return problem('interface name is empty');
  if (text.length > IFNAME_MAX) {
    return problem(`interface name ${show(text)} is ${text.length} characters; Linux allows at most ${IFNAME_MAX}`);
  }
  const bad = /[^A-Za-z0-9_.-]/u.exec(text);
  if (bad) {
    return problem(
      `interface name ${show(text)} may not contain ${showChar(bad[0])}`,
      'an interface name is letters, digits, _ . and -',
      bad.index,
      bad.index + bad[0].length,
    );
  }
  if (text === '.' || text === '..') return problem(`${show(text)} is not a valid interface name`);
  return text;
}

export interface EndpointValue {
  /** A namespace name, `host`, or `*` for every namespace of the lab. */
  readonly ns: string;
  readonly ifname: string;
  /** `host@MACHINE.IF`: the root namespace (`host`) of another machine. */
  readonly machine?: string;
}

/**
 * `NS.IF`: the first dot separates the namespace from the interface. With `allowMachine`,
 * `host@MACHINE.IF` names an interface of another machine's root namespace.
 */
export function checkEndpoint(text: string, opts: { allowStar: boolean; allowMachine?: boolean }): EndpointValue | Problem {
  const dot = text.indexOf('.');
  if (dot === -1) {
    const hint = /^[A-Za-z0-9_.-]{1,15}$/.test(text) ? `e.g. a.${text} or host.${text}` : 'e.g. a.eth0 or host.veth0';
    return problem(`${show(text)} is not an endpoint: write NAMESPACE.INTERFACE`, hint);
  }
  const ns = text.slice(0, dot);
  const ifname = text.slice(dot + 1);
  if (ns.startsWith('host@')) {
    if (!opts.allowMachine) return problem('host@MACHINE (another machine\'s host namespace) is not allowed here', undefined, 4, dot);
    const m = checkMachineName(ns.slice(5), { allowLocal: true });
    if (isProblem(m)) return shift(m, 5, dot);
    const i = checkIfName(ifname);
    return isProblem(i) ? shift(i, dot + 1, text.length) : { ns: 'host', ifname, machine: m };
  }
  if (ns === '*') {
    if (!opts.allowStar) return problem('"*" (every namespace) is not allowed here', undefined, 0, 1);
  } else {
    const n = checkNsName(ns, { allowHost: true });
    if (isProblem(n)) return shift(n, 0, dot);
  }
  const i = checkIfName(ifname);
  if (isProblem(i)) return shift(i, dot + 1, text.length);
  return { ns, ifname };
}

export function checkVarName(text: string): string | Problem {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) {
    return problem(`${show(text)} is not a variable name`, 'a variable name is a letter or _ followed by letters, digits or _');
  }
  return text;
}

export function checkSysctl(text: string): { key: string; value: string } | Problem {
  const eq = text.indexOf('=');
  if (eq <= 0) return problem(`${show(text)} is not KEY=VALUE`, 'e.g. net.ipv4.ip_forward=1');
  const key = text.slice(0, eq);
  const value = text.slice(eq + 1);
  const parts = key.split(/[./]/);
  if (parts.some(p => p === '' || p === '..' || !/^[A-Za-z0-9_*:@-]+$/.test(p))) {
    return problem(`sysctl key ${show(key)} is not valid`, 'a key is dot-separated names, e.g. net.ipv4.ip_forward', 0, eq);
  }
  if (value === '') return problem(`sysctl ${show(key)} has no value after "="`, `e.g. ${key}=1`, eq, eq + 1);
  return { key: key.replace(/\//g, '.'), value };
}

export { NS_TYPES, type NsType };

export function checkNsType(text: string): NsType | Problem {
  return (NS_TYPES as readonly string[]).includes(text)
    ? (text as NsType)
    : problem(`${show(text)} is not a namespace type`, `one of ${NS_TYPES.join(', ')}`);
}

/** A file's path: any text but the empty one. */
export function checkPath(text: string): string | Problem {
  return text === '' ? problem('the path is empty') : text;
}

export function checkHostname(text: string): string | Problem {
  if (text === '' || text.length > 64) return problem(`hostname ${show(text)} must be 1 to 64 characters`);
  return text;
}

export const MACVLAN_MODES = MACVLAN_MODE_NAMES;
export type MacvlanMode = (typeof MACVLAN_MODES)[number];

export function checkMacvlanMode(text: string): MacvlanMode | Problem {
  return (MACVLAN_MODES as readonly string[]).includes(text)
    ? (text as MacvlanMode)
    : problem(`macvlan mode ${show(text)} is not one of ${MACVLAN_MODES.join(', ')}`);
}

/** The machine that runs the script. */
export const LOCAL_MACHINE = 'local';

/**
 * A machine's name: a namespace name's rules. `machine NAME` may not declare `local`, which
 * names the machine that runs the script; a reference (`ns a on local`) may name it.
 */
export function checkMachineName(text: string, opts: { allowLocal: boolean } = { allowLocal: false }): string | Problem {
  const n = checkNsName(text, { allowHost: true });
  if (isProblem(n)) return { ...n, problem: n.problem.replace('namespace name', 'machine name') };
  if (text === LOCAL_MACHINE && !opts.allowLocal) return problem('"local" is reserved: it names the machine that runs the script', 'choose another name');
  if (text === 'host') return problem('"host" names a namespace, not a machine', 'choose another name');
  return text;
}
