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

/** The kinds of namespace /proc/PID/ns lists. */
export const NS_TYPES = ['net', 'uts', 'ipc', 'pid', 'mnt', 'user', 'cgroup', 'time'] as const;
export type NsType = (typeof NS_TYPES)[number];
