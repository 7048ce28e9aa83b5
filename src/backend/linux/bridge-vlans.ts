/**
 * The VLANs of bridge ports on the kernel (`attach … vlan`): AF_BRIDGE entries, as `bridge vlan
 * add|del` sends them. A port given VLANs is a member of those only: what it had before (the
 * bridge's default VLAN 1, where it just joined) is removed, as a switch port is configured.
 */
import { OpError, type Endpoint } from '../backend.js';
import { portVlanEntries, type PortVlans } from '../ops.js';
import type { LinuxContext } from './context.js';
import { unsupported } from './errors.js';
import { bridgeVlanAdd, bridgeVlanDel, dumpBridgeVlans, getLink } from './netlink/index.js';

const q = JSON.stringify;

/** What a kernel without bridge VLAN filtering makes of `bridge … vlan` and `attach … vlan`. */
export const NO_BRIDGE_VLANS = 'this kernel was built without bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)';
export const NO_BRIDGE_VLANS_HINT = 'a bridge without "vlan" works here, with every port in one network';

/** Refuses VLANs for the ports of a bridge that does not filter them (before any port joins it). */
export function checkFiltering(x: LinuxContext, br: Endpoint): void {
  const where = `${br.ns}.${br.ifname}`;
  const l = getLink(x.handles.socket(br.ns), br.ifname);
  if (!l) throw new OpError(`there is no interface ${q(br.ifname)} in namespace ${q(br.ns)}`);
  if (l.kind !== 'bridge') throw new OpError(`${where} is not a bridge`);
  if (l.data?.kind === 'bridge' && l.data.vlanFiltering) return;
  throw new OpError(`${where} does not filter VLANs, so its ports take none`, { hint: `make it a VLAN-aware bridge: bridge ${where} vlan` });
}

/**
 * Gives ports of `br` their VLANs: the entries are added, then every other VLAN the port had is
 * removed (read from the kernel: one dump of the namespace's bridge ports).
 */
export function setPortVlans(x: LinuxContext, ports: readonly Endpoint[], br: Endpoint, vlans: PortVlans): void {
  if (ports.length === 0) return;
  const entries = portVlanEntries(vlans);
  const had = new Map(dumpBridgeVlans(x.handles.socket(br.ns)).map(b => [b.index, b.vlans.map(v => v.vid)]));
  const reqs = ports.flatMap(p => {
    const index = x.index(p);
    const stale = (had.get(index) ?? []).filter(vid => !entries.some(v => v.id === vid));
    return [
      ...entries.map(v => ({ port: p, req: bridgeVlanAdd(index, { vid: v.id, pvid: v.pvid, untagged: v.untagged }) })),
      ...stale.map(vid => ({ port: p, req: bridgeVlanDel(index, vid) })),
    ];
  });
  x.send(br.ns, reqs.map(r => r.req), i => ({
    what: `set the VLANs of ${reqs[i]!.port.ns}.${reqs[i]!.port.ifname} on ${br.ns}.${br.ifname}`,
    codes: unsupported(`cannot give ${reqs[i]!.port.ns}.${reqs[i]!.port.ifname} VLANs: ${NO_BRIDGE_VLANS}`),
  }));
}
