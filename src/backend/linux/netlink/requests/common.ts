/**
 * What the request builders share: the nlmsghdr flags of each kind of request, and where a link
 * goes. Each builder returns an NlRequest (type, flags, family header, attributes); RtnlSocket
 * adds seq and encodes. Where iproute2 sends the same request, attribute order and header fields
 * follow it byte for byte (test/backend-linux/netlink-encode.test.ts and netlink-ext.test.ts, whose
 * fixtures are captured from ip, tc, bridge and ss).
 */
import { type Attr, u32 } from '../attr.js';
import { IFLA_NET_NS_FD, IFLA_NET_NS_PID, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST } from '../constants.js';

export const NEW = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE; // `ip ... add`
export const SET = NLM_F_REQUEST | NLM_F_ACK; // `ip link set`, `... del`
export const REPLACE = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE; // `tc qdisc replace`
export const DUMP = NLM_F_REQUEST | NLM_F_DUMP;

/** Where a link goes: a namespace fd (IFLA_NET_NS_FD) or a process's namespace (IFLA_NET_NS_PID). */
export type NetnsTarget = { fd: number } | { pid: number };

export function netnsAttr(t: NetnsTarget): Attr {
  return 'fd' in t ? u32(IFLA_NET_NS_FD, t.fd) : u32(IFLA_NET_NS_PID, t.pid);
}
