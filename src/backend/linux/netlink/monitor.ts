/**
 * rtnetlink notifications: a socket opened inside a namespace and bound to multicast groups
 * (links, IPv4/IPv6 addresses and routes) receives an RTM_NEWxxx or RTM_DELxxx message for every change
 * there. Reading never blocks: read() takes what is queued now (call it from a timer, or when
 * something watching `fd` says it is readable) and decodes it into events.
 */
import {
  RTM_DELADDR, RTM_DELLINK, RTM_DELROUTE, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWROUTE, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE,
  RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV6_ROUTE, RTNLGRP_LINK,
} from './constants.js';
import { type AddrInfo, type LinkInfo, type RouteInfo, decodeAddr, decodeLink, decodeRoute } from './decode.js';
import type { NlMessage } from './message.js';
import { NetlinkError, RtnlSocket } from './socket.js';

export type RtnlEvent =
  | { readonly kind: 'link'; readonly action: 'new' | 'del'; readonly link: LinkInfo }
  | { readonly kind: 'addr'; readonly action: 'new' | 'del'; readonly addr: AddrInfo }
  | { readonly kind: 'route'; readonly action: 'new' | 'del'; readonly route: RouteInfo }
  /** the socket's queue overflowed: notifications were lost (re-read the state with a dump) */
  | { readonly kind: 'overrun' };

/** The groups joined by default: links, IPv4 and IPv6 addresses and routes. */
export const MONITOR_GROUPS = [RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE];

/** bind()'s nl_groups: group G is bit G-1 (enough for groups up to 32, as these are). */
export const groupMask = (groups: readonly number[]): number => groups.reduce((m, g) => (m | (1 << (g - 1))) >>> 0, 0);

/** A decoded notification, or undefined for a message of another type. */
export function decodeEvent(m: NlMessage): RtnlEvent | undefined {
  switch (m.type) {
    case RTM_NEWLINK:
    case RTM_DELLINK:
      return { kind: 'link', action: m.type === RTM_NEWLINK ? 'new' : 'del', link: decodeLink(m) };
    case RTM_NEWADDR:
    case RTM_DELADDR:
      return { kind: 'addr', action: m.type === RTM_NEWADDR ? 'new' : 'del', addr: decodeAddr(m) };
    case RTM_NEWROUTE:
    case RTM_DELROUTE:
      return { kind: 'route', action: m.type === RTM_NEWROUTE ? 'new' : 'del', route: decodeRoute(m) };
    default:
      return undefined;
  }
}

export class RtnlMonitor {
  private constructor(private readonly sock: RtnlSocket) {}

  /** Listen to `groups` in the namespace `netnsFd` (default: the current one). */
  static open(netnsFd?: number, groups: readonly number[] = MONITOR_GROUPS): RtnlMonitor {
    return new RtnlMonitor(RtnlSocket.open(netnsFd, { groups: groupMask(groups) }));
  }

  /** The socket's fd, to watch for readability. */
  get fd(): number {
    return this.sock.fd;
  }

  /** Every notification queued now, decoded; [] when there is none. Never waits. */
  read(): RtnlEvent[] {
    const out: RtnlEvent[] = [];
    for (;;) {
      let msgs: NlMessage[] | null;
      try {
        msgs = this.sock.receiveNow();
      } catch (e) {
        if (e instanceof NetlinkError && e.code === 'ENOBUFS') {
          out.push({ kind: 'overrun' });
          continue;
        }
        throw e;
      }
      if (!msgs) return out;
      for (const m of msgs) {
        const ev = decodeEvent(m);
        if (ev) out.push(ev);
      }
    }
  }

  close(): void {
    this.sock.close();
  }
}
