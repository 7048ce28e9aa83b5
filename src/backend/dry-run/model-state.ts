/**
 * What the dry run's model of a lab (model.ts) holds: its namespaces, each with its links, routes
 * and sysctls, and the machines declared; and the questions it answers about them (is the link
 * there, is the name free). The model's other files change it through these.
 */
import type { Cidr } from '../../core/net.js';
import type { Endpoint } from '../../core/lab.js';
import { LOCAL } from '../../core/machines.js';
import type { Shaping } from '../../core/shape.js';
import type { Published, RouteSnapshot, TunnelSnapshot, VlanSnapshot } from '../../core/snapshot.js';
import { OpError } from '../backend.js';
import type { OpOf } from '../ops.js';

export const q = JSON.stringify;

export interface Link {
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

export interface Namespace {
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
export function leave(l: Link): void {
  delete l.master;
  if (l.vlan?.kind === 'port') delete l.vlan;
}

export class ModelState {
  readonly spaces = new Map<string, Namespace>();
  /** The machines declared (`machine NAME ssh …`), each with the statement that declared it. */
  readonly machines = new Map<string, OpOf<'machine'>>();
  /** The namespaces that may be known (`forgetAll` visits these, not every namespace, at each program). */
  private readonly knownSpaces: Namespace[] = [];

  /** `lab`: namespaces that exist already (a lab opened again): known by name only. */
  constructor(lab: Iterable<string> = []) {
    this.space('host', false);
    for (const name of lab) this.space(name, false);
  }

  space(name: string, known: boolean): Namespace {
    const ns: Namespace = { name, known, links: new Map(), routes: [], sysctls: new Map(), nat: false, published: [] };
    // another machine's root namespace (host@M)
    if (name.startsWith('host@')) ns.machine = name.slice(5);
    if (known) {
      ns.links.set('lo', { name: 'lo', kind: 'loopback', up: false, mtu: 65536, addrs: [] });
      this.knownSpaces.push(ns);
    }
    this.spaces.set(name, ns);
    return ns;
  }

  // ---- what it knows --------------------------------------------------------------------------------

  /** The link at `ep`: undefined where it certainly is not there, 'unknown' where the model cannot tell. */
  link(ep: Endpoint): Link | undefined | 'unknown' {
    const ns = this.spaces.get(ep.ns);
    if (!ns?.known) return 'unknown';
    return ns.links.get(ep.ifname);
  }

  /** The link, or an error at the endpoint's word when it certainly does not exist. */
  existing(ep: Endpoint): Link | undefined {
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
  free(ep: Endpoint): void {
    if (this.link(ep) instanceof Object) throw new OpError(`interface ${q(ep.ifname)} already exists in namespace ${q(ep.ns)}`, { at: ep.span });
  }
  put(ep: Endpoint, link: Link): void {
    const ns = this.spaces.get(ep.ns);
    // a namespace the model does not know may hold anything; the picture still shows what was made there
    (ns ?? this.space(ep.ns, false)).links.set(link.name, link);
  }
  remove(ep: { ns: string; ifname: string }): void {
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
  forgetAll(): void {
    for (const ns of this.knownSpaces) ns.known = false;
    this.knownSpaces.length = 0;
  }
  spaceOf(name: string): Namespace {
    return this.spaces.get(name) ?? this.space(name, false);
  }

  /** The machine a namespace is on: `local` unless `ns … on M` (or `host@M`) put it elsewhere. */
  machineOf(ns: string): string {
    return this.spaces.get(ns)?.machine ?? (ns.startsWith('host@') ? ns.slice(5) : LOCAL);
  }
}
