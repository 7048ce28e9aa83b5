/**
 * RTM_GETNSID, as `ip netns list` asks it: the id under which the socket's namespace knows the
 * namespace of an open fd (struct rtgenmsg of family AF_UNSPEC, then NETNSA_FD). The answer is an
 * RTM_NEWNSID with NETNSA_NSID, -1 when no id is assigned. A link dump's IFLA_LINK_NETNSID is such
 * an id: a veth's peer is in the namespace whose nsid (seen from the link's namespace) it names.
 */
import { u32 } from '../attr.js';
import { NETNSA_FD, NETNSA_NSID, NETNSA_NSID_NOT_ASSIGNED, NLM_F_REQUEST, RTGENMSG_LEN, RTM_GETNSID } from '../constants.js';
import type { NlMessage, NlRequest } from '../message.js';
import { decodeAttrs, nla } from '../nla.js';

export function nsidGet(netnsFd: number): NlRequest {
  return { type: RTM_GETNSID, flags: NLM_F_REQUEST, header: Buffer.alloc(RTGENMSG_LEN), attrs: [u32(NETNSA_FD, netnsFd)] };
}

export const NETNSA = nla({ nsid: [NETNSA_NSID, 's32'] });

/** The nsid of an RTM_NEWNSID answer (-1: none assigned). */
export function decodeNsid(m: NlMessage): number {
  return decodeAttrs(NETNSA, m.body, RTGENMSG_LEN).nsid ?? NETNSA_NSID_NOT_ASSIGNED;
}
