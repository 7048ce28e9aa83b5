/**
 * A lab's topology, for pictures: namespaces (and `host`) and bridges as nodes, links as edges
 * between them, clusters for namespaces that hold bridges and for machines; a namespace's NAT and
 * published ports are written on its node. Built from a
 * LabSnapshot, so a file (its dry run) and a live lab (the kernel) give the same picture; a live
 * lab adds state (carrier, counters). Every node, edge and cluster has a stable key, and every
 * list is sorted by key.
 */
import type {
  LabSnapshot, LinkSnapshot, LinkStats, NsSnapshot, ShapeSnapshot, TunnelSnapshot, VlanSnapshot,
} from '../backend/backend.js';
import type { Published } from '../core/snapshot.js';

export type NodeKind = 'namespace' | 'bridge' | 'outside';

/** An interface no edge shows (a dummy, a vlan whose parent is not drawn …), listed on its node. */
export interface TopoInterface {
  readonly ifname: string;
  readonly kind: string;
  readonly up: boolean;
  readonly addresses: readonly string[];
}

export interface TopoNode {
  /** `ns:NAME` (`ns:host` too), `br:NS.BRIDGE`, or `outside`. */
  readonly key: string;
  readonly kind: NodeKind;
  /** What the picture writes: the namespace's or the bridge's name, or `outside`. */
  readonly label: string;
  /** The namespace it is (a namespace node) or is in (a bridge). */
  readonly ns?: string;
  readonly hostname?: string;
  /** IPv4 or IPv6 forwarding is on: a router. */
  readonly forwarding?: boolean;
  /** The lab masquerades what the namespace forwards out (`nat`). */
  readonly nat?: boolean;
  /** The ports the lab published there (`publish`). */
  readonly published?: readonly Published[];
  readonly machine?: string;
  /** The key of the cluster it is drawn in. */
  readonly cluster?: string;
  /** A bridge: its own state, and whether it filters VLANs. */
  readonly up?: boolean;
  readonly vlanFiltering?: boolean;
  readonly interfaces?: readonly TopoInterface[];
}

/** A VLAN sub-interface made on an edge's end. */
export interface TopoVlan {
  readonly ifname: string;
  readonly id: number;
  readonly up: boolean;
  readonly addresses: readonly string[];
}

/** One end of an edge: the interface there (none for the outside end, or a bridge's own side). */
export interface TopoEnd {
  readonly node: string;
  readonly ns?: string;
  readonly ifname?: string;
  readonly addresses: readonly string[];
  readonly up?: boolean;
  readonly carrier?: boolean;
  readonly mtu?: number;
  readonly shape?: ShapeSnapshot;
  /** A bridge port's VLANs. */
  readonly portVlans?: Extract<VlanSnapshot, { kind: 'port' }>['vlans'];
  readonly vlans?: readonly TopoVlan[];
  readonly stats?: LinkStats;
}

/**
 * `veth` a veth pair; `vxlan` a veth across machines (a tunnel); `macvlan` a macvlan to its
 * parent; `bridge` a namespace to a bridge of its own (the bridge's interface); `outside` a veth
 * whose other end is in a namespace the lab does not hold.
 */
export type EdgeKind = 'veth' | 'vxlan' | 'macvlan' | 'bridge' | 'outside';

export interface TopoEdge {
  /** `KIND:NS.IF` or, for a pair, `KIND:NS.IF|NS.IF` with the two ends in order. */
  readonly key: string;
  readonly kind: EdgeKind;
  readonly a: TopoEnd;
  readonly b: TopoEnd;
  readonly tunnel?: TunnelSnapshot;
  readonly macvlanMode?: string;
}

export interface TopoCluster {
  /** `cluster:ns:NAME` or `cluster:machine:NAME`. */
  readonly key: string;
  readonly kind: 'namespace' | 'machine';
  readonly label: string;
  /** The machine cluster it is in. */
  readonly parent?: string;
}

