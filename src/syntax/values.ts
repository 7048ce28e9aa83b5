/**
 * What a word must look like in each role (namespace name, interface name, endpoint, address …).
 * Each check returns the typed value or a Problem; a Problem may point at part of the word
 * (`from`/`to`, offsets into the text) so the caret lands under the culprit.
 */
import { cidrText, NS_TYPES, type Cidr, type NsType } from '../core/net.js';
import ipaddr from 'ipaddr.js';
import { MACVLAN_MODE_NAMES } from './statement-spec.js';

export interface Problem {
  readonly problem: string;
  readonly hint?: string;
  readonly from?: number;
  readonly to?: number;
}

export function isProblem(x: unknown): x is Problem {
  return typeof x === 'object' && x !== null && 'problem' in x;
}

/** Characters that show nothing or look like a space (format characters, spaces but " "). */
const INVISIBLE = /[\p{Cf}\p{Z}]/u;
const INVISIBLES = /[\p{Cf}\p{Z}]/gu;

/** `U+200B`. */
function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A value quoted for a message: control characters escaped, invisible ones written U+XXXX, long
 * values cut (never inside a character).
 */
export function show(text: string): string {
  // cut from the middle: the end of a generated name is often what differs
  const chars = text.length > 40 ? Array.from(text) : undefined;
  const cut = chars && chars.length > 40 ? `${chars.slice(0, 24).join('')}…${chars.slice(-15).join('')}` : text;
  return JSON.stringify(cut).replace(INVISIBLES, c => (c === ' ' ? c : `<${codePoint(c)}>`));
}

/** One character for a message: `"😀"`, or `U+200B` for one that shows nothing. */
export function showChar(c: string): string {
  return c !== ' ' && INVISIBLE.test(c) ? codePoint(c) : show(c);
}

/** The whole character (code point) at `index` of `text`. */
export function charAt(text: string, index: number): string {
  const cp = text.codePointAt(index);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

function problem(message: string, hint?: string, from?: number, to?: number): Problem {
  return { problem: message, ...(hint ? { hint } : {}), ...(from !== undefined ? { from, to: to ?? from + 1 } : {}) };
}

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

/** Moves a problem's range into a containing text, or points it at [from, to) there. */
function shift(p: Problem, base: number, end: number): Problem {
  return p.from !== undefined ? { ...p, from: base + p.from, to: base + (p.to ?? p.from + 1) } : { ...p, from: base, to: end };
}

export { cidrText, type Cidr };

function checkIpv4(text: string): string | Problem {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some(p => !/^\d+$/.test(p))) {
    return problem(`${show(text)} is not a valid IPv4 address`, 'write four numbers 0-255 separated by dots, e.g. 10.0.0.1');
  }
  let at = 0;
  for (const p of parts) {
    if (Number(p) > 255) return problem(`octet ${p} in ${show(text)} is over 255`, undefined, at, at + p.length);
    if (p.length > 1 && p.startsWith('0')) {
      return problem(`octet ${show(p)} in ${show(text)} has a leading zero`, 'leading zeros are ambiguous (octal in some tools); drop them', at, at + p.length);
    }
    at += p.length + 1;
  }
  return text;
}

function checkIpv6(text: string): string | Problem {
  if (text.includes('%')) return problem(`zone ${show(text.slice(text.indexOf('%')))} is not allowed in an address here`, undefined, text.indexOf('%'), text.length);
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || !ipaddr.IPv6.isValid(text) || /:::/.test(text)) {
    return problem(`${show(text)} is not a valid IPv6 address`);
  }
  return ipaddr.IPv6.parse(text).toString();
}

/** An address without prefix (a ping target, a gateway). */
export function checkIp(text: string): { family: 4 | 6; address: string } | Problem {
  if (text.includes('/')) return problem(`${show(text)} has a prefix; an address alone is wanted here`, `write ${text.slice(0, text.indexOf('/'))}`);
  if (text.includes(':')) {
    const a = checkIpv6(text);
    return isProblem(a) ? a : { family: 6, address: a };
  }
  if (/^[\d.]+$/.test(text)) {
    const a = checkIpv4(text);
    return isProblem(a) ? a : { family: 4, address: a };
  }
  return problem(`${show(text)} is not an IP address`);
}

