/** Address requests: `ip addr add|del`, and the address dump. */
import ipaddr from 'ipaddr.js';
import { bytes } from '../attr.js';
import {
  AF_INET, AF_INET6, AF_UNSPEC, IFA_ADDRESS, IFA_F_NODAD, IFA_LOCAL, RTM_DELADDR, RTM_GETADDR, RTM_NEWADDR,
} from '../constants.js';
import { ifaddrmsg } from '../headers.js';
import type { NlRequest } from '../message.js';
import { DUMP, NEW, SET } from './common.js';

export interface Prefix {
  /** an IPv4 or IPv6 address in text form */
  address: string;
  prefix: number;
}

/** An IPv4 address in its usual form (decimal, no leading zeros), the form nsh writes addresses in. */
const DOTTED = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Address bytes and family of a textual IPv4/IPv6 address. */
export function addrBytes(text: string): { family: number; bytes: Buffer } {
  // (the usual IPv4 form is read here: ipaddr.js tries every form an address may take)
  if (DOTTED.test(text)) return { family: AF_INET, bytes: Buffer.from(text.split('.').map(Number)) };
  const a = ipaddr.parse(text);
  return { family: a.kind() === 'ipv4' ? AF_INET : AF_INET6, bytes: Buffer.from(a.toByteArray()) };
}

function addrRequest(type: number, flags: number, index: number, p: Prefix, nodad: boolean): NlRequest {
  const { family, bytes: b } = addrBytes(p.address);
  // IFA_F_NODAD fits the u8 ifa_flags, where iproute2 puts it; IFA_FLAGS (u32) is only needed
  // for flags above 0xff.
  const ifaFlags = family === AF_INET6 && nodad ? IFA_F_NODAD : 0;
  return {
    type,
    flags,
    header: ifaddrmsg({ family, prefixlen: p.prefix, flags: ifaFlags, index }),
    // IFA_LOCAL is the interface's address; IFA_ADDRESS the peer on point-to-point links, else
    // the same address.
    attrs: [bytes(IFA_LOCAL, b), bytes(IFA_ADDRESS, b)],
  };
}

/** `ip addr add ADDR/P dev INDEX [nodad]`; IPv6 gets IFA_F_NODAD unless nodad is false. */
export function addrAdd(index: number, p: Prefix, opts: { nodad?: boolean } = {}): NlRequest {
  return addrRequest(RTM_NEWADDR, NEW, index, p, opts.nodad ?? true);
}

export function addrDel(index: number, p: Prefix): NlRequest {
  return addrRequest(RTM_DELADDR, SET, index, p, false);
}

/** Dump of addresses (family AF_UNSPEC: both). */
export function addrDump(family = AF_UNSPEC): NlRequest {
  return { type: RTM_GETADDR, flags: DUMP, header: ifaddrmsg({ family }), attrs: [] };
}

