/**
 * A VXLAN tunnel end: made from the root namespace (the one nsh started in), where its UDP
 * socket stays, and placed in the endpoint's namespace under the endpoint's name, as
 * `ip link add NAME netns NS type vxlan id VNI remote R local L dstport P nolearning` does.
 */
import { OpError } from '../backend.js';
import type { Handlers, OpOf } from '../ops.js';
import { dgram } from './builtins.js';
import type { LinuxContext } from './context.js';
import { translate } from './errors.js';
import { lanJoin } from './nat.js';
import { addrAdd, getLink, linkDelete, linkSetUp, vxlanCreate } from './netlink/index.js';

const q = JSON.stringify;

/** The source address of the route from this machine's root namespace to `remote` (a UDP connect sends nothing). */
export function routeSource(remote: string, family: 4 | 6, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = dgram().createSocket(family === 6 ? 'udp6' : 'udp4');
    sock.once('error', e => {
      sock.close();
      reject(e);
    });
    sock.connect(port, remote, () => {
      const { address } = sock.address();
      sock.close();
      resolve(address);
    });
  });
}

export function vxlanHandlers(x: LinuxContext): Pick<Handlers, 'vxlan'> {
  return {
    vxlan: async (op: OpOf<'vxlan'>) => {
      const { ep, vni, remote, port } = op;
      const where = `${ep.ns}.${ep.ifname}`;
      let local = op.local;
      if (local === undefined) {
        try {
          local = await routeSource(remote.address, remote.family, port);
        } catch (e) {
          throw new OpError(`this machine has no route to ${remote.address}, the other end of the tunnel ${where}`, {
            hint: `${(e as NodeJS.ErrnoException).code ?? (e as Error).message}: give the machine a route to it, or the tunnel an address with local ADDR`,
          });
        }
      }
      const outside = !x.handles.owns(ep.ns);
      const req = vxlanCreate(
        { id: vni, remote: remote.address, local, port, learning: false },
        {
          name: ep.ifname,
          ...(op.mtu === undefined ? {} : { mtu: op.mtu }),
          ...(ep.ns === 'host' ? {} : { netns: { fd: x.handles.netFd(ep.ns) } }),
          ...(outside ? { group: x.linkGroup } : {}),
        },
      );
      const [r] = x.handles.socket('host').batch([req]);
      if (!r!.ok) {
        if (r!.error.code === 'EEXIST' && !getLink(x.handles.socket(ep.ns), ep.ifname)) {
          throw new OpError(`VNI ${vni} is taken on this machine: another VXLAN device uses it on UDP port ${port}`, {
            reason: 'vni-taken',
            hint: 'choose another VNI',
          });
        }
        translate(r!.error, {
          what: `create the VXLAN tunnel ${where} (VNI ${vni}, to ${remote.address})`,
          codes: {
            EEXIST: `interface ${q(ep.ifname)} already exists in namespace ${q(ep.ns)}`,
            EOPNOTSUPP: 'this kernel has no VXLAN (the vxlan module)',
          },
        });
      }
      x.handles.forgetLinks(ep.ns);
      // bringing it up opens its UDP socket, in the root namespace
      const index = x.index(ep);
      const results = x.handles.socket(ep.ns).batch([...op.addrs.map(c => addrAdd(index, c, { nodad: true })), linkSetUp(ep.ifname, true)]);
      const bad = results.findIndex(res => !res.ok);
      if (bad !== -1) {
        x.handles.socket(ep.ns).batch([linkDelete(ep.ifname)]);
        x.handles.forgetLinks(ep.ns);
        const error = (results[bad] as Extract<(typeof results)[number], { ok: false }>).error;
        if (bad === op.addrs.length && error.code === 'EADDRINUSE') {
          throw new OpError(`UDP port ${port} is in use on this machine, so the tunnel ${where} cannot open it`, { reason: 'port-taken' });
        }
        const a = op.addrs[bad];
        translate(error, a
          ? { what: `add address ${a.address}/${a.prefix} to ${where}`, codes: { EEXIST: `${where} already has address ${a.address}/${a.prefix}` } }
          : { what: `bring ${where} up` });
      }
      x.carrierPending([ep]);
      lanJoin(x, ep.ns, [ep.ifname]);
    },
  };
}