/** An address with a prefix length: `10.1.1.1/24`, `fd00::1/64`. */
export function checkCidr(text: string, opts: { needPrefix: boolean } = { needPrefix: true }): Cidr | Problem {
  const slash = text.indexOf('/');
  if (slash === -1) {
    const ip = checkIp(text);
    if (isProblem(ip) || !opts.needPrefix) return isProblem(ip) ? ip : { ...ip, prefix: ip.family === 4 ? 32 : 128 };
    return problem(`address ${show(text)} needs a prefix length`, `e.g. ${text}/${ip.family === 4 ? 24 : 64}`);
  }
  if (slash === 0) return problem(`the address is missing before ${show(text)}`, 'e.g. 10.0.0.1/24', 0, text.length);
  const ip = checkIp(text.slice(0, slash));
  // the caret goes under the address part only
  if (isProblem(ip)) return ip.from === undefined ? { ...ip, from: 0, to: slash } : ip;
  const p = text.slice(slash + 1);
  const max = ip.family === 4 ? 32 : 128;
  if (p === '') return problem('the prefix length is missing after "/"', `e.g. ${text}${ip.family === 4 ? 24 : 64}`, slash, text.length);
  if (!/^\d+$/.test(p)) return problem(`prefix "/${p}" is not a number`, undefined, slash, text.length);
  if (p.length > 1 && p.startsWith('0')) return problem(`prefix "/${p}" has a leading zero`, `write /${Number(p)}`, slash, text.length);
  if (Number(p) > max) {
    return problem(`prefix /${p} is over ${max}, the longest for IPv${ip.family}`, undefined, slash, text.length);
  }
  return { family: ip.family, address: ip.address, prefix: Number(p) };
}

/** A route destination: `default` or a prefix. */
export function checkDestination(text: string): Cidr | 'default' | Problem {
  if (text === 'default') return 'default';
  const c = checkCidr(text, { needPrefix: false });
  return isProblem(c) ? c : checkRoutePrefix(c);
}

function addToBytes(bytes: number[], n: number): boolean {
  let carry = n;
  for (let i = bytes.length - 1; i >= 0 && carry > 0; i--) {
    const v = bytes[i]! + carry;
    bytes[i] = v & 0xff;
    carry = v >> 8;
  }
  return carry === 0;
}

function inPrefix(addr: ipaddr.IPv4 | ipaddr.IPv6, net: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): boolean {
  return addr.kind() === net.kind() && (addr as ipaddr.IPv4).match(net as ipaddr.IPv4, prefix);
}

/**
 * The veth shorthand: the left end gets `c`, the right end the next address of the same prefix;
 * when `c` is the network address, the ends get the first and second host addresses.
 */
export function shorthandPair(c: Cidr): [Cidr, Cidr] | Problem {
  const text = cidrText(c);
  const bits = c.family === 4 ? 32 : 128;
  const hostBits = bits - c.prefix;
  if (hostBits < 1) return problem(`${text} leaves no room for a second address`, `use a shorter prefix, e.g. ${c.address}/${c.family === 4 ? 30 : 126}`);
  const addr = ipaddr.parse(c.address);
  const net = c.family === 4 ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
  const step = (a: ipaddr.IPv4 | ipaddr.IPv6, n: number) => {
    const b = a.toByteArray();
    return addToBytes(b, n) ? ipaddr.fromByteArray(b) : undefined;
  };
  // With a /31 (or /127) both addresses are hosts (RFC 3021); otherwise the network address is not.
  const left = inPrefix(addr, net, bits) && hostBits > 1 ? step(addr, 1) : addr;
  const right = left && step(left, 1);
  const broadcast = c.family === 4 && hostBits > 1 ? ipaddr.IPv4.broadcastAddressFromCIDR(text) : undefined;
  if (!left || !right || !inPrefix(right, net, c.prefix) || (broadcast && inPrefix(right, broadcast, bits))) {
    return problem(`${text} has no room for the next address in its prefix`, `give both ends an address, or start lower: ${net.toString()}/${c.prefix}`);
  }
  const mk = (a: ipaddr.IPv4 | ipaddr.IPv6): Cidr => ({ family: c.family, address: a.toString(), prefix: c.prefix });
  return [mk(left), mk(right)];
}

