/** A VXLAN tunnel end and a machine declaration as shell text. */
import { cidrText } from '../../core/net.js';
import type { Handlers } from '../ops.js';
import { ip, nodad, type ExplainContext } from './context.js';
import { lanJoin } from './nat.js';
import { commentText, q } from './shell.js';

type MachineHandlers = Pick<Handlers, 'vxlan' | 'machine'>;

/** The source address of the route to `remote`, as `ip route get` says it, in a shell word. */
function routeSource(remote: string, family: 4 | 6): string {
  return `"$(ip${family === 6 ? ' -6' : ''} -o route get ${remote} | sed -n 's/.* src \\([^ ]*\\).*/\\1/p')"`;
}

export function machineHandlers(x: ExplainContext): MachineHandlers {
  return {
    vxlan: async ({ ep, vni, remote, local, port, mtu, addrs }) => {
      // made in the root namespace, where its UDP socket stays; the device itself is placed in NS
      const netns = ep.ns === 'host' ? '' : ` netns ${q(ep.ns)}`;
      const mtuArg = mtu === undefined ? '' : ` mtu ${mtu}`;
      const from = local ?? routeSource(remote.address, remote.family);
      x.emit(`ip link add name ${q(ep.ifname)}${netns}${mtuArg} type vxlan id ${vni} remote ${remote.address} local ${from} dstport ${port} nolearning`);
      for (const c of addrs) x.emit(`${ip(ep.ns)} addr add ${cidrText(c)} dev ${q(ep.ifname)}${nodad(c)}`);
      x.emit(`${ip(ep.ns)} link set dev ${q(ep.ifname)} up`);
      lanJoin(x, ep.ns, [ep.ifname]);
    },
    machine: async m => {
      x.emit(`# machine ${commentText(m.name)}: ssh ${commentText(`${m.user === undefined ? '' : `${m.user}@`}${m.host}`)} port ${m.port}`);
    },
  };
}