export interface Topology {
  /** The lab's name, when known. */
  readonly lab?: string;
  readonly nodes: readonly TopoNode[];
  readonly edges: readonly TopoEdge[];
  readonly clusters: readonly TopoCluster[];
}

export const nsKey = (ns: string): string => `ns:${ns}`;
export const bridgeKey = (ns: string, br: string): string => `br:${ns}.${br}`;
export const OUTSIDE = 'outside';
const LOCAL = 'local';

const byKey = <T extends { readonly key: string }>(xs: Iterable<T>): T[] =>
  [...xs].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));

const epText = (ns: string, ifname: string) => `${ns}.${ifname}`;

/** The VLAN sub-interfaces of each link (`ns.if` of the parent), by VLAN id. */
function vlansByParent(snap: LabSnapshot): Map<string, TopoVlan[]> {
  const m = new Map<string, TopoVlan[]>();
  for (const ns of snap.namespaces) {
    for (const l of ns.links) {
      if (l.vlan?.kind !== 'link') continue;
      const key = epText(ns.name, l.vlan.parent);
      m.set(key, [...(m.get(key) ?? []), { ifname: l.name, id: l.vlan.id, up: l.up, addresses: [...l.addresses] }]);
    }
  }
  for (const vs of m.values()) vs.sort((x, y) => x.id - y.id || (x.ifname < y.ifname ? -1 : 1));
  return m;
}

/** A link whose end is drawn on the node it belongs to: a bridge's when it is a port, else its namespace's. */
function linkEnd(ns: NsSnapshot, l: LinkSnapshot, bridges: ReadonlySet<string>, vlansOn: ReadonlyMap<string, readonly TopoVlan[]>): TopoEnd {
  const vlans = vlansOn.get(epText(ns.name, l.name));
  const node = l.master !== undefined && bridges.has(bridgeKey(ns.name, l.master)) ? bridgeKey(ns.name, l.master) : nsKey(ns.name);
  return {
    node,
    ns: ns.name,
    ifname: l.name,
    addresses: [...l.addresses],
    up: l.up,
    ...(l.carrier === undefined ? {} : { carrier: l.carrier }),
    ...(l.mtu === undefined ? {} : { mtu: l.mtu }),
    ...(l.shape ? { shape: l.shape } : {}),
    ...(l.vlan?.kind === 'port' ? { portVlans: l.vlan.vlans } : {}),
    ...(vlans ? { vlans } : {}),
    ...(l.stats ? { stats: l.stats } : {}),
  };
}

function pairKey(kind: EdgeKind, x: TopoEnd, y: TopoEnd): { key: string; a: TopoEnd; b: TopoEnd } {
  const tx = epText(x.ns!, x.ifname!);
  const ty = epText(y.ns!, y.ifname!);
  return tx <= ty ? { key: `${kind}:${tx}|${ty}`, a: x, b: y } : { key: `${kind}:${ty}|${tx}`, a: y, b: x };
}

export interface TopologyOptions {
  readonly lab?: string;
}

