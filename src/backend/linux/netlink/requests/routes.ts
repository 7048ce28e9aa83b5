/** Route requests: `ip route add|del`, and the route dump of one table. */
import { type Attr, bytes, u32 } from '../attr.js';
import {
  AF_INET6, RTA_DST, RTA_GATEWAY, RTA_OIF, RTA_TABLE, RTM_DELROUTE, RTM_GETROUTE, RTM_NEWROUTE, RTN_UNICAST, RTPROT_BOOT,
  RT_SCOPE_LINK, RT_SCOPE_NOWHERE, RT_SCOPE_UNIVERSE, RT_TABLE_MAIN,
} from '../constants.js';
import { rtmsg } from '../headers.js';
import type { NlRequest } from '../message.js';
import { type Prefix, addrBytes } from './addresses.js';
import { DUMP, NEW, SET } from './common.js';

export interface RouteSpec {
  /** 'default' or a prefix; its family decides the route's family. */
  dst: 'default' | Prefix;
  /** IPv4 default routes need the family from here or from gateway. */
  family?: number;
  gateway?: string;
  oif?: number;
  table?: number;
}

function routeFamily(r: RouteSpec): number {
  if (r.dst !== 'default') return addrBytes(r.dst.address).family;
  if (r.gateway !== undefined) return addrBytes(r.gateway).family;
  if (r.family !== undefined) return r.family;
  throw new Error('route: a default route needs a gateway or a family');
}

/**
 * `ip route add DST [via GW] [dev OIF]`. Like iproute2: protocol boot, table main, scope link
 * when there is no gateway (the destination is on the link), universe otherwise. The RTA_DST of
 * an IPv6 default route is ::/0 written out (as `ip -6 route add default` does); IPv4's default
 * carries no RTA_DST.
 */
export function routeAdd(r: RouteSpec): NlRequest {
  return routeRequest(RTM_NEWROUTE, NEW, r, {
    protocol: RTPROT_BOOT,
    scope: r.gateway === undefined ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE,
    type: RTN_UNICAST,
  });
}

/**
 * `ip route del DST`: the kernel deletes the first route matching the given fields; scope
 * NOWHERE and protocol/type 0 act as wildcards.
 */
export function routeDel(r: RouteSpec): NlRequest {
  return routeRequest(RTM_DELROUTE, SET, r, { scope: RT_SCOPE_NOWHERE });
}

/** A route request: the family, destination length and table of `r`, and `fields` of its rtmsg. */
function routeRequest(type: number, flags: number, r: RouteSpec, fields: { protocol?: number; scope: number; type?: number }): NlRequest {
  const family = routeFamily(r);
  const table = r.table ?? RT_TABLE_MAIN;
  return {
    type,
    flags,
    header: rtmsg({
      family,
      dstLen: r.dst === 'default' ? 0 : r.dst.prefix,
      table: table < 256 ? table : 0, // large table ids go in RTA_TABLE only
      ...fields,
    }),
    attrs: routeAttrs(r, family, table),
  };
}

function routeAttrs(r: RouteSpec, family: number, table: number): Attr[] {
  const attrs: Attr[] = [];
  if (r.dst !== 'default') attrs.push(bytes(RTA_DST, addrBytes(r.dst.address).bytes));
  else if (family === AF_INET6) attrs.push(bytes(RTA_DST, Buffer.alloc(16)));
  if (r.gateway !== undefined) attrs.push(bytes(RTA_GATEWAY, addrBytes(r.gateway).bytes));
  if (r.oif !== undefined) attrs.push(u32(RTA_OIF, r.oif));
  if (table >= 256) attrs.push(u32(RTA_TABLE, table));
  return attrs;
}

/** Dump of routes of one family, filtered to one table (kernel-side with strict checking). */
export function routeDump(family: number, table = RT_TABLE_MAIN): NlRequest {
  return { type: RTM_GETROUTE, flags: DUMP, header: rtmsg({ family }), attrs: [u32(RTA_TABLE, table)] };
}
