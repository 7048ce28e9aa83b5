/**
 * show and pingall across machines: the lab as one picture drawn from what each machine's
 * `show --json` says of its part, and every namespace pinging every other one's addresses,
 * each machine its own pings at once.
 */
import { LOCAL } from '../core/machines.js';
import { ipv4Number, ipv4Text } from '../core/net.js';
import type { Endpoint } from '../core/lab.js';
import type { ShowNamespace } from '../core/results.js';
import type { LabSnapshot, LinkSnapshot, NsSnapshot, RouteSnapshot } from '../core/snapshot.js';
import { pingallMatrix, type PingResult } from '../backend/pingall-matrix.js';
import type { LabView, TunnelEnd } from './plan.js';
import { StepFailed, type Session } from './session.js';

/** A machine's root namespace in the picture: `host` here, `host@M` elsewhere. */
function hostName(machine: string): string {
  return machine === LOCAL ? 'host' : `host@${machine}`;
}

/** Whether a route is the kernel's own for an address of the namespace (its network, on its link). */
function kernelRoute(r: { dest: string; via?: string; dev?: string }, links: readonly LinkSnapshot[]): boolean {
  if (r.via !== undefined || r.dev === undefined) return false;
  const link = links.find(l => l.name === r.dev);
  return (link?.addresses ?? []).some(a => network(a) === r.dest);
}

/** `10.1.1.1/24` → `10.1.1.0/24` (IPv4); IPv6 networks are left to the kernel's own naming. */
function network(cidr: string): string | undefined {
  const [addr, len] = cidr.split('/');
  if (!addr || len === undefined || addr.includes(':')) return undefined;
  const bits = Number(len);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const net = (ipv4Number(addr) & mask) >>> 0;
  return `${ipv4Text(net)}/${bits}`;
}

/** One machine's `show --json` as namespaces of the picture. */
function fromShow(machine: string, shown: readonly ShowNamespace[]): NsSnapshot[] {
  const nsName = (n: string) => (n === 'host' ? hostName(machine) : n);
  return shown.map(n => {
    const links = n.links.map((l): LinkSnapshot => {
      const peer = l.peer === undefined ? undefined : { ns: nsName(l.peer.slice(0, l.peer.indexOf('.'))), ifname: l.peer.slice(l.peer.indexOf('.') + 1) };
      return {
        name: l.name,
        kind: l.kind,
        up: l.state !== 'down',
        addresses: l.addresses,
        ...(l.state === 'no-carrier' ? { carrier: false } : {}),
        ...(l.index === undefined ? {} : { index: l.index }),
        ...(l.mtu === undefined ? {} : { mtu: l.mtu }),
        ...(l.master === undefined ? {} : { master: l.master }),
        ...(peer ? { peer } : {}),
        ...(l.peerOutside ? { peerOutside: true } : {}),
      };
    });
    const routes = n.routes.map((r): RouteSnapshot => ({
      dest: r.dest,
      family: r.dest.includes(':') || (r.via ?? '').includes(':') ? 6 : 4,
      ...(r.via === undefined ? {} : { via: r.via }),
      ...(r.dev === undefined ? {} : { dev: r.dev }),
    }));
    return {
      name: nsName(n.name),
      machine,
      forwarding: { ipv4: false, ipv6: false },
      links,
      routes: routes.filter(r => !kernelRoute(r, links) && !r.dest.startsWith('fe80:')),
      kernelRoutes: routes.filter(r => kernelRoute(r, links) || r.dest.startsWith('fe80:')),
    };
  });
}

/** The machines a view's namespaces live on, and the coordinator's own. */
function machinesOf(view: LabView): string[] {
  return [...new Set([LOCAL, ...view.namespaces.map(n => n.machine), ...view.tunnels.flatMap(t => t.ends.map(e => e.machine))])];
}

