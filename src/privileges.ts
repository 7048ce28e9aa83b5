/** Whether this process may build labs: CAP_SYS_ADMIN and CAP_NET_ADMIN in its effective set. */
import { readFileSync } from 'node:fs';

const CAP_NET_ADMIN = 12n;
const CAP_SYS_ADMIN = 21n;

/** A one-line reason when privileges are missing, or undefined when they are there. */
export function missingPrivileges(): string | undefined {
  let eff = 0n;
  try {
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    eff = m ? BigInt(`0x${m[1]}`) : 0n;
  } catch {
    return 'nsh needs Linux (/proc/self/status is not readable)';
  }
  const has = (cap: bigint) => (eff >> cap) & 1n;
  if (has(CAP_NET_ADMIN) && has(CAP_SYS_ADMIN)) return undefined;
  return 'building a lab needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN): run nsh with sudo, or with --rootless';
}
