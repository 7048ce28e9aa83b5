/**
 * The lab's part of a live snapshot. The host is shared with everything else on the machine, so a
 * picture of a lab keeps of it only the links the lab made there (its journal names them) and
 * those the lab's own links name: a veth's other end, a macvlan's parent, the bridge a kept link
 * is a port of. Its routes go with the links they leave by; its NAT and published ports are the
 * lab's own table's.
 */
import type { LabSnapshot, LinkSnapshot, NsSnapshot, RouteSnapshot } from '../backend/backend.js';

const HOST = 'host';

/** `snap` with the host cut down to the lab's links there; `hostLinks`: the links the lab made in the host. */
export function labPart(snap: LabSnapshot, hostLinks: Iterable<string>): LabSnapshot {
  const host = snap.namespaces.find(n => n.name === HOST);
  if (!host) return snap;
  const keep = new Set(hostLinks);
  for (const ns of snap.namespaces) {
    if (ns.name === HOST) continue;
    for (const l of ns.links) {
      if (l.peer?.ns === HOST) keep.add(l.peer.ifname);
      if (l.macvlan?.parent.ns === HOST) keep.add(l.macvlan.parent.ifname);
    }
  }
  const links = host.links.filter(l => keep.has(l.name));
  // the bridges those links are ports of, and the parents of the vlans among them
  for (const l of links) for (const name of [l.master, l.vlan?.kind === 'link' ? l.vlan.parent : undefined]) if (name !== undefined) keep.add(name);
  const routed = (r: RouteSnapshot) => r.dev !== undefined && keep.has(r.dev);
  const part: NsSnapshot = {
    ...host,
    links: host.links.filter((l: LinkSnapshot) => keep.has(l.name)),
    routes: host.routes.filter(routed),
    ...(host.kernelRoutes ? { kernelRoutes: host.kernelRoutes.filter(routed) } : {}),
  };
  return { ...snap, namespaces: snap.namespaces.map(n => (n === host ? part : n)) };
}
