/**
 * `show` as text: the lab as a tree (namespaces, links with their peer, state, addresses, the
 * routes the lab added), one table (links, addresses, routes), or JSON. It draws a LabSnapshot,
 * whoever made it: the Linux backend (read from the kernel) or the dry run's model.
 */
import pc from 'picocolors';
import type { ShowLink, ShowNamespace } from '../core/results.js';
import { shapeSnapshotText, type LinkSnapshot, type NsSnapshot, type Published, type RouteSnapshot, type LabSnapshot } from '../core/snapshot.js';

type PortVlan = Extract<NonNullable<LinkSnapshot['vlan']>, { kind: 'port' }>['vlans'][number];

export interface ShowQuery {
  readonly what: 'tree' | 'links' | 'addrs' | 'routes';
  /** One namespace; otherwise the lab's (and the host's links that lead into the lab). */
  readonly ns?: string;
  readonly json: boolean;
}

type State = 'up' | 'down' | 'no-carrier';

const stateOf = (l: LinkSnapshot): State => (!l.up ? 'down' : l.carrier === false ? 'no-carrier' : 'up');
const endpoint = (l: LinkSnapshot): string | undefined => (l.peer ? `${l.peer.ns}.${l.peer.ifname}` : undefined);

/**
 * The namespaces shown: the one asked for; or all, the host keeping only its links paired with a
 * lab namespace and those shaped (`shape host.eth0 …`; its other devices are not the lab's), and
 * left out when it has none.
 */
function shown(snap: LabSnapshot, q: ShowQuery): NsSnapshot[] {
  if (q.ns !== undefined) return snap.namespaces.filter(n => n.name === q.ns);
  return snap.namespaces.flatMap(n => {
    if (n.name !== 'host') return [n];
    const links = n.links.filter(l => (l.peer && l.peer.ns !== 'host') || l.shape);
    return links.length === 0 && !n.nat && !n.published?.length ? [] : [{ ...n, links }];
  });
}

/** Every route of the main table, added ones first, IPv4 before IPv6 (as `ip route` and `ip -6 route`). */
function allRoutes(n: NsSnapshot): RouteSnapshot[] {
  const all = [...n.routes, ...(n.kernelRoutes ?? [])];
  return [...all.filter(r => r.family === 4), ...all.filter(r => r.family === 6)];
}

function routeText(r: RouteSnapshot): string {
  return [r.dest, r.via === undefined ? '' : `via ${r.via}`, r.dev === undefined ? '' : `dev ${r.dev}`].filter(Boolean).join(' ');
}

/** The value `show --json` prints (the library gives it as data). */
export function showJson(snap: LabSnapshot, q: Omit<ShowQuery, 'json'>): ShowNamespace[] {
  return values(shown(snap, { ...q, json: true }));
}

function values(namespaces: readonly NsSnapshot[]): ShowNamespace[] {
  return namespaces.map(n => ({
      name: n.name,
      links: n.links.map(l => ({
        name: l.name,
        ...(l.index === undefined ? {} : { index: l.index }),
        kind: l.kind,
        state: stateOf(l),
        ...(l.mtu === undefined ? {} : { mtu: l.mtu }),
        ...(l.master === undefined ? {} : { master: l.master }),
        ...(l.peer ? { peer: endpoint(l) } : {}),
        ...(l.peerOutside ? { peerOutside: true } : {}),
        addresses: l.addresses,
        ...(l.shape ? { shape: l.shape } : {}),
        ...kindJson(l),
      })),
      routes: allRoutes(n).map(r => ({
        dest: r.dest,
        ...(r.via === undefined ? {} : { via: r.via }),
        ...(r.dev === undefined ? {} : { dev: r.dev }),
      })),
      ...(n.nat ? { nat: true } : {}),
      ...(n.published?.length ? { published: n.published.map(p => ({ ...p })) } : {}),
    }));
}

