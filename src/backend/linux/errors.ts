/**
 * Kernel errors as sentences about the statement's objects: never a raw errno or a stack trace.
 * `explain` turns a SysError or NetlinkError into the OpError the interpreter reports.
 */
import { OpError } from '../backend.js';
import { SysError } from './libc.js';
import { NetlinkError } from './netlink/index.js';

/** What was being done, in the words of the statement: the objects a code's sentence is about. */
export interface Doing {
  /** e.g. 'create namespace "a"' */
  readonly what: string;
  /** Sentences for specific errno codes, e.g. { EEXIST: 'namespace "a" already exists' }. */
  readonly codes?: Readonly<Record<string, string>>;
  /** A hint for specific codes. */
  readonly hints?: Readonly<Record<string, string>>;
}

const ROOT_HINT = 'nsh needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN): run it with sudo, or with --rootless';

/** A system call's error, from our libc layer, netlink, or node's own fs calls. */
function isSystemError(e: unknown): e is { code: string; message: string } {
  if (e instanceof NetlinkError || e instanceof SysError) return true;
  const n = e as NodeJS.ErrnoException;
  return e instanceof Error && typeof n.code === 'string' && typeof n.errno === 'number';
}

export function errorCode(e: unknown): string | undefined {
  return isSystemError(e) ? e.code : undefined;
}

/** Re-throws `e` as an OpError when it is a kernel error; anything else is a bug and passes through. */
export function translate(e: unknown, doing: Doing): never {
  if (e instanceof OpError) throw e;
  if (!isSystemError(e)) throw e;
  const code = e.code;
  const said = doing.codes?.[code];
  if (said) throw new OpError(said, { hint: doing.hints?.[code] });
  if (code === 'EPERM' || code === 'EACCES') throw new OpError(`cannot ${doing.what}: permission denied`, { hint: ROOT_HINT });
  const why = e instanceof NetlinkError && e.extack ? e.extack : describe(code);
  throw new OpError(`cannot ${doing.what}: ${why}`, { hint: doing.hints?.[code] });
}

/** A sentence for "not supported", which the kernel's errno 95 is named either way (EOPNOTSUPP, ENOTSUP). */
export function unsupported(sentence: string): Record<'EOPNOTSUPP' | 'ENOTSUP', string> {
  return { EOPNOTSUPP: sentence, ENOTSUP: sentence };
}

/** Runs fn; a kernel error becomes an OpError about `doing`. */
export function attempt<T>(doing: Doing, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    translate(e, doing);
  }
}

const words: Record<string, string> = {
  EEXIST: 'it already exists',
  ENOENT: 'it does not exist',
  ENODEV: 'no such interface',
  EBUSY: 'it is busy',
  EINVAL: 'the kernel refused the request as invalid',
  ERANGE: 'a value is out of range',
  ENOSPC: 'the kernel has no room left for it',
  ENOMEM: 'the kernel is out of memory',
  EMFILE: 'nsh has too many files open (raise the limit with ulimit -n)',
  ENFILE: 'the system has too many files open',
  EADDRINUSE: 'the address is in use',
  EADDRNOTAVAIL: 'the address is not available',
  ENETUNREACH: 'the network is unreachable',
  EOPNOTSUPP: 'the kernel does not support it',
  ENOTSUP: 'the kernel does not support it',
  EAFNOSUPPORT: 'the address family is not supported',
};

function describe(code: string): string {
  return words[code] ?? `the kernel said ${code}`;
}
