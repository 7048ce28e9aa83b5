/**
 * Teardown of recorded links by link group: the links nsh makes outside its own namespaces carry
 * its link group, and one RTM_DELLINK by group removes all of them in a namespace at once (the
 * kernel waits for one RCU grace period for the lot, not one per link). The group is deleted only
 * where every link in it is one the lab recorded; otherwise those links go one by one.
 */
import type { LabObject } from '../backend.js';
import {
  IFINFOMSG_LEN, IFLA_GROUP, IFLA_IFNAME, RTEXT_FILTER_SKIP_STATS, RTM_NEWLINK, linkDeleteGroup, linkDump, messageAttrs, type RtnlSocket,
} from './netlink/index.js';

type LinkObject = Extract<LabObject, { kind: 'link' }>;

/**
 * Deletes the groups of `links` that hold nothing else; returns the objects dealt with (removed,
 * or recorded in a group but already gone). The rest is left to the caller.
 */
export function deleteGroups(links: readonly LinkObject[], socket: (ns: string) => RtnlSocket): { removed: LinkObject[]; gone: LinkObject[] } {
  const removed: LinkObject[] = [];
  const gone: LinkObject[] = [];
  // namespace → group → recorded names
  const byNs = new Map<string, Map<number, Map<string, LinkObject>>>();
  for (const o of links) {
    if (o.group === undefined || o.at.kind !== 'name') continue;
    const groups = byNs.get(o.at.name) ?? new Map<number, Map<string, LinkObject>>();
    byNs.set(o.at.name, groups);
    const names = groups.get(o.group) ?? new Map<string, LinkObject>();
    groups.set(o.group, names);
    names.set(o.ifname, o);
  }
  for (const [ns, groups] of byNs) {
    const sock = socket(ns);
    const members = new Map<number, string[]>();
    for (const m of sock.dump(linkDump(RTEXT_FILTER_SKIP_STATS))) {
      if (m.type !== RTM_NEWLINK) continue;
      const a = messageAttrs(m, IFINFOMSG_LEN);
      const group = a.u32(IFLA_GROUP);
      if (group === undefined || !groups.has(group)) continue;
      const names = members.get(group) ?? [];
      members.set(group, names);
      names.push(a.str(IFLA_IFNAME) ?? '');
    }
    for (const [group, recorded] of groups) {
      const there = members.get(group) ?? [];
      if (!there.every(name => recorded.has(name))) continue; // not all ours: one by one
      if (there.length > 0) sock.request(linkDeleteGroup(group));
      const present = new Set(there);
      for (const [name, o] of recorded) (present.has(name) ? removed : gone).push(o);
    }
  }
  return { removed, gone };
}
