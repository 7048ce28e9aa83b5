/** Network values that every layer shares: addresses with prefixes, namespace types. */

/** An address with its prefix length, as `10.1.1.1/24` or `fd00::1/64`. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly address: string;
  readonly prefix: number;
}

export function cidrText(c: Cidr): string {
  return `${c.address}/${c.prefix}`;
}

/** A dotted IPv4 address (valid) as a number, 0 to 2^32 − 1: for arithmetic in numbers where ipaddr.js's parse would cost. */
export function ipv4Number(text: string): number {
  return text.split('.').reduce((x, octet) => x * 256 + Number(octet), 0);
}

/** A number, 0 to 2^32 − 1, as a dotted IPv4 address. */
export function ipv4Text(n: number): string {
  return `${Math.floor(n / 2 ** 24)}.${Math.floor(n / 2 ** 16) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/** The kinds of namespace /proc/PID/ns lists. */
export const NS_TYPES = ['net', 'uts', 'ipc', 'pid', 'mnt', 'user', 'cgroup', 'time'] as const;
export type NsType = (typeof NS_TYPES)[number];
