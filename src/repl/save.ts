/**
 * `.save FILE`: an nsh script that rebuilds a lab as the kernel holds it now (read back by the
 * backend's snapshot), so changes made with `ip` inside the lab are in it too. What nsh cannot
 * make (a dummy link, a veth to a namespace outside the lab) is written as a comment. VLANs,
 * macvlans, NAT and published ports are saved as the statements that make them.
 */
import type { LabSnapshot, LinkSnapshot, NsSnapshot, RouteSnapshot } from '../backend/backend.js';

export interface SaveOptions {
  /** The lab's name, for the header. */
  readonly lab: string;
  /** Host links the lab made (from its journal); host veths paired with the lab are kept anyway. */
  readonly hostLinks?: ReadonlySet<string>;
  readonly now?: Date;
}

/** Addresses the kernel gives lo when it comes up. */
const LOOPBACK = new Set(['127.0.0.1/8', '::1/128']);
const DEFAULT_MTU = 1500;

const isLinkLocal6 = (ip: string) => /^fe[89ab][0-9a-f]?:/i.test(ip);

export function renderSave(snap: LabSnapshot, opts: SaveOptions): string {
  const host = snap.namespaces.find(n => n.name === 'host');
  const lab = snap.namespaces.filter(n => n.name !== 'host');
  const labNames = new Set(lab.map(n => n.name));
  // the host's own devices are not the lab's: keep what pairs with the lab, or what the lab made
  const keptHost = new Set(
    (host?.links ?? [])
      .filter(l => opts.hostLinks?.has(l.name) || (l.peer && labNames.has(l.peer.ns)))
      .map(l => l.name),
  );
  const hostView: NsSnapshot | undefined = host && {
    ...host,
    links: host.links.filter(l => keptHost.has(l.name)),
    routes: host.routes.filter(r => r.dev !== undefined && keptHost.has(r.dev)),
  };
  const all = [...lab, ...(hostView ? [hostView] : [])];
  const ep = (ns: string, l: { name: string }) => `${ns}.${l.name}`;

  const out: string[] = [
    `# lab "${opts.lab}" as the kernel held it on ${(opts.now ?? new Date()).toISOString()}, saved by nsh's .save`,
    '# (background programs are not saved)',
  ];
  const section = (lines: string[]) => {
    if (lines.length > 0) out.push('', ...lines);
  };

  // namespaces
  const plain = lab.filter(n => n.hostname === undefined).map(n => n.name);
  section([
    ...(plain.length > 0 ? [`ns ${plain.join(' ')}`] : []),
    ...lab.filter(n => n.hostname !== undefined).map(n => `ns ${n.name} hostname ${quote(n.hostname!)}`),
  ]);

  // veth pairs, each once, the end in the earlier namespace on the left
  const order = new Map(all.map((n, i) => [n.name, i]));
  const laterAddrs: string[] = [];
  const veths: string[] = [];
  const notes: string[] = [];
  const done = new Set<string>();
  for (const ns of all) {
    for (const l of ns.links) {
      if (l.kind !== 'veth' || done.has(ep(ns.name, l))) continue;
      if (!l.peer || !order.has(l.peer.ns)) {
        notes.push(`# ${ep(ns.name, l)}: a veth whose other end is outside the lab; not saved`);
        continue;
      }
      const peerNs = all.find(n => n.name === l.peer!.ns)!;
      const peer = peerNs.links.find(x => x.name === l.peer!.ifname);
      if (!peer) continue;
      done.add(ep(ns.name, l));
      done.add(ep(peerNs.name, peer));
      const la = l.addresses;
      const ra = peer.addresses;
      // `veth L <-> R ADDR` would be the shorthand (the left end taking ADDR): say it with addr
      const inline = !(la.length === 0 && ra.length === 1);
      const side = (n: string, x: LinkSnapshot, addrs: readonly string[]) => [ep(n, x), ...(inline ? addrs : [])].join(' ');
      let mtu = '';
      if (l.mtu !== undefined && l.mtu === peer.mtu && l.mtu !== DEFAULT_MTU) mtu = ` mtu ${l.mtu}`;
      else if (l.mtu !== peer.mtu) notes.push(`# ${ep(ns.name, l)} has mtu ${l.mtu} and ${ep(peerNs.name, peer)} mtu ${peer.mtu}; nsh gives both ends one mtu`);
      veths.push(`veth ${side(ns.name, l, la)} <-> ${side(peerNs.name, peer, ra)}${mtu}`);
      if (!inline) laterAddrs.push(`addr ${ep(peerNs.name, peer)} ${ra.join(' ')}`);
    }
  }
  section(veths);

  // bridges with their ports; ports of a bridge the lab did not make are attached, and so are
  // ports with VLANs of their own
  const bridges: string[] = [];
  for (const ns of all) {
    for (const br of ns.links.filter(l => l.kind === 'bridge')) {
      const members = ns.links.filter(p => p.master === br.name);
      const ports = members.filter(p => portVlans(p) === undefined).map(p => p.name);
      bridges.push(`bridge ${ep(ns.name, br)}${br.vlan?.kind === 'bridge' ? ' vlan' : ''}${ports.map(p => ` ${p}`).join('')}`);
      for (const p of members) {
        const vlans = portVlans(p);
        if (vlans === null) notes.push(`# ${ep(ns.name, p)}: VLANs that attach cannot write; not saved`);
        else if (vlans !== undefined) bridges.push(`attach ${ep(ns.name, p)} -> ${ep(ns.name, br)} ${vlans}`);
      }
      if (br.addresses.length > 0) laterAddrs.push(`addr ${ep(ns.name, br)} ${br.addresses.join(' ')}`);
      if (br.mtu !== undefined && br.mtu !== DEFAULT_MTU && ports.length === 0) notes.push(`# ${ep(ns.name, br)} has mtu ${br.mtu}; not saved`);
    }
    for (const p of ns.links) {
      if (p.master !== undefined && !ns.links.some(b => b.name === p.master && b.kind === 'bridge')) {
        bridges.push(`attach ${ep(ns.name, p)} -> ${ns.name}.${p.master}`);
      }
    }
  }
  section(bridges);

  // vlans on their parents, macvlans (their parent may be a NIC of the host)
  const stacked: string[] = [];
  for (const ns of all) {
    for (const l of ns.links) {
      const mode = l.macvlan?.mode === undefined || l.macvlan.mode === 'bridge' ? '' : ` mode ${l.macvlan.mode}`;
      const addrs = l.addresses.map(a => ` ${a}`).join('');
      if (l.vlan?.kind === 'link') {
        const as = l.name === `${l.vlan.parent}.${l.vlan.id}` ? '' : ` as ${l.name}`;
        stacked.push(`vlan ${ns.name}.${l.vlan.parent} ${l.vlan.id}${as}${addrs}`);
      } else if (l.macvlan) {
        stacked.push(`macvlan ${l.macvlan.parent.ns}.${l.macvlan.parent.ifname} -> ${ep(ns.name, l)}${mode}${addrs}`);
      }
    }
  }
  section(stacked);

  // other links: lo's extra addresses; what nsh cannot make
  for (const ns of all) {
    for (const l of ns.links) {
      if (l.kind === 'loopback') {
        // lo keeps 127.0.0.1/8 when it goes down again; only up does the kernel give it back
        const extra = l.addresses.filter(a => !l.up || !LOOPBACK.has(a));
        if (extra.length > 0) laterAddrs.push(`addr ${ep(ns.name, l)} ${extra.join(' ')}`);
      } else if (l.kind !== 'veth' && l.kind !== 'bridge' && l.vlan?.kind !== 'link' && !l.macvlan) {
        notes.push(`# ${ep(ns.name, l)}: a ${l.kind} link; nsh cannot make it, so it is not saved`);
      }
    }
  }
  section(laterAddrs);

  // link state: nsh makes veths and bridges up, and lo stays down
  const state: string[] = [];
  const loUp = lab.filter(n => n.links.some(l => l.kind === 'loopback' && l.up)).map(n => n.name);
  if (loUp.length > 0 && loUp.length === lab.length) state.push('up *.lo');
  else if (loUp.length > 0) state.push(`up ${loUp.map(n => `${n}.lo`).join(' ')}`);
  const made = (ns: string, l: LinkSnapshot) =>
    l.kind === 'bridge' || l.vlan?.kind === 'link' || l.macvlan !== undefined || (l.kind === 'veth' && done.has(ep(ns, l)));
  const down = all.flatMap(ns => ns.links.filter(l => !l.up && made(ns.name, l)).map(l => ep(ns.name, l)));
  if (down.length > 0) state.push(`down ${down.join(' ')}`);
  section(state);

  section(all.flatMap(ns => ns.routes.filter(r => r.via !== undefined || r.dev !== undefined).map(r => routeLine(ns.name, r))));

  section(
    all.flatMap(ns => {
      const f = ns.forwarding;
      if (ns.name === 'host' && !f.ipv4 && !f.ipv6) return [];
      if (f.ipv4 && f.ipv6) return [`forward ${ns.name}`];
      return [
        ...(f.ipv4 ? [`sysctl ${ns.name} net.ipv4.ip_forward=1`] : []),
        ...(f.ipv6 ? [`sysctl ${ns.name} net.ipv6.conf.all.forwarding=1`] : []),
      ];
    }),
  );
  // NAT and published ports
  section(
    all.flatMap(ns => [
      ...(ns.nat ? [`nat ${ns.name}`] : []),
      ...(ns.published ?? []).map(p => `publish ${ns.name} ${p.proto} ${p.port} -> ${p.to.includes(':') ? `[${p.to}]` : p.to}:${p.toPort}`),
    ]),
  );
  section(notes);
  return out.join('\n') + '\n';
}

/**
 * A port's VLANs as attach writes them (`vlan 10 untagged`, `vlan 10,20`); undefined for a port
 * that needs none (not on a VLAN-filtering bridge, or in the default VLAN 1 only); null for VLANs
 * attach cannot write.
 */
function portVlans(p: LinkSnapshot): string | undefined | null {
  if (p.vlan?.kind !== 'port') return undefined;
  const v = p.vlan.vlans;
  if (v.length === 1 && v[0]!.pvid && v[0]!.untagged) return v[0]!.id === 1 ? undefined : `vlan ${v[0]!.id} untagged`;
  if (v.length > 0 && v.every(x => !x.pvid && !x.untagged)) return `vlan ${v.map(x => x.id).join(',')}`;
  return null;
}

function routeLine(ns: string, r: RouteSnapshot): string {
  if (r.via === undefined) return `route ${ns} ${r.dest} dev ${r.dev}`;
  const dev = r.dev !== undefined && isLinkLocal6(r.via) ? ` dev ${r.dev}` : '';
  return `route ${ns} ${r.dest} via ${r.via}${dev}`;
}

function quote(s: string): string {
  return /^[A-Za-z0-9._-]+$/.test(s) ? s : `'${s}'`;
}