export function renderShow(snap: LabSnapshot, q: ShowQuery, color: boolean): string {
  const c = pc.createColors(color);
  const namespaces = shown(snap, q);
  if (q.json) return JSON.stringify(values(namespaces), null, 2);
  const state = (s: State) => (s === 'up' ? c.green('UP') : s === 'down' ? c.red('DOWN') : c.yellow('NO-CARRIER'));
  switch (q.what) {
    case 'tree':
      return namespaces
        .map(n => {
          const items = [
            ...n.links.map(l => {
              const kind = l.kind !== 'device' && l.kind !== 'loopback' ? c.dim(kindText(l)) : '';
              const peer = endpoint(l);
              const port = l.vlan?.kind === 'port' ? portVlansText(l.vlan.vlans) : '';
              const shape = shapeSnapshotText(l.shape);
              const extra = [kind, peer ? `<-> ${c.cyan(peer)}` : '', l.master ? `master ${l.master}` : '', port, l.addresses.join(' '), shape && c.magenta(shape)]
                .filter(Boolean);
              return `${l.name.padEnd(10)} ${state(stateOf(l))}${extra.length ? '  ' + extra.join('  ') : ''}`;
            }),
            ...n.routes.map(r => `${c.dim('route')}      ${routeText(r)}`),
            ...(n.nat ? [`${c.dim('nat')}        masquerades what it forwards to the outside`] : []),
            ...(n.published ?? []).map(p => `${c.dim('publish')}    ${publishedText(p)}`),
          ];
          // (in a lab across machines, the machine of each namespace)
          const on = n.machine !== undefined && !n.name.startsWith('host') ? c.dim(`  on ${n.machine}`) : '';
          const lines = [c.bold(n.name) + on, ...items.map((item, i) => `${i === items.length - 1 ? '└─' : '├─'} ${item}`)];
          if (n.links.length === 0) lines.push(c.dim('   (no links)'));
          return lines.join('\n');
        })
        .join('\n');
    case 'links':
      return table(['NS', 'LINK', 'STATE', 'KIND', 'PEER', 'MASTER', 'MTU'], namespaces.flatMap(n =>
        n.links.map(l => [n.name, l.name, stateOf(l).toUpperCase(), l.kind, endpoint(l) ?? '', l.master ?? '', String(l.mtu ?? '')]),
      ));
    case 'addrs':
      return table(['NS', 'LINK', 'ADDRESS'], namespaces.flatMap(n => n.links.flatMap(l => l.addresses.map(a => [n.name, l.name, a]))));
    case 'routes':
      return table(['NS', 'DESTINATION', 'VIA', 'DEV'], namespaces.flatMap(n => allRoutes(n).map(r => [n.name, r.dest, r.via ?? '', r.dev ?? ''])));
  }
}

/** A link's kind with what its kind says: `vlan 10 on t0`, `bridge vlan`, `macvlan bridge on host.eth0`. */
function kindText(l: LinkSnapshot): string {
  if (l.vlan?.kind === 'link') return `vlan ${l.vlan.id} on ${l.vlan.parent}`;
  if (l.vlan?.kind === 'bridge') return `${l.kind} vlan`;
  if (l.macvlan) return `macvlan${l.macvlan.mode ? ` ${l.macvlan.mode}` : ''} on ${l.macvlan.parent.ns}.${l.macvlan.parent.ifname}`;
  return l.kind;
}

/** A port's VLANs in attach's words where they fit (`vlan 10 untagged`, `vlan 10,20`), else each with its flags. */
export function portVlansText(vlans: readonly PortVlan[]): string {
  if (vlans.length === 0) return 'vlan none';
  const [one] = vlans;
  if (vlans.length === 1 && one!.pvid && one!.untagged) return `vlan ${one!.id} untagged`;
  if (vlans.every(v => !v.pvid && !v.untagged)) return `vlan ${vlans.map(v => v.id).join(',')}`;
  return `vlan ${vlans.map(v => [String(v.id), v.pvid ? 'pvid' : '', v.untagged ? 'untagged' : ''].filter(Boolean).join(' ')).join(', ')}`;
}

function publishedText(p: Published): string {
  const to = p.to.includes(':') ? `[${p.to}]` : p.to;
  return `${p.proto} ${p.port} -> ${to}:${p.toPort}`;
}

/** What `show --json` says of a vlan, a VLAN-filtering bridge and its ports, a macvlan. */
function kindJson(l: LinkSnapshot): Pick<ShowLink, 'vlan' | 'vlanFiltering' | 'vlans' | 'macvlan'> {
  const v = l.vlan;
  return {
    ...(v?.kind === 'link' ? { vlan: { id: v.id, parent: v.parent } } : {}),
    ...(v?.kind === 'bridge' ? { vlanFiltering: true } : {}),
    ...(v?.kind === 'port' ? { vlans: v.vlans.map(x => ({ ...x })) } : {}),
    ...(l.macvlan ? { macvlan: { parent: `${l.macvlan.parent.ns}.${l.macvlan.parent.ifname}`, ...(l.macvlan.mode ? { mode: l.macvlan.mode } : {}) } } : {}),
  };
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)));
  const line = (r: string[]) => r.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
