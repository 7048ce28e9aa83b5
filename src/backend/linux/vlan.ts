/** `vlan` on the kernel: an 802.1Q sub-interface, RTM_NEWLINK of kind vlan on the parent's ifindex. */
import { OpError, type Endpoint } from '../backend.js';
import type { Handlers } from '../ops.js';
import type { LinuxContext } from './context.js';
import { translate } from './errors.js';
import { finishLink } from './links.js';
import { getLink, type NetlinkError, vlanCreate } from './netlink/index.js';

const q = JSON.stringify;

export function vlanHandlers(x: LinuxContext): Pick<Handlers, 'vlan'> {
  return {
    vlan: async ({ parent, id, link, addrs }) => {
      const lower = x.index(parent);
      const h = x.handles.get(link.ns);
      const [r, { index }] = x.createLinks(link.ns, [link.ns], () => {
        const index = h.choose();
        const req = vlanCreate(lower, id, { name: link.ifname, ...(index === undefined ? { group: x.linkGroup } : { index }) });
        return { req, chosen: index !== undefined, index };
      });
      if (!r.ok) refused(x, r.error, parent, id, link);
      finishLink(x, link, index, addrs);
    },
  };
}

/** Why the kernel refused a VLAN, in the statement's words. */
function refused(x: LinuxContext, e: NetlinkError, parent: Endpoint, id: number, link: Endpoint): never {
  const what = `${link.ns}.${link.ifname}`;
  // without the module the kernel knows no link kind "vlan" ("Unknown device type"); a parent
  // that cannot carry VLANs is refused with the same code and a sentence of its own
  if ((e.code === 'EOPNOTSUPP' || e.code === 'ENOTSUP') && (e.extack === undefined || /unknown device type/i.test(e.extack))) {
    throw new OpError(`cannot make the VLAN ${what}: this kernel has no 802.1Q VLANs (the module 8021q)`, {
      hint: 'where the kernel has the module, load it as root: modprobe 8021q',
    });
  }
  const taken = e.code === 'EEXIST' && getLink(x.handles.socket(link.ns), link.ifname) !== undefined;
  translate(e, {
    what: `make the VLAN ${what} on ${parent.ns}.${parent.ifname}`,
    codes: {
      EEXIST: taken ? `interface ${q(link.ifname)} already exists in namespace ${q(link.ns)}` : `${parent.ns}.${parent.ifname} already has VLAN ${id}`,
      ENODEV: `there is no interface ${q(parent.ifname)} in namespace ${q(parent.ns)}`,
    },
  });
}
