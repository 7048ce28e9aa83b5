/** The arguments of the library's calls, checked as the words of a statement would be. */
import type { NsRef } from '../core/lab.js';
import * as V from '../syntax/values.js';
import type { Site } from './call-site.js';
import { usageError } from './reporting.js';

/** The value, or an NshError (nothing done) saying what is wrong with it. */
export function checked<T>(r: T | V.Problem, site: Site | undefined): T {
  if (V.isProblem(r)) throw usageError(r.problem, site, r.hint);
  return r;
}

/** A namespace by name (`host` included). */
export function nsName(ns: unknown, site: Site | undefined): string {
  if (typeof ns !== 'string') throw usageError(`a namespace is named by a string, got ${typeof ns}`, site);
  return checked(V.checkNsName(ns, { allowHost: true }), site);
}

export function nsRef(ns: unknown, site: Site | undefined): NsRef {
  return { kind: 'name', name: nsName(ns, site) };
}

/** A program and its arguments: a non-empty array of strings, each one argument as it is. */
export function argvOf(argv: unknown, site: Site | undefined): string[] {
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every(a => typeof a === 'string')) {
    throw usageError('a program is given as an array of strings: [program, ...arguments]', site);
  }
  if (argv.some(a => a.includes('\0'))) throw usageError('a program\'s argument cannot hold a NUL character', site);
  if (argv[0] === '') throw usageError('the program\'s name is empty', site);
  return [...argv];
}

export function address(a: unknown, site: Site | undefined): { family: 4 | 6; address: string } {
  if (typeof a !== 'string') throw usageError(`an address is a string, got ${typeof a}`, site);
  return checked(V.checkIp(a), site);
}

/** A whole number in [min, max]. */
export function int(n: unknown, what: string, min: number, max: number, site: Site | undefined): number {
  if (typeof n !== 'number') throw usageError(`${what} is a number, got ${typeof n}`, site);
  return checked(V.checkInt(String(n), what, min, max), site);
}

/** Seconds in [min, max]. */
export function seconds(n: unknown, what: string, min: number, max: number, site: Site | undefined): number {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw usageError(`${what} is a number of seconds, got ${String(n)}`, site);
  return checked(V.checkSeconds(String(n), what, { min, max }), site);
}

/** Standard input given to a program or a connection. */
export function input(text: unknown, site: Site | undefined): { input?: string } {
  if (text === undefined) return {};
  if (typeof text !== 'string') throw usageError(`input is a string, got ${typeof text}`, site);
  return { input: text };
}
