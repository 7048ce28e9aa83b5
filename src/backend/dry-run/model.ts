/**
 * The dry run's model of a lab: the namespaces a script makes, their links, addresses and routes,
 * followed operation by operation without touching anything. It knows what will certainly fail
 * (an interface that no statement made, a name made twice, a gateway off every network), and it
 * gives the lab's picture before it exists (`nsh graph FILE`).
 *
 * What it does not know it does not judge: a namespace the lab did not make (`host`, `pid N`, a
 * file, a namespace of an earlier run) may hold anything, and once a program has run, any
 * namespace may have changed.
 */
import ipaddr from 'ipaddr.js';
import { cidrText, type Cidr } from '../../core/net.js';
import type { Endpoint } from '../../core/lab.js';
import { endpointMachine, endpointsOf, LOCAL, TUNNEL_MTU } from '../../core/machines.js';
import type { Span } from '../../core/span.js';
import type { Shaping } from '../../core/shape.js';
import { shapeSnapshot, type LabSnapshot, type LinkSnapshot, type NsSnapshot, type Published, type RouteSnapshot, type TunnelSnapshot, type VlanSnapshot } from '../../core/snapshot.js';
import { OpError } from '../backend.js';
import { FORWARDING } from '../nat-rules.js';
import { portVlanEntries, type Op, type OpOf, type PortVlans } from '../ops.js';

const q = JSON.stringify;

interface Link {
  name: string;
  kind: string;
  up: boolean;
  mtu?: number;
  master?: string;
  peer?: { ns: string; ifname: string };
  addrs: Cidr[];
  shape?: Shaping;
  vlan?: VlanSnapshot;
  macvlan?: { parent: Endpoint; mode?: string };
  tunnel?: TunnelSnapshot;
}

interface Namespace {
  readonly name: string;
  hostname?: string;
  machine?: string;
  /** Whether the model holds every link of the namespace (it made it, and no program has run since). */
  known: boolean;
  readonly links: Map<string, Link>;
  readonly routes: RouteSnapshot[];
  readonly sysctls: Map<string, string>;
  /** The lab masquerades what the namespace forwards (nat). */
  nat: boolean;
  /** Ports published there (publish). */
  readonly published: Published[];
}

/** The VLAN a port joins a VLAN-filtering bridge in (the bridge's default_pvid, which nsh leaves as it is). */
export const DEFAULT_PVID = 1;

/** A port leaves its bridge, and with it the bridge's VLANs. */
function leave(l: Link): void {
  delete l.master;
  if (l.vlan?.kind === 'port') delete l.vlan;
}

export class LabModel {
  private readonly spaces = new Map<string, Namespace>();
  /** The machines declared (`machine NAME ssh …`), each with the statement that declared it. */
  private readonly machines = new Map<string, OpOf<'machine'>>();

  /** `lab`: namespaces that exist already (a lab opened again): known by name only. */
  constructor(lab: Iterable<string> = []) {
    this.space('host', false);
    for (const name of lab) this.space(name, false);
  }

  private space(name: string, known: boolean): Namespace {
    const ns: Namespace = { name, known, links: new Map(), routes: [], sysctls: new Map(), nat: false, published: [] };
    // another machine's root namespace (host@M)
    if (name.startsWith('host@')) ns.machine = name.slice(5);
    if (known) ns.links.set('lo', { name: 'lo', kind: 'loopback', up: false, mtu: 65536, addrs: [] });
    this.spaces.set(name, ns);
    return ns;
  }

  // ---- what it knows --------------------------------------------------------------------------------

  /** The link at `ep`: undefined where it certainly is not there, 'unknown' where the model cannot tell. */
  private link(ep: Endpoint): Link | undefined | 'unknown' {
    const ns = this.spaces.get(ep.ns);
    if (!ns?.known) return 'unknown';
    return ns.links.get(ep.ifname);
  }

  /** The link, or an error at the endpoint's word when it certainly does not exist. */
  private existing(ep: Endpoint): Link | undefined {
    const l = this.link(ep);
    if (l === undefined) {
      throw new OpError(`there is no interface ${q(ep.ifname)} in namespace ${q(ep.ns)}`, {
        at: ep.span,
        hint: 'no statement before this one makes it',
      });
    }
    return l === 'unknown' ? undefined : l;
  }

  /** An error at the endpoint's word when its name is certainly taken. */
  private free(ep: Endpoint): void {
    if (this.link(ep) instanceof Object) throw new OpError(`interface ${q(ep.ifname)} already exists in namespace ${q(ep.ns)}`, { at: ep.span });
  }

