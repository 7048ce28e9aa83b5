/**
 * Removing what a lab made: programs first, then links by group, namespaces, the links left, the
 * shaping of links it did not make (their root qdiscs put back), the lab's nftables tables and
 * changed sysctls in namespaces it did not make, pins.
 */
import type { LabObject, TeardownReport } from '../backend.js';
import { pidOf, type LinuxContext } from './context.js';
import { errorCode } from './errors.js';
import { close, MNT_DETACH, umount2, unlink } from './libc.js';
import { deleteGroups } from './link-groups.js';
import { deleteTableAt, restoreSysctlAt } from './nat.js';
import { deleteNamedNetns, deleteNamedUts, openNetns } from './netns.js';
import { RtnlSocket, linkDelete } from './netlink/index.js';
import { killMarked, signalGroup, startTime } from './processes.js';
import { restoreQdiscAt } from './shape.js';

/** Removes `objects`, last made first; what is already gone is not an error. */
export async function teardown(x: LinuxContext, objects: readonly LabObject[]): Promise<TeardownReport> {
  let removed = 0;
  let gone = 0;
  const failed: { object: LabObject; why: string }[] = [];
  const tally = (o: LabObject, fn: () => void) => {
    try {
      fn();
      removed++;
    } catch (e) {
      const code = errorCode(e);
      if (code === 'ENOENT' || code === 'ENODEV' || code === 'ESRCH' || code === 'EINVAL') gone++;
      else failed.push({ object: o, why: e instanceof Error ? e.message : String(e) });
    }
  };
  // Links of a link group first, a group at a time (their pairs go with them); then namespaces:
  // deleting one removes everything inside it, and a veth pair goes with either end; then the
  // links still left, one by one.
  const order: LabObject['kind'][] = ['job', 'procs', 'netns', 'link', 'qdisc', 'nft', 'sysctl', 'uts', 'mount'];
  const sorted = [...objects].reverse().sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  await x.procs.killAll();
  const done = new Set<LabObject>();
  try {
    const links = sorted.filter((o): o is Extract<LabObject, { kind: 'link' }> => o.kind === 'link');
    const groups = deleteGroups(links, ns => x.handles.socket(ns));
    for (const o of groups.removed) done.add(o);
    for (const o of groups.gone) done.add(o);
    removed += groups.removed.length;
    gone += groups.gone.length;
  } catch {
    // a namespace that is gone, or a refusal: the links go one by one below
  }
  for (const o of sorted) {
    if (done.has(o)) continue;
    switch (o.kind) {
      case 'job':
        if (o.start === undefined || startTime(o.pid) === o.start) {
          if (signalGroup(o.pid, 'SIGKILL')) removed++;
          else gone++;
        } else gone++;
        break;
      case 'procs':
        // programs whose pid the journal may never have got (nsh killed right after starting one)
        if (killMarked(o.marker) > 0) removed++;
        else gone++;
        break;
      case 'link':
        tally(o, () => deleteLinkAt(x, o.at, o.ifname));
        break;
      case 'netns':
        x.handles.drop(o.name);
        tally(o, () => deleteNamedNetns(o.name));
        break;
      case 'uts':
        x.handles.get(o.name).forgetUts();
        tally(o, () => deleteNamedUts(o.name));
        break;
      case 'nft':
        tally(o, () => deleteTableAt(x, o.at, o.table));
        break;
      case 'sysctl':
        // recorded before the change and never confirmed: the old value is unknown, it stays
        if (o.value === undefined) gone++;
        else tally(o, () => restoreSysctlAt(o.at, o.key, o.value!));
        break;
      case 'qdisc':
        try {
          if (restoreQdiscAt(x, o) === 'removed') removed++;
          else gone++;
        } catch (e) {
          failed.push({ object: o, why: e instanceof Error ? e.message : String(e) });
        }
        break;
      case 'mount':
        tally(o, () => {
          umount2(o.path, MNT_DETACH);
          if (o.madeFile) unlink(o.path); // a file that was there before stays
        });
        break;
    }
  }
  return { removed, gone, failed };
}

function deleteLinkAt(x: LinuxContext, at: Extract<LabObject, { kind: 'link' }>['at'], ifname: string): void {
  if (at.kind === 'name') {
    x.handles.socket(at.name).request(linkDelete(ifname));
    return;
  }
  const fd = openNetns(at.kind === 'pid' ? { kind: 'pid', pid: pidOf(at.pid) } : at);
  const sock = RtnlSocket.open(fd);
  try {
    sock.request(linkDelete(ifname));
  } finally {
    sock.close();
    close(fd);
  }
}
