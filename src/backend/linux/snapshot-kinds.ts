/**
 * What a snapshot read from the kernel says of links of some kinds: a vlan's ID and parent, a
 * macvlan's parent and mode (from the link dump's IFLA_INFO_DATA and IFLA_LINK), a bridge that
 * filters VLANs, and the VLANs of its ports (one AF_BRIDGE dump, as `bridge vlan show` reads them,
 * made only in a namespace that has such a bridge).
 */
import type { Endpoint } from '../../core/lab.js';
import type { LinkSnapshot } from '../../core/snapshot.js';
import { dumpBridgeVlans, type LinkInfo, type RtnlSocket } from './netlink/index.js';

type Details = Pick<LinkSnapshot, 'vlan' | 'macvlan'>;

/** The link a vlan or macvlan sits on (IFLA_LINK, in the namespace IFLA_LINK_NETNSID names), when it is one of those read. */
export function lowerOf(
  l: LinkInfo,
  i: number,
  spaces: readonly { readonly name: string }[],
  links: readonly (readonly LinkInfo[])[],
  nsidOf: (i: number, j: number) => number,
): Endpoint | undefined {
  if (l.peerIfindex === undefined) return undefined;
  const j = l.linkNetnsId === undefined ? i : spaces.findIndex((_, j) => j !== i && nsidOf(i, j) === l.linkNetnsId);
  const found = j === -1 ? undefined : links[j]!.find(x => x.index === l.peerIfindex);
  return found && { ns: spaces[j]!.name, ifname: found.ifname };
}

/** The details of the links of namespace `ns` (read through `sock`) that have any. */
export function kindDetails(sock: RtnlSocket, ns: string, own: readonly LinkInfo[], lower: (l: LinkInfo) => Endpoint | undefined): Map<LinkInfo, Details> {
  const out = new Map<LinkInfo, Details>();
  const filtering = new Set(own.filter(l => l.data?.kind === 'bridge' && l.data.vlanFiltering).map(l => l.index));
  const ports = new Map(filtering.size === 0 ? [] : dumpBridgeVlans(sock).map(b => [b.index, b.vlans] as const));
  for (const l of own) {
    const d = l.data;
    if (d?.kind === 'vlan' && d.id !== undefined) {
      const parent = lower(l);
      if (parent?.ns === ns) out.set(l, { vlan: { kind: 'link', id: d.id, parent: parent.ifname } });
    } else if (d?.kind === 'macvlan') {
      const parent = lower(l);
      if (parent) out.set(l, { macvlan: { parent, ...(d.mode === undefined ? {} : { mode: d.mode }) } });
    } else if (filtering.has(l.index)) {
      out.set(l, { vlan: { kind: 'bridge' } });
    } else if (l.master !== undefined && filtering.has(l.master)) {
      const vlans = (ports.get(l.index) ?? []).map(v => ({ id: v.vid, pvid: v.pvid, untagged: v.untagged }));
      out.set(l, { vlan: { kind: 'port', vlans } });
    }
  }
  return out;
}
