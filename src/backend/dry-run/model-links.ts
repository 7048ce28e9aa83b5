/** How the dry run's model (model.ts) follows the operations on links, addresses, routes and published ports. */
import ipaddr from 'ipaddr.js';
import { cidrText, type Cidr } from '../../core/net.js';
import type { Endpoint } from '../../core/lab.js';
import { TUNNEL_MTU } from '../../core/machines.js';
import { OpError } from '../backend.js';
import { FORWARDING } from '../nat-rules.js';
import { portVlanEntries, type OpOf, type PortVlans } from '../ops.js';
import { DEFAULT_PVID, leave, q, type Link, type ModelState, type Namespace } from './model-state.js';

/**
 * A port joins a bridge. On a VLAN-filtering bridge it is a member of the VLANs given (the
 * kernel's default, VLAN 1 untagged, when it joins without), as the Linux backend leaves it.
 */
export function join(m: ModelState, p: Endpoint, br: Endpoint, vlans?: PortVlans): void {
  const l = m.spaces.get(p.ns)?.links.get(p.ifname);
  if (!l) return;
  const joined = l.master === br.ifname;
  l.master = br.ifname;
  if (m.spaces.get(br.ns)?.links.get(br.ifname)?.vlan?.kind !== 'bridge') {
    delete l.vlan;
    return;
  }
  if (vlans) l.vlan = { kind: 'port', vlans: portVlanEntries(vlans) };
  else if (!joined || l.vlan?.kind !== 'port') l.vlan = { kind: 'port', vlans: [{ id: DEFAULT_PVID, pvid: true, untagged: true }] };
}

/** A VLAN of a link: a link made twice, or a second link of the parent's VLAN, fails. */
export function vlan(m: ModelState, op: OpOf<'vlan'>): void {
  const parent = m.existing(op.parent);
  m.free(op.link);
  const twin = [...(m.spaces.get(op.parent.ns)?.links.values() ?? [])]
    .find(l => l.vlan?.kind === 'link' && l.vlan.parent === op.parent.ifname && l.vlan.id === op.id);
  if (parent && twin) throw new OpError(`${op.parent.ns}.${op.parent.ifname} already has VLAN ${op.id}: ${twin.name}`, { at: op.span });
  const mtu = parent?.mtu === undefined ? {} : { mtu: parent.mtu };
  m.put(op.link, { name: op.link.ifname, kind: 'vlan', up: true, addrs: [...op.addrs], ...mtu, vlan: { kind: 'link', id: op.id, parent: op.parent.ifname } });
}

/**
 * The VLANs a port has on a bridge before `attach … vlan` gives it its own: those it has there
 * already, or the kernel's default for a port that joins (VLAN 1). Explain removes those not given.
 */
export function vlansBeforeAttach(m: ModelState, p: Endpoint, br: Endpoint): number[] {
  const l = m.link(p);
  if (l instanceof Object && l.master === br.ifname && l.vlan?.kind === 'port') return l.vlan.vlans.map(v => v.id);
  return [DEFAULT_PVID];
}

export function keepsV6(m: ModelState, ep: Endpoint): boolean {
  const s = m.spaces.get(ep.ns)?.sysctls;
  return ['all', 'default', ep.ifname].some(k => s?.get(`net.ipv6.conf.${k}.keep_addr_on_down`) === '1');
}

export function veth(m: ModelState, op: OpOf<'veth'>): void {
  m.free(op.left);
  m.free(op.right);
  // across machines, a VXLAN tunnel that reads as one veth
  const across = m.machineOf(op.left.ns) !== m.machineOf(op.right.ns);
  const end = (ep: Endpoint, peer: Endpoint, addrs: readonly Cidr[]): Link => ({
    name: ep.ifname,
    kind: across ? 'vxlan' : 'veth',
    up: true,
    peer: { ns: peer.ns, ifname: peer.ifname },
    addrs: [...addrs],
    mtu: op.mtu ?? (across ? TUNNEL_MTU : 1500),
    ...(op.shape === undefined ? {} : { shape: op.shape }),
  });
  m.put(op.left, end(op.left, op.right, op.leftAddrs));
  m.put(op.right, end(op.right, op.left, op.rightAddrs));
}

/** A port published twice in one namespace would send its connections two ways: the second one fails. */
export function publish(m: ModelState, op: OpOf<'publish'>): void {
  const ns = m.spaceOf(op.ns);
  if (ns.published.some(p => p.proto === op.proto && p.port === op.port)) {
    throw new OpError(`${op.proto} port ${op.port} is already published in namespace ${q(op.ns)}`);
  }
  ns.published.push({ proto: op.proto, port: op.port, to: op.to.address, toPort: op.to.port });
  ns.sysctls.set(FORWARDING[op.to.family], '1');
}

export function addr(m: ModelState, op: OpOf<'addr'>): void {
  const l = m.existing(op.ep);
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

export function move(m: ModelState, op: OpOf<'move'>): void {
  const l = m.existing(op.ep);
  const name = op.newName ?? op.ep.ifname;
  const to = op.to.kind === 'name' ? op.to.name : undefined;
  const target = to === undefined ? undefined : { ns: to, ifname: name };
  if (target) {
    const there = m.link(target);
    if (there instanceof Object) {
      throw new OpError(`${to === 'host' ? 'the host namespace' : `namespace ${q(to)}`} already has an interface ${q(name)}`, {
        at: op.span,
        hint: 'give it another name: move … as NEWNAME',
      });
    }
  }
  m.spaces.get(op.ep.ns)?.links.delete(op.ep.ifname);
  if (!target) {
    if (l?.peer) repoint(m, l.peer, undefined);
    return;
  }
  // a link that changes namespace goes down and loses its addresses (and leaves its bridge)
  const moved: Link = l ? { ...l, name, up: false, addrs: [] } : { name, kind: 'device', up: false, addrs: [] };
  leave(moved);
  m.put(target, moved);
  if (l?.peer) repoint(m, l.peer, target);
}

/** The veth end at `end` now has its peer at `peer` (undefined: somewhere the model does not follow). */
function repoint(m: ModelState, end: { ns: string; ifname: string }, peer: { ns: string; ifname: string } | undefined): void {
  const l = m.spaces.get(end.ns)?.links.get(end.ifname);
  if (!l) return;
  if (peer) l.peer = peer;
  else delete l.peer;
}

export function route(m: ModelState, op: OpOf<'route'>): void {
  const ns = m.spaces.get(op.ns);
  const dest = op.dest === 'default' ? 'default' : cidrText(op.dest);
  if (op.dev !== undefined) m.existing({ ns: op.ns, ifname: op.dev });
  if (!ns?.known) return;
  const i = ns.routes.findIndex(r => r.dest === dest && r.family === op.family);
  if (op.del) {
    if (i !== -1) ns.routes.splice(i, 1);
    return;
  }
  if (i !== -1) throw new OpError(`namespace ${q(op.ns)} already has a route to ${dest}`);
  if (op.via !== undefined && !onLink(m, ns, op.via, op.dev)) {
    throw new OpError(`gateway ${op.via} is not on a network of namespace ${q(op.ns)}`, {
      at: op.viaSpan,
      hint: 'give an interface of the namespace an address in the gateway\'s network first',
    });
  }
  ns.routes.push({ dest, family: op.family, ...(op.via === undefined ? {} : { via: op.via }), ...(op.dev === undefined ? {} : { dev: op.dev }) });
}

/** Whether a gateway is reachable without a router: in the network of an address of the namespace, or link-local with dev. */
function onLink(m: ModelState, ns: Namespace, via: string, dev: string | undefined): boolean {
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