  private put(ep: Endpoint, link: Link): void {
    const ns = this.spaces.get(ep.ns);
    // a namespace the model does not know may hold anything; the picture still shows what was made there
    (ns ?? this.space(ep.ns, false)).links.set(link.name, link);
  }

  private remove(ep: { ns: string; ifname: string }): void {
    const ns = this.spaces.get(ep.ns);
    const l = ns?.links.get(ep.ifname);
    if (!ns || !l) return;
    ns.links.delete(ep.ifname);
    if (l.peer) this.spaces.get(l.peer.ns)?.links.delete(l.peer.ifname);
    for (const other of ns.links.values()) {
      if (other.master === l.name) leave(other);
      if (other.vlan?.kind === 'link' && other.vlan.parent === l.name) ns.links.delete(other.name);
    }
    // a macvlan goes with its parent, wherever it was placed
    for (const space of this.spaces.values()) {
      for (const other of space.links.values()) if (other.macvlan?.parent.ns === ep.ns && other.macvlan.parent.ifname === ep.ifname) space.links.delete(other.name);
    }
  }

  /** The names of the links the model holds in a namespace: all of them in one it knows, else those the script made there. */
  linkNames(ns: string): string[] {
    return [...(this.spaces.get(ns)?.links.keys() ?? [])];
  }

  /** After a program ran: it may have changed any namespace. */
  private forgetAll(): void {
    for (const ns of this.spaces.values()) ns.known = false;
  }

  // ---- following operations -----------------------------------------------------------------------

  /** Follows one operation; an OpError where it would certainly fail (then nothing changes). */
  apply(given: Op): void {
    const op = onMachines(given);
    this.acrossMachines(op);
    switch (op.kind) {
      case 'ns-add': {
        const ns = this.space(op.name, true);
        if (op.hostname !== undefined) ns.hostname = op.hostname;
        if (op.machine !== undefined) ns.machine = op.machine;
        return;
      }
      case 'machine':
        this.machines.set(op.name, op);
        return;
      case 'vxlan': {
        this.free(op.ep);
        const tunnel: TunnelSnapshot = { kind: 'vxlan', vni: op.vni };
        this.put(op.ep, { name: op.ep.ifname, kind: 'vxlan', up: true, addrs: [...op.addrs], tunnel, ...(op.mtu === undefined ? {} : { mtu: op.mtu }) });
        return;
      }
      case 'ns-del':
        for (const l of this.spaces.get(op.name)?.links.values() ?? []) if (l.peer) this.remove(l.peer);
        this.spaces.delete(op.name);
        return;
      case 'link-del':
        this.existing(op.ep);
        this.remove(op.ep);
        return;
      case 'veth':
        return this.veth(op);
      case 'bridge': {
        this.free(op.br);
        for (const p of op.ports) this.existing(p);
        const vlan = op.vlanFiltering ? { vlan: { kind: 'bridge' } as const } : {};
        this.put(op.br, { name: op.br.ifname, kind: 'bridge', up: true, mtu: 1500, addrs: [], ...vlan });
        for (const p of op.ports) this.join(p, op.br);
        return;
      }
      case 'vlan':
        return this.vlan(op);
      case 'macvlan': {
        this.existing(op.parent);
        this.free(op.target);
        const parent = { ns: op.parent.ns, ifname: op.parent.ifname };
        this.put(op.target, { name: op.target.ifname, kind: 'macvlan', up: true, addrs: [...op.addrs], macvlan: { mode: op.mode, parent } });
        return;
      }
      case 'nat': {
        const ns = this.spaceOf(op.ns);
        ns.nat = true;
        for (const key of [FORWARDING[4], FORWARDING[6]]) ns.sysctls.set(key, '1');
        return;
      }
      case 'publish':
        return this.publish(op);
      case 'attach': {
        const br = this.existing(op.br);
        const where = `${op.br.ns}.${op.br.ifname}`;
        if (br && br.kind !== 'bridge') throw new OpError(`${where} is not a bridge`, { at: op.br.span });
        if (br && op.vlans && br.vlan?.kind !== 'bridge') {
          throw new OpError(`${where} does not filter VLANs, so its ports take none`, { at: op.br.span, hint: `make it a VLAN-aware bridge: bridge ${where} vlan` });
        }
        for (const p of op.ports) this.existing(p);
        for (const p of op.ports) this.join(p, op.br, op.vlans);
        return;
      }
      case 'addr':
        return this.addr(op);
      case 'link-state': {
        const links = op.eps.map(ep => [ep, this.existing(ep)] as const);
        for (const [ep, l] of links) {
          if (!l) continue;
          l.up = op.up;
          // as the kernel does unless keep_addr_on_down is set
          if (!op.up && !this.keepsV6(ep)) l.addrs = l.addrs.filter(a => a.family === 4);
        }
        return;
      }
      case 'move':
        return this.move(op);
      case 'route':
        return this.route(op);
      case 'sysctl':
        for (const { key, value } of op.settings) this.spaceOf(op.ns).sysctls.set(key, value);
        return;
      case 'exec':
      case 'spawn':
        this.forgetAll();
        if (op.kind === 'spawn' && op.as !== undefined) this.space(op.as, false);
        return;
      case 'pin':
        if (op.target.kind === 'name') {
          const machine = op.ref.kind === 'name' ? this.spaces.get(op.ref.name)?.machine : undefined;
          const ns = this.space(op.target.name, false);
          if (machine !== undefined) ns.machine = machine;
        }
        return;
      case 'capture':
        this.existing(op.ep);
        return;
      case 'shape': {
        const links = op.eps.map(ep => this.existing(ep));
        for (const l of links) {
          if (!l) continue;
          if (op.shaping === 'off') delete l.shape;
          else l.shape = op.shaping;
        }
        return;
      }
      case 'ping':
      case 'nc':
      case 'pingall':
      case 'show':
      case 'info':
      case 'same':
      case 'jobs':
      case 'wait':
      case 'kill':
      case 'print':
      case 'sleep':
      case 'await':
        return;
      default: {
        const never: never = op;
        throw new Error(`the model does not follow ${(never as Op).kind}`);
      }
    }
  }