/** The lab as one picture: each machine's part, the tunnels' ends as each other's peers. */
export async function gatherSnapshot(session: Session, view: LabView): Promise<LabSnapshot> {
  const machines = machinesOf(view);
  const shown = await Promise.all(
    machines.map(async m => {
      const a = await session.request(m, { run: 'show --json', collect: true });
      if (!a.ok) throw new StepFailed(m, a.error ?? { message: 'show failed' }, undefined);
      return fromShow(m, JSON.parse(a.out ?? '[]') as ShowNamespace[]);
    }),
  );
  const all = shown.flat();
  const byName = new Map(all.map(n => [n.name, n]));
  const endName = (e: TunnelEnd): Endpoint => ({ ns: e.ns === 'host' ? hostName(e.machine) : e.ns, ifname: e.ifname });
  const peers = new Map<string, { peer: Endpoint; vni: number }>();
  for (const { tunnel, ends: [a, b] } of view.tunnels) {
    const [ea, eb] = [endName(a), endName(b)];
    peers.set(`${ea.ns}.${ea.ifname}`, { peer: eb, vni: tunnel.vni });
    peers.set(`${eb.ns}.${eb.ifname}`, { peer: ea, vni: tunnel.vni });
  }
  const withPeers = (n: NsSnapshot): NsSnapshot => ({
    ...n,
    links: n.links.map(l => {
      const p = peers.get(`${n.name}.${l.name}`);
      if (!p) return l;
      const { peerOutside: _, ...rest } = l;
      return { ...rest, peer: p.peer, tunnel: { kind: 'vxlan', vni: p.vni, remote: byName.get(p.peer.ns)?.machine ?? LOCAL } };
    }),
  });
  // the hosts first (the coordinator's, then the others'), then the lab's namespaces in order
  const hosts = machines.map(m => byName.get(hostName(m))).filter((n): n is NsSnapshot => n !== undefined);
  const lab = view.namespaces.map(n => byName.get(n.name)).filter((n): n is NsSnapshot => n !== undefined);
  return { namespaces: [...hosts, ...lab].map(withPeers) };
}

/** `pingall` across machines: the matrix, and the failure when a pair got no reply. */
export async function pingallAcross(session: Session, view: LabView, color: boolean): Promise<{ text: string; failure?: string }> {
  const snap = await gatherSnapshot(session, view);
  const global = (a: string) => !/^(127\.|::1\/|fe80:)/i.test(a);
  const targets = view.namespaces.flatMap(({ name }) =>
    (snap.namespaces.find(n => n.name === name)?.links ?? []).flatMap(l => l.addresses.filter(global).map(a => ({ ns: name, address: a.split('/')[0]! }))),
  );
  const members = view.namespaces.map(n => n.name).filter(ns => targets.some(t => t.ns === ns));
  const machineOf = new Map(view.namespaces.map(n => [n.name, n.machine]));
  const byMachine = new Map<string, { from: string; to: string; address: string }[]>();
  for (const from of members) {
    const m = machineOf.get(from)!;
    const list = byMachine.get(m) ?? [];
    for (const t of targets) if (t.ns !== from) list.push({ from, to: t.ns, address: t.address });
    byMachine.set(m, list);
  }
  const results: PingResult[] = [];
  await Promise.all(
    [...byMachine].map(async ([m, pairs]) => {
      // every ping at once, as background jobs; then a wait for each tells whether it got a reply
      const first = session.nextJob(m);
      const texts = [
        ...pairs.map(p => `in ${p.from} ping ${p.address} -c 2 -i 0.2 -W 1 &`),
        ...pairs.map((_, i) => `wait %${first + i}`),
      ];
      session.jobsStarted(m, pairs.length);
      const a = await session.each(m, texts);
      const waits = (a.results ?? []).slice(pairs.length);
      pairs.forEach((p, i) => results.push({ from: p.from, to: p.to, address: p.address, ok: waits[i]?.ok ?? false }));
    }),
  );
  return pingallMatrix(members, results, color);
}