/** The topology of a lab: `snap` holds the host (`host`) and the lab's namespaces. */
export function topologyOf(snap: LabSnapshot, opts: TopologyOptions = {}): Topology {
  const spaces = new Map(snap.namespaces.map(n => [n.name, n]));
  const isLab = (ns: string) => ns !== 'host' && spaces.has(ns);
  const find = (ns: string, ifname: string) => spaces.get(ns)?.links.find(l => l.name === ifname);
  const vlansOn = vlansByParent(snap);

  // bridges: every bridge of a lab namespace; the host's only when a lab link is its port (below)
  const bridges = new Set<string>();
  for (const ns of snap.namespaces) {
    for (const l of ns.links) if (l.kind === 'bridge') bridges.add(bridgeKey(ns.name, l.name));
  }
  const endOf = (ns: NsSnapshot, l: LinkSnapshot) => linkEnd(ns, l, bridges, vlansOn);

  const edges = new Map<string, TopoEdge>();
  /** links an edge shows, as `ns.if` */
  const drawn = new Set<string>();
  const add = (e: TopoEdge, ...links: string[]) => {
    edges.set(e.key, e);
    for (const x of links) drawn.add(x);
  };
  const vxlans = new Map<number, { ns: NsSnapshot; l: LinkSnapshot }[]>();

  for (const ns of snap.namespaces) {
    for (const l of ns.links) {
      const here = epText(ns.name, l.name);
      if ((l.kind === 'veth' || l.kind === 'vxlan') && l.peer) {
        // a pair: drawn once, when one of its ends is the lab's (or both are the host's)
        if (ns.name === 'host' && isLab(l.peer.ns)) continue;
        const other = find(l.peer.ns, l.peer.ifname);
        if (!other) continue;
        const kind: EdgeKind = l.kind === 'vxlan' || other.kind === 'vxlan' ? 'vxlan' : 'veth';
        const p = pairKey(kind, endOf(ns, l), endOf(spaces.get(l.peer.ns)!, other));
        const tunnel = l.tunnel ?? other.tunnel;
        add({ key: p.key, kind, a: p.a, b: p.b, ...(tunnel ? { tunnel } : {}) }, here, epText(l.peer.ns, l.peer.ifname));
      } else if (l.kind === 'vxlan' && l.tunnel && ns.name !== 'host') {
        const same = vxlans.get(l.tunnel.vni) ?? [];
        same.push({ ns, l });
        vxlans.set(l.tunnel.vni, same);
      } else if (l.kind === 'veth' && l.peerOutside && ns.name !== 'host') {
        const end = endOf(ns, l);
        add({ key: `outside:${here}`, kind: 'outside', a: end, b: { node: OUTSIDE, addresses: [] } }, here);
      } else if (l.macvlan && ns.name !== 'host') {
        const parent = find(l.macvlan.parent.ns, l.macvlan.parent.ifname);
        const a = endOf(ns, l);
        const b: TopoEnd = spaces.has(l.macvlan.parent.ns)
          ? { node: nsKey(l.macvlan.parent.ns), ns: l.macvlan.parent.ns, ifname: l.macvlan.parent.ifname, addresses: [], ...(parent ? { up: parent.up } : {}) }
          : { node: OUTSIDE, ifname: l.macvlan.parent.ifname, addresses: [] };
        add({ key: `macvlan:${here}`, kind: 'macvlan', a, b, ...(l.macvlan.mode ? { macvlanMode: l.macvlan.mode } : {}) }, here);
      }
    }
  }
  // VXLANs known only by their VNI: two ends of the same VNI are one link, a lone end goes outside
  for (const [, group] of vxlans) {
    const ends = group.map(({ ns, l }) => ({ end: endOf(ns, l), l, text: epText(ns.name, l.name) }));
    if (ends.length === 2) {
      const p = pairKey('vxlan', ends[0]!.end, ends[1]!.end);
      add({ key: p.key, kind: 'vxlan', a: p.a, b: p.b, tunnel: ends[0]!.l.tunnel! }, ends[0]!.text, ends[1]!.text);
    } else {
      for (const e of ends) add({ key: `vxlan:${e.text}`, kind: 'vxlan', a: e.end, b: { node: OUTSIDE, addresses: [] }, tunnel: e.l.tunnel! }, e.text);
    }
  }

  // the host's bridges that a drawn link is a port of
  const used = new Set<string>();
  for (const e of edges.values()) for (const end of [e.a, e.b]) used.add(end.node);
  const shownBridge = (ns: string, br: string) => bridges.has(bridgeKey(ns, br)) && (isLab(ns) || used.has(bridgeKey(ns, br)));
  for (const ns of snap.namespaces) {
    for (const l of ns.links) {
      if (l.kind !== 'bridge' || !shownBridge(ns.name, l.name)) continue;
      const here = epText(ns.name, l.name);
      add(
        {
          key: `bridge:${here}`,
          kind: 'bridge',
          a: { ...endOf(ns, { ...l, master: undefined }), node: nsKey(ns.name) },
          b: { node: bridgeKey(ns.name, l.name), addresses: [] },
        },
        here,
      );
    }
  }

  // VLAN sub-interfaces ride on their parent's end (endOf puts them there)
  for (const [parent, vlans] of vlansOn) {
    if (drawn.has(parent)) for (const v of vlans) drawn.add(epText(parent.slice(0, parent.indexOf('.')), v.ifname));
  }

  // nodes: the lab's namespaces, the host (and other machines' hosts) when a link reaches it, bridges, outside
  const multiMachine = snap.namespaces.some(n => n.machine !== undefined);
  const machineOf = (ns: NsSnapshot) => (multiMachine ? ns.machine ?? LOCAL : undefined);
  for (const e of edges.values()) for (const end of [e.a, e.b]) used.add(end.node);
  const nodes: TopoNode[] = [];
  const clusters = new Map<string, TopoCluster>();
  for (const ns of snap.namespaces) {
    const key = nsKey(ns.name);
    const nat = ns.nat === true;
    const published = ns.published ?? [];
    // the host (or a namespace outside the lab) is drawn when a link reaches it or the lab's NAT table is there
    if (!isLab(ns.name) && !used.has(key) && !nat && published.length === 0) continue;
    const machine = machineOf(ns);
    const machineCluster = machine === undefined ? undefined : `cluster:machine:${machine}`;
    if (machineCluster) clusters.set(machineCluster, { key: machineCluster, kind: 'machine', label: machine! });
    const own = ns.links.filter(l => l.kind === 'bridge' && shownBridge(ns.name, l.name));
    let cluster = machineCluster;
    if (own.length > 0) {
      cluster = `cluster:ns:${ns.name}`;
      clusters.set(cluster, { key: cluster, kind: 'namespace', label: ns.name, ...(machineCluster ? { parent: machineCluster } : {}) });
    }
    // the lab's own interfaces that no edge shows (never the host's: they are not the lab's)
    const interfaces: TopoInterface[] = isLab(ns.name)
      ? ns.links
          .filter(l => l.kind !== 'loopback' && !drawn.has(epText(ns.name, l.name)) && !(l.kind === 'veth' && ns.name === 'host'))
          .map(l => ({ ifname: l.name, kind: l.kind, up: l.up, addresses: [...l.addresses] }))
          .sort((x, y) => (x.ifname < y.ifname ? -1 : 1))
      : [];
    nodes.push({
      key,
      kind: 'namespace',
      label: ns.name,
      ns: ns.name,
      ...(ns.hostname !== undefined ? { hostname: ns.hostname } : {}),
      ...(ns.forwarding.ipv4 || ns.forwarding.ipv6 ? { forwarding: true } : {}),
      ...(nat ? { nat } : {}),
      ...(published.length > 0 ? { published } : {}),
      ...(machine !== undefined ? { machine } : {}),
      ...(cluster ? { cluster } : {}),
      ...(interfaces.length > 0 ? { interfaces } : {}),
    });
    for (const br of own) {
      nodes.push({
        key: bridgeKey(ns.name, br.name),
        kind: 'bridge',
        label: br.name,
        ns: ns.name,
        ...(machine !== undefined ? { machine } : {}),
        cluster: cluster!,
        up: br.up,
        ...(br.vlan?.kind === 'bridge' ? { vlanFiltering: true } : {}),
      });
    }
  }
  if (used.has(OUTSIDE)) nodes.push({ key: OUTSIDE, kind: 'outside', label: 'outside' });

  return {
    ...(opts.lab !== undefined ? { lab: opts.lab } : {}),
    nodes: byKey(nodes),
    edges: byKey(edges.values()),
    clusters: byKey(clusters.values()),
  };
}

/** The topology without its counters: what a file's dry run and a live lab have in common, with state. */
export function withoutCounters(t: Topology): Topology {
  const strip = (e: TopoEnd): TopoEnd => {
    if (!e.stats) return e;
    const { stats: _, ...rest } = e;
    return rest;
  };
  return { ...t, edges: t.edges.map(e => ({ ...e, a: strip(e.a), b: strip(e.b) })) };
}