  private spaceOf(name: string): Namespace {
    return this.spaces.get(name) ?? this.space(name, false);
  }

  /**
   * A port joins a bridge. On a VLAN-filtering bridge it is a member of the VLANs given (the
   * kernel's default, VLAN 1 untagged, when it joins without), as the Linux backend leaves it.
   */
  private join(p: Endpoint, br: Endpoint, vlans?: PortVlans): void {
    const l = this.spaces.get(p.ns)?.links.get(p.ifname);
    if (!l) return;
    const joined = l.master === br.ifname;
    l.master = br.ifname;
    if (this.spaces.get(br.ns)?.links.get(br.ifname)?.vlan?.kind !== 'bridge') {
      delete l.vlan;
      return;
    }
    if (vlans) l.vlan = { kind: 'port', vlans: portVlanEntries(vlans) };
    else if (!joined || l.vlan?.kind !== 'port') l.vlan = { kind: 'port', vlans: [{ id: DEFAULT_PVID, pvid: true, untagged: true }] };
  }

  /** A VLAN of a link: a link made twice, or a second link of the parent's VLAN, fails. */
  private vlan(op: OpOf<'vlan'>): void {
    const parent = this.existing(op.parent);
    this.free(op.link);
    const twin = [...(this.spaces.get(op.parent.ns)?.links.values() ?? [])]
      .find(l => l.vlan?.kind === 'link' && l.vlan.parent === op.parent.ifname && l.vlan.id === op.id);
    if (parent && twin) throw new OpError(`${op.parent.ns}.${op.parent.ifname} already has VLAN ${op.id}: ${twin.name}`, { at: op.span });
    const mtu = parent?.mtu === undefined ? {} : { mtu: parent.mtu };
    this.put(op.link, { name: op.link.ifname, kind: 'vlan', up: true, addrs: [...op.addrs], ...mtu, vlan: { kind: 'link', id: op.id, parent: op.parent.ifname } });
  }

  /**
   * The VLANs a port has on a bridge before `attach … vlan` gives it its own: those it has there
   * already, or the kernel's default for a port that joins (VLAN 1). Explain removes those not given.
   */
  vlansBeforeAttach(p: Endpoint, br: Endpoint): number[] {
    const l = this.link(p);
    if (l instanceof Object && l.master === br.ifname && l.vlan?.kind === 'port') return l.vlan.vlans.map(v => v.id);
    return [DEFAULT_PVID];
  }

  private keepsV6(ep: Endpoint): boolean {
    const s = this.spaces.get(ep.ns)?.sysctls;
    return ['all', 'default', ep.ifname].some(k => s?.get(`net.ipv6.conf.${k}.keep_addr_on_down`) === '1');
  }

