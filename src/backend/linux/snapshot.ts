/**
 * Reading a lab back from the kernel: links (with veth peers resolved across namespaces),
 * addresses, added routes, forwarding and hostnames, for the REPL's `.save`; and the interface
 * names of a namespace, for tab completion. Every namespace is opened afresh here and closed
 * again, so a namespace changed behind nsh's back (`ip netns del` / `add`) is read as it is now.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { LabSnapshot, LinkSnapshot, LinkStats, NsSnapshot, RouteSnapshot } from '../backend.js';
import { close, open, O_RDONLY } from './libc.js';
import { namedUtsExists, openNetns, UTS_RUN_DIR, withNamespaces, withNetns } from './netns.js';
import {
  AF_INET6, AF_UNSPEC, IFINFOMSG_LEN, IFLA_CARRIER, RTM_GETNSID, RTM_NEWLINK, RTN_UNICAST, RTPROT_KERNEL, RT_SCOPE_LINK,
  RtnlSocket, decodeLink, linkDump, messageAttrs, u32, NLM_F_REQUEST, type NlRequest,
} from './netlink/index.js';
import { dumpAddrs, dumpLinks, dumpRoutes } from './netlink/query.js';
import type { LinkInfo } from './netlink/decode.js';
import { readNat } from './nat.js';

/** IFLA_STATS64: struct rtnl_link_stats64, whose first four u64 are rx/tx packets, rx/tx bytes. */
const IFLA_STATS64 = 23;

interface LinkRead extends LinkInfo {
  readonly carrier: boolean | undefined;
  readonly stats: LinkStats | undefined;
}

/** The links of a namespace, with their carrier and counters (for `nsh graph` and `nsh web`). */
function readLinks(sock: RtnlSocket): LinkRead[] {
  return sock.dump(linkDump()).filter(m => m.type === RTM_NEWLINK).map(m => {
    const a = messageAttrs(m, IFINFOMSG_LEN);
    const carrier = a.u8(IFLA_CARRIER);
    const s = a.get(IFLA_STATS64);
    const u64 = (i: number) => Number(s!.readBigUInt64LE(i * 8));
    return {
      ...decodeLink(m),
      carrier: carrier === undefined ? undefined : carrier !== 0,
      stats: s && s.length >= 32 ? { rxPackets: u64(0), txPackets: u64(1), rxBytes: u64(2), txBytes: u64(3) } : undefined,
    };
  });
}

const NETNSA_NSID = 1;
const NETNSA_FD = 3;
/** Routes the kernel adds by itself (for an address, from a router advertisement) are not saved. */
const RTPROT_RA = 9;

/** An open namespace: its fd and a socket inside it. */
interface Opened {
  readonly name: string;
  readonly fd: number;
  readonly sock: RtnlSocket;
}

function openNs(name: string): Opened {
  const fd = openNetns(name === 'host' ? { kind: 'host' } : { kind: 'name', name });
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

/** The live state of the host and of the lab's namespaces; with `table`, the NAT and published ports of the lab's nftables table. */
export function readSnapshot(lab: readonly string[], table?: string): LabSnapshot {
  const names = ['host', ...lab.filter(n => n !== 'host')];
  const opened: Opened[] = [];
  try {
    for (const n of names) opened.push(openNs(n));
    const links = opened.map(o => readLinks(o.sock));
    // nsid → namespace, per namespace, asked only when a veth there has its peer elsewhere
    const nsids = new Map<number, Map<number, number>>();
    const peerNs = (i: number, nsid: number): number | undefined => {
      let m = nsids.get(i);
      if (!m) {
        m = new Map();
        for (let j = 0; j < opened.length; j++) {
          if (j === i) continue;
          try {
            const id = nsidOf(opened[i]!.sock, opened[j]!.fd);
            if (id >= 0) m.set(id, j);
          } catch {
            /* an old kernel without RTM_GETNSID: peers stay unknown */
          }
        }
        nsids.set(i, m);
      }
      return m.get(nsid);
    };
    const namespaces: NsSnapshot[] = opened.map((o, i) => {
      const own = links[i]!;
      const byIndex = new Map(own.map(l => [l.index, l.ifname]));
      const addrs = dumpAddrs(o.sock, AF_UNSPEC);
      const linkViews: LinkSnapshot[] = own.map(l => {
        const kind = kindOf(l);
        let peer: { ns: string; ifname: string } | undefined;
        let peerOutside = false;
        if (kind === 'veth' && l.peerIfindex !== undefined) {
          const j = l.linkNetnsId === undefined ? i : peerNs(i, l.linkNetnsId);
          const other = j === undefined ? undefined : links[j]!.find(x => x.index === l.peerIfindex);
          if (j !== undefined && other) peer = { ns: opened[j]!.name, ifname: other.ifname };
          else peerOutside = true;
        }
        return {
          name: l.ifname,
          kind,
          up: l.up,
          ...(l.mtu === undefined ? {} : { mtu: l.mtu }),
          ...(l.master === undefined ? {} : { master: byIndex.get(l.master) ?? String(l.master) }),
          ...(peer ? { peer } : {}),
          ...(peerOutside ? { peerOutside } : {}),
          ...(l.carrier === undefined ? {} : { carrier: l.carrier }),
          ...(l.stats === undefined ? {} : { stats: l.stats }),
          addresses: addrs
            .filter(a => a.index === l.index && a.scope !== RT_SCOPE_LINK)
            .map(a => `${a.address}/${a.prefix}`),
        };
      });
      const routes: RouteSnapshot[] = dumpRoutes(o.sock)
        .filter(r => r.type === RTN_UNICAST && r.protocol !== RTPROT_KERNEL && r.protocol !== RTPROT_RA)
        .map(r => ({
          dest: r.dst === 'default' ? 'default' : `${r.dst}/${r.prefix}`,
          family: r.family === AF_INET6 ? (6 as const) : (4 as const),
          ...(r.gateway ? { via: r.gateway } : {}),
          ...(r.oif !== undefined && byIndex.has(r.oif) ? { dev: byIndex.get(r.oif)! } : {}),
        }));
      const hostname = hostnameOf(o.name);
      return {
        name: o.name,
        ...(hostname === undefined ? {} : { hostname }),
        forwarding: { ipv4: readSysctl(o.fd, 'net.ipv4.ip_forward'), ipv6: readSysctl(o.fd, 'net.ipv6.conf.all.forwarding') },
        links: linkViews,
        routes,
        ...(table === undefined ? {} : readNat(o.fd, table)),
      };
    });
    return { namespaces };
  } finally {
    for (const o of opened) closeNs(o);
  }
}
