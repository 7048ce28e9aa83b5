/** Namespaces, links, addresses, routes and sysctls as iproute2 commands. */
import { cidrText } from '../../core/net.js';
import type { Endpoint } from '../../core/lab.js';
import { portVlanEntries, type Handlers, type PortVlans } from '../ops.js';
import { ip, nodad, UTS_DIR, type ExplainContext } from './context.js';
import { lanJoin, lanLeave } from './nat.js';
import { shapeCommand } from './shape.js';
import { q } from './shell.js';

type LinkHandlers = Pick<Handlers, 'ns-add' | 'ns-del' | 'link-del' | 'veth' | 'bridge' | 'vlan' | 'macvlan' | 'attach' | 'addr' | 'link-state' | 'move' | 'route' | 'sysctl'>;

export function linkHandlers(x: ExplainContext): LinkHandlers {
  return {
    'ns-add': async op => {
      x.emit(`ip netns add ${q(op.name)}`);
      if (op.hostname !== undefined) {
        const file = `${UTS_DIR}/${op.name}`;
        x.emit(
          `mkdir -p ${UTS_DIR} && touch ${q(file)}`,
          `unshare --uts=${q(file)} sh -c 'printf %s "$1" > /proc/sys/kernel/hostname' sh ${q(op.hostname)}`,
        );
        x.uts.add(op.name);
      }
    },
    'ns-del': async op => {
      x.emit(`ip netns del ${q(op.name)}`);
      x.nat.delete(op.name);
      if (x.uts.delete(op.name)) x.emit(`umount ${q(`${UTS_DIR}/${op.name}`)} && rm -f ${q(`${UTS_DIR}/${op.name}`)}`);
    },
    'link-del': async ({ ep }) => {
      x.emit(`${ip(ep.ns)} link del dev ${q(ep.ifname)}`);
      lanLeave(x, ep.ns, [ep.ifname]);
    },
    veth: async op => {
      const mtu = op.mtu === undefined ? '' : ` mtu ${op.mtu}`;
      // Create from the host side when one end is there, so no netns argument names the host.
      const [a, b] = op.left.ns !== 'host' && op.right.ns === 'host' ? [op.right, op.left] : [op.left, op.right];
      const peerNs = b.ns === a.ns ? '' : ` netns ${q(b.ns)}`;
      x.emit(`${ip(a.ns)} link add name ${q(a.ifname)}${mtu} type veth peer name ${q(b.ifname)}${peerNs}${mtu}`);
      for (const [ep, addrs] of [[op.left, op.leftAddrs], [op.right, op.rightAddrs]] as const) {
        for (const c of addrs) x.emit(`${ip(ep.ns)} addr add ${cidrText(c)} dev ${q(ep.ifname)}${nodad(c)}`);
      }
      x.emit(`${ip(op.left.ns)} link set dev ${q(op.left.ifname)} up`, `${ip(op.right.ns)} link set dev ${q(op.right.ifname)} up`);
      if (op.shape) x.emit(shapeCommand(op.left, op.shape), shapeCommand(op.right, op.shape));
      for (const ep of [op.left, op.right]) lanJoin(x, ep.ns, [ep.ifname]);
    },
    bridge: async ({ br, ports, vlanFiltering }) => {
      x.emit(`${ip(br.ns)} link add name ${q(br.ifname)} type bridge${vlanFiltering ? ' vlan_filtering 1' : ''}`);
      for (const p of ports) x.emit(`${ip(br.ns)} link set dev ${q(p.ifname)} master ${q(br.ifname)}`);
      x.emit(`${ip(br.ns)} link set dev ${q(br.ifname)} up`);
      lanJoin(x, br.ns, [br.ifname]);
    },
    macvlan: async ({ parent, target, mode, addrs }) => {
      const netns = target.ns === parent.ns ? '' : ` netns ${x.netnsArg({ kind: 'name', name: target.ns })}`;
      x.emit(`${ip(parent.ns)} link add link ${q(parent.ifname)} name ${q(target.ifname)}${netns} type macvlan mode ${mode}`);
      for (const c of addrs) x.emit(`${ip(target.ns)} addr add ${cidrText(c)} dev ${q(target.ifname)}${nodad(c)}`);
      x.emit(`${ip(target.ns)} link set dev ${q(target.ifname)} up`);
      lanJoin(x, target.ns, [target.ifname]);
    },
    attach: async ({ ports, br, vlans }) => {
      for (const p of ports) x.emit(`${ip(p.ns)} link set dev ${q(p.ifname)} master ${q(br.ifname)}`);
      if (vlans) for (const p of ports) portVlans(x, p, br, vlans);
    },
    vlan: async ({ parent, id, link, addrs }) => {
      x.emit(`${ip(parent.ns)} link add link ${q(parent.ifname)} name ${q(link.ifname)} type vlan id ${id}`);
      for (const c of addrs) x.emit(`${ip(link.ns)} addr add ${cidrText(c)} dev ${q(link.ifname)}${nodad(c)}`);
      x.emit(`${ip(link.ns)} link set dev ${q(link.ifname)} up`);
      lanJoin(x, link.ns, [link.ifname]);
    },
    addr: async ({ ep, addrs, del }) => {
      for (const c of addrs) x.emit(`${ip(ep.ns)} addr ${del ? 'del' : 'add'} ${cidrText(c)} dev ${q(ep.ifname)}${del ? '' : nodad(c)}`);
    },
    'link-state': async ({ eps, up }) => {
      for (const ep of eps) x.emit(`${ip(ep.ns)} link set dev ${q(ep.ifname)} ${up ? 'up' : 'down'}`);
    },
    move: async ({ ep, to, newName }) => {
      const rename = newName === undefined ? '' : ` name ${q(newName)}`;
      x.emit(`${ip(ep.ns)} link set dev ${q(ep.ifname)} netns ${x.netnsArg(to)}${rename}`);
      lanLeave(x, ep.ns, [ep.ifname]);
      if (to.kind === 'name') lanJoin(x, to.name, [newName ?? ep.ifname]);
    },
    route: async r => {
      const dest = r.dest === 'default' ? 'default' : cidrText(r.dest);
      const v6 = r.family === 6 ? ' -6' : '';
      const via = r.via === undefined ? '' : ` via ${r.via}`;
      const dev = r.dev === undefined ? '' : ` dev ${q(r.dev)}`;
      x.emit(`${ip(r.ns)}${v6} route ${r.del ? 'del' : 'add'} ${dest}${via}${dev}`);
    },
    sysctl: async ({ ns, settings }) => x.emit(`${x.enter(ns)}sysctl -qw ${settings.map(s => q(`${s.key}=${s.value}`)).join(' ')}`),
  };
}

/** `bridge vlan`: a port's VLANs added, then those it had and is not given removed (VLAN 1, where it just joined). */
function portVlans(x: ExplainContext, p: Endpoint, br: Endpoint, vlans: PortVlans): void {
  const bridge = p.ns === 'host' ? 'bridge' : `bridge -n ${q(p.ns)}`;
  const entries = portVlanEntries(vlans);
  for (const v of entries) x.emit(`${bridge} vlan add dev ${q(p.ifname)} vid ${v.id}${v.pvid ? ' pvid' : ''}${v.untagged ? ' untagged' : ''}`);
  for (const id of x.model.vlansBeforeAttach(p, br)) {
    if (!entries.some(v => v.id === id)) x.emit(`${bridge} vlan del dev ${q(p.ifname)} vid ${id}`);
  }
}