  private veth(op: OpOf<'veth'>): void {
    this.free(op.left);
    this.free(op.right);
    // across machines, a VXLAN tunnel that reads as one veth
    const across = this.machineOf(op.left.ns) !== this.machineOf(op.right.ns);
    const end = (ep: Endpoint, peer: Endpoint, addrs: readonly Cidr[]): Link => ({
      name: ep.ifname,
      kind: across ? 'vxlan' : 'veth',
      up: true,
      peer: { ns: peer.ns, ifname: peer.ifname },
      addrs: [...addrs],
      mtu: op.mtu ?? (across ? TUNNEL_MTU : 1500),
      ...(op.shape === undefined ? {} : { shape: op.shape }),
    });
    this.put(op.left, end(op.left, op.right, op.leftAddrs));
    this.put(op.right, end(op.right, op.left, op.rightAddrs));
  }

  /** A port published twice in one namespace would send its connections two ways: the second one fails. */
  private publish(op: OpOf<'publish'>): void {
    const ns = this.spaceOf(op.ns);
    if (ns.published.some(p => p.proto === op.proto && p.port === op.port)) {
      throw new OpError(`${op.proto} port ${op.port} is already published in namespace ${q(op.ns)}`);
    }
    ns.published.push({ proto: op.proto, port: op.port, to: op.to.address, toPort: op.to.port });
    ns.sysctls.set(FORWARDING[op.to.family], '1');
  }

  private addr(op: OpOf<'addr'>): void {
    const l = this.existing(op.ep);
    if (!l) return;
    const where = `${op.ep.ns}.${op.ep.ifname}`;
    for (const c of op.addrs) {
      const i = l.addrs.findIndex(a => a.address === c.address && a.prefix === c.prefix);
      if (op.del) {
        if (i === -1) throw new OpError(`${where} has no address ${cidrText(c)}`, { at: op.ep.span });
        l.addrs.splice(i, 1);
      } else {
        if (i !== -1) throw new OpError(`${where} already has address ${cidrText(c)}`, { at: op.ep.span });
        l.addrs.push(c);
      }
    }
  }

  private move(op: OpOf<'move'>): void {
    const l = this.existing(op.ep);
    const name = op.newName ?? op.ep.ifname;
    const to = op.to.kind === 'name' ? op.to.name : undefined;
    const target = to === undefined ? undefined : { ns: to, ifname: name };
    if (target) {
      const there = this.link(target);
      if (there instanceof Object) {
        throw new OpError(`${to === 'host' ? 'the host namespace' : `namespace ${q(to)}`} already has an interface ${q(name)}`, {
          at: op.span,
          hint: 'give it another name: move … as NEWNAME',
        });
      }
    }
    this.spaces.get(op.ep.ns)?.links.delete(op.ep.ifname);
    if (!target) {
      if (l?.peer) this.repoint(l.peer, undefined);
      return;
    }
    // a link that changes namespace goes down and loses its addresses (and leaves its bridge)
    const moved: Link = l ? { ...l, name, up: false, addrs: [] } : { name, kind: 'device', up: false, addrs: [] };
    leave(moved);
    this.put(target, moved);
    if (l?.peer) this.repoint(l.peer, target);
  }

  /** The veth end at `end` now has its peer at `peer` (undefined: somewhere the model does not follow). */
  private repoint(end: { ns: string; ifname: string }, peer: { ns: string; ifname: string } | undefined): void {
    const l = this.spaces.get(end.ns)?.links.get(end.ifname);
    if (!l) return;
    if (peer) l.peer = peer;
    else delete l.peer;
  }

  private route(op: OpOf<'route'>): void {
    const ns = this.spaces.get(op.ns);
    const dest = op.dest === 'default' ? 'default' : cidrText(op.dest);
    if (op.dev !== undefined) this.existing({ ns: op.ns, ifname: op.dev });
    if (!ns?.known) return;
    const i = ns.routes.findIndex(r => r.dest === dest && r.family === op.family);
    if (op.del) {
      if (i !== -1) ns.routes.splice(i, 1);
      return;
    }
    if (i !== -1) throw new OpError(`namespace ${q(op.ns)} already has a route to ${dest}`);
    if (op.via !== undefined && !this.onLink(ns, op.via, op.dev)) {
      throw new OpError(`gateway ${op.via} is not on a network of namespace ${q(op.ns)}`, {
        at: op.viaSpan,
        hint: 'give an interface of the namespace an address in the gateway\'s network first',
      });
    }
    ns.routes.push({ dest, family: op.family, ...(op.via === undefined ? {} : { via: op.via }), ...(op.dev === undefined ? {} : { dev: op.dev }) });
  }

