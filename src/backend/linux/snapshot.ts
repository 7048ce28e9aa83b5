/**
 * Reading a lab back from the kernel: links (with veth peers resolved across namespaces, and
 * their shaping: the root qdisc), addresses, routes, forwarding and hostnames, for `show` and the REPL's `.save`; and the interface
 * names of a namespace, for tab completion. Every namespace is opened afresh here and closed
 * again, so a namespace changed behind nsh's back (`ip netns del` / `add`) is read as it is now.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { OpError, type LabSnapshot, type LinkSnapshot, type NsSnapshot, type RouteSnapshot } from '../backend.js';
import { errorCode } from './errors.js';
import { close, open, O_RDONLY } from './libc.js';
import { namedUtsExists, openNetns, UTS_RUN_DIR, withNamespaces, withNetns } from './netns.js';
import {
  AF_INET6, AF_UNSPEC, RTM_GETNSID, RTN_UNICAST, RTPROT_KERNEL, RT_SCOPE_LINK, RtnlSocket, messageAttrs,
  u32, NLM_F_REQUEST, type NlRequest,
} from './netlink/index.js';
import { dumpAddrs, dumpLinks, dumpRootQdiscs, dumpRoutes } from './netlink/query.js';
import type { LinkInfo, RouteInfo } from './netlink/decode.js';
import { readNat } from './nat.js';
import { shapingOf } from './shape.js';
import { shapeSnapshot } from '../../core/snapshot.js';
import { kindDetails, lowerOf } from './snapshot-kinds.js';

const NETNSA_NSID = 1;
const NETNSA_FD = 3;
/** Routes the kernel adds by itself (for an address, from a router advertisement) are kept apart. */
const RTPROT_RA = 9;

/** An open namespace: its fd and a socket inside it. */
interface Opened {
  readonly name: string;
  readonly fd: number;
  readonly sock: RtnlSocket;
}

function openNs(name: string): Opened {
  let fd: number;
  try {
    fd = openNetns(name === 'host' ? { kind: 'host' } : { kind: 'name', name });
  } catch (e) {
    if (errorCode(e) === 'ENOENT') throw new OpError(`namespace ${JSON.stringify(name)} does not exist`);
    throw e;
  }
  try {
    return { name, fd, sock: RtnlSocket.open(fd) };
  } catch (e) {
    close(fd);
    throw e;
  }
}

function closeNs(o: Opened): void {
  o.sock.close();
  close(o.fd);
}

/** The names of the interfaces of `ns` (a name or `host`), sorted; none when it cannot be read. */
export function interfaceNames(ns: string): string[] {
  let o: Opened;
  try {
    o = openNs(ns);
  } catch {
    return [];
  }
  try {
    return dumpLinks(o.sock).map(l => l.ifname).sort();
  } catch {
    return [];
  } finally {
    closeNs(o);
  }
}

/** RTM_GETNSID: the id under which `sock`'s namespace knows the namespace `fd` (-1: none). */
function nsidOf(sock: RtnlSocket, fd: number): number {
  const req: NlRequest = { type: RTM_GETNSID, flags: NLM_F_REQUEST, header: Buffer.alloc(4), attrs: [u32(NETNSA_FD, fd)] };
  const m = sock.get(req);
  return messageAttrs(m, 4).s32(NETNSA_NSID) ?? -1;
}

function readSysctl(fd: number, key: string): boolean {
  try {
    return withNetns(fd, () => fs.readFileSync(`/proc/sys/${key.replace(/\./g, '/')}`, 'utf8')).trim() === '1';
  } catch {
    return false;
  }
}

function hostnameOf(name: string): string | undefined {
  if (name === 'host' || !namedUtsExists(name)) return undefined;
  const fd = open(`${UTS_RUN_DIR}/${name}`, O_RDONLY);
  try {
    return withNamespaces({ uts: fd }, () => os.hostname());
  } finally {
    close(fd);
  }
}

function kindOf(l: LinkInfo): string {
  return l.kind ?? (l.ifname === 'lo' ? 'loopback' : 'device');
}

/** The nsid under which opened namespace i knows opened namespace j (-1: none). */
type NsidOf = (i: number, j: number) => number;

/** Asks each pair once. */
function nsids(opened: readonly Opened[]): NsidOf {
  const ids = new Map<string, number>(); // "i j" → id
  return (i, j) => {
    const key = `${i} ${j}`;
    let id = ids.get(key);
    if (id === undefined) {
      try {
        id = nsidOf(opened[i]!.sock, opened[j]!.fd);
      } catch {
        id = -1; // an old kernel without RTM_GETNSID: the peer stays unknown
      }
      ids.set(key, id);
    }
    return id;
  };
}