/**
 * nsh's integers (arithmetic in ${…}, the ends of a `for` range): whole numbers from -10^15 to
 * 10^15, computed exactly (BigInt); a number or a result outside is an error.
 */
export const INT_LIMIT = 10n ** 15n;
export const INT_RANGE = 'between -10^15 and 10^15';

export function inIntRange(n: bigint): boolean {
  return n >= -INT_LIMIT && n <= INT_LIMIT;
}

/** The problem of a number outside nsh's integers: `the number 9007199254740993 is out of range: …`. */
export function outOfIntRange(what: string, n: bigint | string): Problem {
  return problem(`${what} ${n} is out of range: nsh's integers are ${INT_RANGE}`);
}

/** One of nsh's integers, written in decimal. */
export function checkInteger(text: string, what: string): number | Problem {
  if (!/^-?\d+$/.test(text)) return problem(`${what} ${show(text)} is not a whole number`);
  return inIntRange(BigInt(text)) ? Number(text) : outOfIntRange(what, text);
}

export function checkInt(text: string, what: string, min: number, max: number): number | Problem {
  if (!/^-?\d+$/.test(text)) return problem(`${what} ${show(text)} is not a whole number`);
  const n = Number(text);
  if (n < min || n > max) return problem(`${what} ${text} is out of range ${min}-${max}`);
  return n;
}

export function checkSeconds(text: string, what: string, opts: { min: number; max: number }): number | Problem {
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(text)) return problem(`${what} ${show(text)} is not a number of seconds`);
  const n = Number(text);
  if (n < opts.min || n > opts.max) return problem(`${what} ${text} is out of range ${opts.min}-${opts.max} seconds`);
  return n;
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

export const PID_MAX = 4_194_304;

/** A process id: 1 to the kernel's pid_max limit. */
export function checkPid(text: string): number | Problem {
  return checkInt(text, 'process id', 1, PID_MAX);
}

/** A route destination whose host bits are zero, as iproute2 requires. */
export function checkRoutePrefix(c: Cidr): Cidr | Problem {
  const net = c.family === 4
    ? ipaddr.IPv4.networkAddressFromCIDR(`${c.address}/${c.prefix}`).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(`${c.address}/${c.prefix}`).toString();
  if (net !== c.address) {
    return problem(`${c.address}/${c.prefix} has host bits set: the prefix is ${net}/${c.prefix}`, `write ${net}/${c.prefix}`);
  }
  return c;
}

// ---- v2 values: times, percentages, rates, ports, VLANs, targets -------------------------------

/** `1.5` times 10^exp as an exact integer (BigInt), or undefined when a fraction would remain. */
function scaled(number: string, exp: number): bigint | undefined {
  const [whole = '', frac = ''] = number.split('.');
  const digits = frac.replace(/0+$/, '');
  if (digits.length > exp) return undefined;
  return BigInt(`${whole || '0'}${digits.padEnd(exp, '0')}`);
}

const DECIMAL = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const TIME = new RegExp(`^${DECIMAL}(us|ms|s)?$`, 'i');
const TIME_HINT = 'write 250us, 10ms, 1.5s or a number of seconds';

/**
 * TIME: `250us`, `10ms`, `1.5s`, or a bare number of seconds; a whole number of microseconds.
 * Returns seconds. `what` names the value in messages (`delay`, `sleep time`).
 */
export function checkTime(text: string, what: string, range: { min: number; max: number }): number | Problem {
  const m = TIME.exec(text);
  if (!m) {
    const unit = /^[\d.]+([A-Za-z]+)$/.exec(text)?.[1];
    if (unit && /^[\d]+(\.\d+)?[A-Za-z]+$/.test(text)) {
      return problem(`${what} ${show(text)} has the unit ${show(unit)}, which nsh does not know`, `units are us, ms and s: ${TIME_HINT}`);
    }
    return problem(`${what} ${show(text)} is not a time`, TIME_HINT);
  }
  const unit = (m[2] ?? 's').toLowerCase();
  const us = scaled(m[1]!, unit === 'us' ? 0 : unit === 'ms' ? 3 : 6);
  if (us === undefined) return problem(`${what} ${show(text)} is finer than a microsecond`, TIME_HINT);
  const seconds = Number(us) / 1e6;
  if (seconds < range.min || seconds > range.max) {
    return problem(`${what} ${text} is out of range: it is between ${timeText(range.min)} and ${timeText(range.max)}`);
  }
  return seconds;
}

