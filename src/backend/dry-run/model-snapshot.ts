/** The dry run's model (model.ts) as a picture: the lab's snapshot before it exists (`nsh graph FILE`). */
import { cidrText } from '../../core/net.js';
import { shapeSnapshot, type LabSnapshot, type LinkSnapshot, type NsSnapshot } from '../../core/snapshot.js';
import type { ModelState, Namespace } from './model-state.js';

/** The lab as a snapshot: the host (where the lab made links there), then `lab`'s namespaces in order. */
export function snapshot(m: ModelState, lab: readonly string[]): LabSnapshot {
  const names = ['host', ...lab.filter(n => n !== 'host')];
  const shown = new Set(names);
  const namespaces = names.flatMap(name => {
    const ns = m.spaces.get(name);
    if (!ns || (name === 'host' && ns.links.size === 0 && !ns.nat && ns.published.length === 0)) return [];
    return [nsSnapshot(ns, shown)];
  });
  return { namespaces };
}

function nsSnapshot(ns: Namespace, shown: ReadonlySet<string>): NsSnapshot {
  const on = (key: string) => ns.sysctls.get(key) === '1';
  const links = [...ns.links.values()].map((l): LinkSnapshot => ({
    name: l.name,
    kind: l.kind,
    up: l.up,
    addresses: l.addrs.map(cidrText),
    ...(l.mtu === undefined ? {} : { mtu: l.mtu }),
    ...(l.master === undefined ? {} : { master: l.master }),
    ...(l.peer === undefined ? {} : shown.has(l.peer.ns) ? { peer: { ...l.peer } } : { peerOutside: true }),
    ...(l.shape === undefined ? {} : { shape: shapeSnapshot(l.shape) }),
    ...(l.vlan === undefined ? {} : { vlan: l.vlan }),
    ...(l.macvlan === undefined ? {} : { macvlan: l.macvlan }),
    ...(l.tunnel === undefined ? {} : { tunnel: l.tunnel }),
  }));
  return {
    name: ns.name,
    ...(ns.hostname === undefined ? {} : { hostname: ns.hostname }),
    ...(ns.machine === undefined ? {} : { machine: ns.machine }),
    forwarding: { ipv4: on('net.ipv4.ip_forward'), ipv6: on('net.ipv6.conf.all.forwarding') },
    links,
    routes: [...ns.routes],
    ...(ns.nat ? { nat: true } : {}),
    ...(ns.published.length > 0 ? { published: [...ns.published] } : {}),
  };
}
