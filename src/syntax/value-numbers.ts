/** What a number must look like: nsh's integers, counts, seconds, TIME, PCT, RATE, ports, VLAN IDs, VNIs, process ids. */
import { isProblem, problem, show, type Problem } from './value-problem.js';

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

export const PID_MAX = 4_194_304;

/** A process id: 1 to the kernel's pid_max limit. */
export function checkPid(text: string): number | Problem {
  return checkInt(text, 'process id', 1, PID_MAX);
}

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
