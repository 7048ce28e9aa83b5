/**
 * Reading the kernel's state through an RtnlSocket: dumps decoded into plain objects, and
 * name → ifindex lookups.
 */
import { AF_INET, AF_INET6, AF_UNSPEC, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWQDISC, RTM_NEWROUTE, RT_TABLE_MAIN } from './constants.js';
import { AddrInfo, LinkInfo, RouteInfo, decodeAddr, decodeLink, decodeRoute } from './decode.js';
import { type QdiscInfo, rootQdiscs } from './qdisc.js';
import { addrDump } from './requests/addresses.js';
import { bridgeVlanDump, decodeBridgeVlans, type BridgeVlans } from './requests/bridge-vlan.js';
import { linkDump, linkGetByName } from './requests/links.js';
import { decodeNsid, nsidGet } from './requests/nsid.js';
import { qdiscDump } from './requests/qdisc.js';
import { routeDump } from './requests/routes.js';
import { NetlinkError, RtnlSocket } from './socket.js';

export function dumpLinks(sock: RtnlSocket): LinkInfo[] {
  return sock.dump(linkDump()).filter((m) => m.type === RTM_NEWLINK).map(decodeLink);
}

/** The VLANs of every bridge port of the namespace (and of each bridge itself), as `bridge vlan show` lists them. */
export function dumpBridgeVlans(sock: RtnlSocket): BridgeVlans[] {
  return sock.dump(bridgeVlanDump()).filter((m) => m.type === RTM_NEWLINK).map(decodeBridgeVlans);
}

/** Addresses of one family (AF_UNSPEC: both), optionally of one link. */
export function dumpAddrs(sock: RtnlSocket, family = AF_UNSPEC, index?: number): AddrInfo[] {
  const all = sock.dump(addrDump(family)).filter((m) => m.type === RTM_NEWADDR).map(decodeAddr);
  return index === undefined ? all : all.filter((a) => a.index === index);
}

/**
 * Routes of one table (default main) for one family, or both with AF_UNSPEC. The kernel ignores
 * a dump's filters unless NETLINK_GET_STRICT_CHK is on, so the table is filtered here too.
 */
export function dumpRoutes(sock: RtnlSocket, family = AF_UNSPEC, table = RT_TABLE_MAIN): RouteInfo[] {
  const families = family === AF_UNSPEC ? [AF_INET, AF_INET6] : [family];
  return families.flatMap((f) =>
    sock
      .dump(routeDump(f, table))
      .filter((m) => m.type === RTM_NEWROUTE)
      .map(decodeRoute)
      .filter((r) => r.table === table && r.family === f),
  );
}

/** The link called `name`, or undefined (ENODEV). */
export function getLink(sock: RtnlSocket, name: string): LinkInfo | undefined {
  try {
    return decodeLink(sock.get(linkGetByName(name)));
  } catch (e) {
    if (e instanceof NetlinkError && e.code === 'ENODEV') return undefined;
    throw e;
  }
}


/** The root qdisc of each link (by ifindex), netem's and tbf's parameters decoded. */
export function dumpRootQdiscs(sock: RtnlSocket): Map<number, QdiscInfo> {
  return rootQdiscs(sock.dump(qdiscDump()).filter((m) => m.type === RTM_NEWQDISC));
}

/** The nsid under which `sock`'s namespace knows the namespace of `netnsFd` (-1: none assigned). */
export function nsidOf(sock: RtnlSocket, netnsFd: number): number {
  return decodeNsid(sock.get(nsidGet(netnsFd)));
}