/** A number of seconds as TIME text: 0.25 → 250ms. */
export function timeText(seconds: number): string {
  if (seconds !== 0 && seconds < 1e-3) return `${Math.round(seconds * 1e6)}us`;
  if (seconds !== 0 && seconds < 1) return `${Math.round(seconds * 1e6) / 1e3}ms`;
  return `${seconds}s`;
}

/** PCT: `1%`, `0.5%`, from 0 to 100. Returns the percentage. */
export function checkPercent(text: string, what: string): number | Problem {
  const m = new RegExp(`^${DECIMAL}%$`).exec(text);
  if (!m) {
    const hint = new RegExp(`^${DECIMAL}$`).test(text) ? `write ${text}%` : 'write a percentage, e.g. 1% or 0.5%';
    return problem(`${what} ${show(text)} is not a percentage`, hint);
  }
  const n = Number(m[1]);
  if (n > 100) return problem(`${what} ${text} is over 100%`);
  return n;
}

const RATE_UNITS: Readonly<Record<string, number>> = { bit: 0, kbit: 3, mbit: 6, gbit: 9 };
/** The lowest and highest RATE, in bit/s: a byte per second (the kernel counts bytes), 1000gbit. */
export const RATE_MIN = 8;
export const RATE_MAX = 1e12;

/** RATE: a number with bit, kbit, mbit or gbit (any case; decimal: 1mbit = 1,000,000 bit/s). Returns bit/s. */
export function checkRate(text: string, what = 'rate'): number | Problem {
  const m = new RegExp(`^${DECIMAL}([A-Za-z]*)$`).exec(text);
  const hint = 'write a number with bit, kbit, mbit or gbit, e.g. 10mbit';
  if (!m) return problem(`${what} ${show(text)} is not a rate`, hint);
  const unit = m[2]!.toLowerCase();
  if (unit === '') return problem(`${what} ${show(text)} needs a unit`, hint);
  const exp = RATE_UNITS[unit];
  if (exp === undefined) {
    const bytes = /^[kmg]?bps$/.test(unit) ? `nsh counts bits: ${unit} in tc is bytes per second, ${unit.replace('bps', 'bit')} is bits` : hint;
    return problem(`${what} ${show(text)} has the unit ${show(m[2]!)}, which nsh does not know`, bytes);
  }
  const bits = scaled(m[1]!, exp);
  if (bits === undefined) return problem(`${what} ${text} is not a whole number of bits per second`, hint);
  if (bits < BigInt(RATE_MIN) || bits > BigInt(RATE_MAX)) return problem(`${what} ${text} is out of range: it is between 8bit and 1000gbit`);
  return Number(bits);
}

export function checkPort(text: string): number | Problem {
  return checkInt(text, 'port', 1, 65535);
}

export const VLAN_MIN = 1;
export const VLAN_MAX = 4094;

export function checkVlanId(text: string): number | Problem {
  return checkInt(text, 'VLAN ID', VLAN_MIN, VLAN_MAX);
}

/** The VXLAN network identifiers: 24 bits (0 is refused, as most peers and switches do). */
export const VNI_MIN = 1;
export const VNI_MAX = 0xffffff;

export function checkVni(text: string): number | Problem {
  return checkInt(text, 'VNI', VNI_MIN, VNI_MAX);
}

/** `10`, `10,20,30`: VLAN IDs, each once. The problem points at the bad one. */
export function checkVlanList(text: string): number[] | Problem {
  const ids: number[] = [];
  let at = 0;
  for (const part of text.split(',')) {
    if (part === '') return problem(`VLAN list ${show(text)} has an empty entry`, 'write IDs separated by commas, e.g. 10,20', at, at + 1);
    const id = checkVlanId(part);
    if (isProblem(id)) return { ...id, from: at, to: at + part.length };
    if (ids.includes(id)) return problem(`VLAN ${id} is listed twice`, undefined, at, at + part.length);
    ids.push(id);
    at += part.length + 1;
  }
  return ids;
}