/**
 * The other end of each veth, as `ip -d link` tells it: IFLA_LINK is the peer's index in the
 * peer's namespace, and IFLA_LINK_NETNSID names that namespace by the id this namespace knows it
 * by. Indexes repeat across namespaces (every fresh namespace numbers its links from 2), so a
 * candidate with the right index is only taken once RTM_GETNSID, asked in this namespace about the
 * candidate's, gives that id. Candidates are the veths whose own IFLA_LINK points back, so
 * usually one namespace is asked about, once per namespace pair.
 */
function matchPeers(opened: readonly Opened[], links: readonly LinkInfo[][], idOf: NsidOf): Map<LinkInfo, { ns: number; link: LinkInfo } | 'outside'> {
  const veths = new Map<number, { ns: number; link: LinkInfo }[]>(); // ifindex → veths with it
  links.forEach((list, ns) => {
    for (const link of list) {
      if (kindOf(link) !== 'veth') continue;
      const at = veths.get(link.index) ?? [];
      at.push({ ns, link });
      veths.set(link.index, at);
    }
  });
  const peers = new Map<LinkInfo, { ns: number; link: LinkInfo } | 'outside'>();
  links.forEach((list, i) => {
    for (const l of list) {
      if (kindOf(l) !== 'veth' || l.peerIfindex === undefined) continue;
      const found = (veths.get(l.peerIfindex) ?? []).find(c =>
        l.linkNetnsId === undefined
          ? c.ns === i && c.link !== l
          : c.ns !== i && c.link.peerIfindex === l.index && idOf(i, c.ns) === l.linkNetnsId,
      );
      peers.set(l, found ?? 'outside');
    }
  });
  return peers;
}

/**
 * The live state of the host and of the lab's namespaces (and of any other namespace named in
 * `lab`); with `table`, the NAT and published ports of the lab's nftables table.
 */
export function readSnapshot(lab: readonly string[], table?: string): LabSnapshot {
  const names = ['host', ...new Set(lab.filter(n => n !== 'host'))];
  const opened: Opened[] = [];
  try {
    for (const n of names) opened.push(openNs(n));
    const links = opened.map(o => dumpLinks(o.sock));
    const idOf = nsids(opened);
    const peers = matchPeers(opened, links, idOf);
    const namespaces: NsSnapshot[] = opened.map((o, i) => {
      const own = links[i]!;
      const byIndex = new Map(own.map(l => [l.index, l.ifname]));
      const addrs = dumpAddrs(o.sock, AF_UNSPEC);
      const qdiscs = dumpRootQdiscs(o.sock);
      const kinds = kindDetails(o.sock, o.name, own, l => lowerOf(l, i, opened, links, idOf));
      const linkViews: LinkSnapshot[] = own.map(l => {
        const peer = peers.get(l);
        const shape = shapingOf(qdiscs.get(l.index));
        return {
          name: l.ifname,
          index: l.index,
          kind: kindOf(l),
          up: l.up,
          ...(l.carrier === undefined ? (l.up ? { carrier: l.lowerUp } : {}) : { carrier: l.carrier }),
          ...(l.stats === undefined ? {} : { stats: l.stats }),
          ...(l.mtu === undefined ? {} : { mtu: l.mtu }),
          ...(l.master === undefined ? {} : { master: byIndex.get(l.master) ?? String(l.master) }),
          ...(peer === undefined ? {} : peer === 'outside' ? { peerOutside: true } : { peer: { ns: opened[peer.ns]!.name, ifname: peer.link.ifname } }),
          ...kinds.get(l),
          addresses: addrs
            .filter(a => a.index === l.index && a.scope !== RT_SCOPE_LINK)
            .map(a => `${a.address}/${a.prefix}`),
          ...(shape === undefined ? {} : { shape: shapeSnapshot(shape) }),
        };
      });
      const route = (r: RouteInfo): RouteSnapshot => ({
        dest: r.dst === 'default' ? 'default' : `${r.dst}/${r.prefix}`,
        family: r.family === AF_INET6 ? (6 as const) : (4 as const),
        ...(r.gateway ? { via: r.gateway } : {}),
        ...(r.oif !== undefined && byIndex.has(r.oif) ? { dev: byIndex.get(r.oif)! } : {}),
      });
      const unicast = dumpRoutes(o.sock).filter(r => r.type === RTN_UNICAST);
      const byKernel = (r: RouteInfo) => r.protocol === RTPROT_KERNEL || r.protocol === RTPROT_RA;
      const hostname = hostnameOf(o.name);
      return {
        name: o.name,
        ...(hostname === undefined ? {} : { hostname }),
        forwarding: { ipv4: readSysctl(o.fd, 'net.ipv4.ip_forward'), ipv6: readSysctl(o.fd, 'net.ipv6.conf.all.forwarding') },
        links: linkViews,
        routes: unicast.filter(r => !byKernel(r)).map(route),
        kernelRoutes: unicast.filter(byKernel).map(route),
        ...(table === undefined ? {} : readNat(o.fd, table)),
      };
    });
    return { namespaces };
  } finally {
    for (const o of opened) closeNs(o);
  }
}
