/** The words every picture writes on a topology's nodes and edges, so DOT, Mermaid and the page agree. */
import type { ShapeSnapshot } from '../backend/backend.js';
import { shapeSnapshotText, type Published } from '../core/snapshot.js';
import type { TopoEdge, TopoEnd, TopoNode } from './topology.js';

/** `delay 10ms loss 1%`, as `shape` takes it. */
export const shapeText: (s: ShapeSnapshot | undefined) => string = shapeSnapshotText;

/** The lines written at an end: its interface name, its VLANs, its addresses, its own MTU and shaping. */
export function endLines(end: TopoEnd, opts: { sharedMtu?: number; sharedShape?: string } = {}): string[] {
  const lines: string[] = [];
  if (end.ifname !== undefined) lines.push(end.ifname);
  if (end.portVlans && end.portVlans.length > 0) {
    const untagged = end.portVlans.filter(v => v.untagged || v.pvid);
    const tagged = end.portVlans.filter(v => !v.untagged && !v.pvid);
    if (untagged.length > 0) lines.push(`vlan ${untagged.map(v => v.id).join(',')} untagged`);
    if (tagged.length > 0) lines.push(`vlan ${tagged.map(v => v.id).join(',')}`);
  }
  lines.push(...end.addresses);
  for (const v of end.vlans ?? []) lines.push(`${v.ifname} (vlan ${v.id})${v.addresses.length ? ' ' + v.addresses.join(' ') : ''}`);
  if (end.mtu !== undefined && end.mtu !== 1500 && end.mtu !== opts.sharedMtu) lines.push(`mtu ${end.mtu}`);
  const shape = shapeText(end.shape);
  if (shape && shape !== opts.sharedShape) lines.push(shape);
  return lines;
}

/** What both ends share (written once, in the middle of the edge): MTU, shaping, the tunnel. */
export function middleLines(e: TopoEdge): { lines: string[]; sharedMtu?: number; sharedShape?: string } {
  const lines: string[] = [];
  // a pair's machines are its nodes' clusters; a lone end says where it goes
  const remote = e.b.ifname === undefined && e.tunnel?.remote ? ` to ${e.tunnel.remote}` : '';
  if (e.kind === 'vxlan') lines.push(`VXLAN${e.tunnel ? ` vni ${e.tunnel.vni}` : ''}${remote}`);
  if (e.kind === 'macvlan') lines.push(`macvlan${e.macvlanMode ? ` ${e.macvlanMode}` : ''}`);
  const both = e.b.ifname !== undefined && e.a.ifname !== undefined;
  let sharedMtu: number | undefined;
  if (both && e.a.mtu !== undefined && e.a.mtu === e.b.mtu) {
    sharedMtu = e.a.mtu;
    if (sharedMtu !== 1500) lines.push(`mtu ${sharedMtu}`);
  }
  const sa = shapeText(e.a.shape);
  let sharedShape: string | undefined;
  if (both && sa && sa === shapeText(e.b.shape)) {
    sharedShape = sa;
    lines.push(sa);
  }
  return { lines, ...(sharedMtu !== undefined ? { sharedMtu } : {}), ...(sharedShape !== undefined ? { sharedShape } : {}) };
}

/** An edge's state: `down` when an end is down, `no-carrier` when an end is up without carrier, else `up`. */
export function edgeState(e: TopoEdge): 'up' | 'down' | 'no-carrier' {
  const ends = [e.a, e.b].filter(x => x.ifname !== undefined && x.up !== undefined);
  if (ends.some(x => x.up === false)) return 'down';
  if (ends.some(x => x.carrier === false)) return 'no-carrier';
  return 'up';
}

/** A published port as `publish` writes it: `tcp 8080 -> 10.0.1.2:80`, `udp 53 -> [fd00::2]:53`. */
export function publishedText(p: Published): string {
  return `${p.proto} ${p.port} -> ${p.to.includes(':') ? `[${p.to}]` : p.to}:${p.toPort}`;
}

/**
 * The lines under a node's name: its hostname (when it has its own), bridge, forwarding and NAT on
 * one line, then each port published there.
 */
export function nodeNotes(n: TopoNode): string[] {
  const parts: string[] = [];
  if (n.hostname !== undefined && n.hostname !== n.label) parts.push(`hostname ${n.hostname}`);
  if (n.kind === 'bridge') parts.push(n.vlanFiltering ? 'bridge, vlan filtering' : 'bridge');
  if (n.forwarding) parts.push('forwarding');
  if (n.nat) parts.push('nat');
  return [...(parts.length > 0 ? [parts.join(', ')] : []), ...(n.published ?? []).map(p => `publish ${publishedText(p)}`)];
}