export const MACVLAN_MODES = MACVLAN_MODE_NAMES;
export type MacvlanMode = (typeof MACVLAN_MODES)[number];

export function checkMacvlanMode(text: string): MacvlanMode | Problem {
  return (MACVLAN_MODES as readonly string[]).includes(text)
    ? (text as MacvlanMode)
    : problem(`macvlan mode ${show(text)} is not one of ${MACVLAN_MODES.join(', ')}`);
}

export interface PublishTarget {
  readonly family: 4 | 6;
  readonly address: string;
  /** Absent: the published port. */
  readonly port?: number;
}

/** `10.0.0.2`, `10.0.0.2:8080`, `fd00::2`, `[fd00::2]:80`. */
export function checkPublishTarget(text: string): PublishTarget | Problem {
  let host = text;
  let portText: string | undefined;
  let portAt = 0;
  const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
  if (bracket) {
    host = bracket[1]!;
    portText = bracket[2];
    portAt = host.length + 3;
    if (!host.includes(':')) return problem(`${show(text)}: brackets are for an IPv6 address`, `write ${host}${portText === undefined ? '' : `:${portText}`}`);
  } else if (text.startsWith('[')) {
    return problem(`${show(text)} has no closing "]"`, 'an IPv6 target with a port is written [fd00::2]:80');
  } else if (/^[^:]*:[^:]*$/.test(text)) {
    [host, portText] = text.split(':') as [string, string];
    portAt = host.length + 1;
  }
  const ip = checkIp(host);
  if (isProblem(ip)) return bracket ? shift(ip, 1, host.length + 1) : ip.from === undefined ? { ...ip, from: 0, to: host.length } : ip;
  if (portText === undefined) return { family: ip.family, address: ip.address };
  const port = checkPort(portText);
  if (isProblem(port)) return { ...port, from: portAt, to: text.length };
  return { family: ip.family, address: ip.address, port };
}

export interface SshTarget {
  readonly user?: string;
  readonly host: string;
}

/** `[USER@]HOST`: HOST a host name or an IP address. */
export function checkSshTarget(text: string): SshTarget | Problem {
  const at = text.lastIndexOf('@');
  const user = at === -1 ? undefined : text.slice(0, at);
  const host = text.slice(at + 1);
  if (user !== undefined && !/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(user)) {
    return problem(`${show(user)} is not a user name`, 'write USER@HOST, e.g. root@10.0.0.5', 0, Math.max(at, 1));
  }
  if (host === '') return problem(`${show(text)} has no host after "@"`, 'write USER@HOST, e.g. root@10.0.0.5', at, at + 1);
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (/^[\d.]+$/.test(bare) || bare.includes(':')) {
    const ip = checkIp(bare);
    return isProblem(ip) ? shift(ip, at + 1, text.length) : { ...(user ? { user } : {}), host: ip.address };
  }
  const label = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
  if (host.length > 253 || !host.split('.').every(l => label.test(l))) {
    return problem(`${show(host)} is not a host name or an IP address`, undefined, at + 1, text.length);
  }
  return { ...(user ? { user } : {}), host };
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

/** What an option says of its value (statements.ts's OptionSpec). */
export interface OptionValueSpec {
  readonly word: string;
  readonly value?: string;
  readonly range?: readonly [number, number];
  readonly choices?: readonly string[];
}

/**
 * The value of an option word, checked by its kind: TIME (seconds), PCT, RATE (bit/s), N, PORT,
 * MODE, MACHINE; any other kind is returned as it is written.
 */
export function checkOptionValue(o: OptionValueSpec, text: string): string | number | Problem {
  const [min, max] = o.range ?? [0, Number.MAX_SAFE_INTEGER];
  switch (o.value) {
    case 'TIME':
      return checkTime(text, o.word, { min, max });
    case 'PCT':
      return checkPercent(text, o.word);
    case 'RATE':
      return checkRate(text, o.word);
    case 'N':
      return checkInt(text, o.word, min, max);
    case 'PORT':
      return checkPort(text);
    case 'MACHINE':
      return checkMachineName(text, { allowLocal: true });
    case 'MODE':
      return o.choices?.includes(text) ? text : problem(`${o.word} ${show(text)} is not one of ${(o.choices ?? []).join(', ')}`);
    default:
      return text;
  }
}