  /** Whether a gateway is reachable without a router: in the network of an address of the namespace, or link-local with dev. */
  private onLink(ns: Namespace, via: string, dev: string | undefined): boolean {
    const gw = ipaddr.parse(via);
    if (gw.kind() === 'ipv6' && gw.range() === 'linkLocal') return dev !== undefined;
    for (const l of ns.links.values()) {
      for (const a of l.addrs) {
        const addr = ipaddr.parse(a.address);
        if (addr.kind() === gw.kind() && gw.match(addr, a.prefix)) return true;
      }
    }
    return false;
  }

  // ---- machines -------------------------------------------------------------------------------------

  /** The machine a namespace is on: `local` unless `ns … on M` (or `host@M`) put it elsewhere. */
  machineOf(ns: string): string {
    return this.spaces.get(ns)?.machine ?? (ns.startsWith('host@') ? ns.slice(5) : LOCAL);
  }

  /** What would certainly fail across machines: an undeclared machine, a link that would have to change machine. */
  private acrossMachines(op: Op): void {
    const named = (m: string, at: Span | undefined) => {
      if (m === LOCAL || this.machines.has(m)) return;
      throw new OpError(`machine ${q(m)} is not declared`, { at, hint: `declare it first: machine ${m} ssh [USER@]HOST` });
    };
    for (const ep of endpointsNamed(op)) named(ep.ns.slice(5), ep.span);
    switch (op.kind) {
      case 'machine': {
        const before = this.machines.get(op.name);
        if (before) throw new OpError(`machine ${q(op.name)} is declared twice`, { hint: `first at line ${before.span.line}` });
        return;
      }
      case 'ns-add':
        if (op.machine !== undefined) named(op.machine, op.machineSpan);
        return;
      case 'move': {
        const from = this.machineOf(op.ep.ns);
        const to = op.to.kind === 'name' ? this.machineOf(op.to.name) : LOCAL;
        if (from !== to) {
          throw new OpError(`a link cannot move to another machine: ${op.ep.ns}.${op.ep.ifname} is on ${from}, the namespace it would go to on ${to}`, {
            hint: 'make the link where it is needed (a veth between namespaces of two machines is a tunnel)',
          });
        }
        return;
      }
      case 'macvlan': {
        const parent = this.machineOf(op.parent.ns);
        const target = this.machineOf(op.target.ns);
        if (parent !== target) {
          throw new OpError(`a macvlan stays on its parent's machine: ${op.parent.ns}.${op.parent.ifname} is on ${parent}, namespace ${q(op.target.ns)} on ${target}`, {
            at: op.parent.span,
            hint: `put the namespace on ${parent} (ns ${op.target.ns} on ${parent})`,
          });
        }
        return;
      }
      case 'same': {
        if (op.a.kind !== 'name' || op.b.kind !== 'name') return;
        const [a, b] = [this.machineOf(op.a.name), this.machineOf(op.b.name)];
        if (a !== b) throw new OpError(`${op.a.name} is on ${a} and ${op.b.name} on ${b}: never the same namespace`);
        return;
      }
    }
  }

  // ---- the picture ----------------------------------------------------------------------------------

  /** The lab as a snapshot: the host (where the lab made links there), then `lab`'s namespaces in order. */
  snapshot(lab: readonly string[]): LabSnapshot {
    const names = ['host', ...lab.filter(n => n !== 'host')];
    const shown = new Set(names);
    const namespaces = names.flatMap(name => {
      const ns = this.spaces.get(name);
      if (!ns || (name === 'host' && ns.links.size === 0 && !ns.nat && ns.published.length === 0)) return [];
      return [this.nsSnapshot(ns, shown)];
    });
    return { namespaces };
  }

  private nsSnapshot(ns: Namespace, shown: ReadonlySet<string>): NsSnapshot {
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
}

/** The endpoints of an operation that name another machine's root namespace (`host@M.IF`), as the model keys it. */
function endpointsNamed(op: Op): Endpoint[] {
  return endpointsOf(op).filter(ep => ep.ns.startsWith('host@'));
}

/** The operation with each endpoint `host@M.IF` of another machine as one of the namespace `host@M`. */
function onMachines(op: Op): Op {
  if (!endpointsOf(op).some(ep => endpointMachine(ep) !== undefined)) return op;
  const moved = (v: unknown): unknown => {
    const ep = v as Endpoint;
    const m = typeof v === 'object' && v !== null && typeof ep.ns === 'string' && typeof ep.ifname === 'string' ? endpointMachine(ep) : undefined;
    return m === undefined ? v : { ...ep, ns: `host@${m}` };
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(op)) out[k] = Array.isArray(v) ? v.map(moved) : moved(v);
  return out as unknown as Op;
}
