/** The nouns of a lab: endpoints, namespace references, jobs, and what a lab made (its journal's objects). */
import type { Span } from './span.js';

/** An interface in a namespace; `ns` is a namespace name or `host`. `span`: the word that named it, where known. */
export interface Endpoint {
  readonly ns: string;
  readonly ifname: string;
  readonly span?: Span;
  /** `host@MACHINE.IF`: the interface is in that machine's root namespace (`ns` is `host`). */
  readonly machine?: string;
}

/**
 * A process id known only when the commands run (explaining, checking: `$!` of a background job
 * is then a shell variable, not a number): the shell variable that will hold it.
 */
export interface ShellPid {
  readonly kind: 'shell';
  readonly name: string;
}

/** A process id, or (when explaining) the shell variable that will hold one. */
export type Pid = number | ShellPid;

export type NsRef =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'pid'; readonly pid: Pid }
  | { readonly kind: 'path'; readonly path: string };

export type JobTarget = { readonly kind: 'job'; readonly id: number } | { readonly kind: 'pid'; readonly pid: Pid };

/** A background job: its number (`%1`) and the value `$!` takes. */
export interface Job {
  readonly id: number;
  readonly pid: Pid;
}

/**
 * Something a lab made that must be removed when the lab is torn down. Links are recorded only
 * where they outlive the lab's own namespaces (in the host, or a namespace the lab did not make).
 */
export type LabObject =
  | { readonly kind: 'netns'; readonly name: string }
  | { readonly kind: 'uts'; readonly name: string }
  /** `group`: the link group it was made in, when it was made so (teardown removes a group at once) */
  | { readonly kind: 'link'; readonly at: NsRef; readonly ifname: string; readonly group?: number }
  | { readonly kind: 'job'; readonly pid: number; readonly start?: string }
  /** every process whose environment holds NSH_RUN=`marker`: the programs a run started (recorded before the first) */
  | { readonly kind: 'procs'; readonly marker: string }
  /** `madeFile`: nsh created the file it mounted onto (teardown removes it; a file that was there stays) */
  | { readonly kind: 'mount'; readonly path: string; readonly madeFile?: boolean }
  /** the lab's nftables table (`inet TABLE`) in a namespace it did not make (its own namespaces take theirs with them) */
  | { readonly kind: 'nft'; readonly at: NsRef; readonly table: string }
  /**
   * a sysctl the lab changed in a namespace it did not make, and the value teardown puts back;
   * recorded before the change without `value` (the old value is not known yet: teardown then
   * leaves the sysctl as it is) and confirmed with it
   */
  | { readonly kind: 'sysctl'; readonly at: NsRef; readonly key: string; readonly value?: string }
  /**
   * a machine of a lab across machines: its part of the lab is the lab `part` there (journaled
   * by the nsh on that machine), reached with `ssh` (`[USER@]HOST`) on `port`; recorded before
   * the part starts, so `nsh down` reaches it even after the coordinator was killed
   */
  | { readonly kind: 'machine'; readonly name: string; readonly ssh: string; readonly port: number; readonly part: string }
  /** a VNI the lab's tunnels use between two machines (the devices are the machines' parts') */
  | { readonly kind: 'tunnel'; readonly vni: number; readonly link: string }
  /**
   * the shaping of a link the lab did not make (`shape host.eth0 …`), and the root qdisc teardown
   * puts back; recorded before the change without `was`, confirmed with it (a qdisc on a link the
   * lab made goes with the link)
   */
  | { readonly kind: 'qdisc'; readonly at: NsRef; readonly ifname: string; readonly was?: SavedQdisc };

/**
 * A link's root qdisc as the kernel dumped it: its kind, handle and options (TCA_OPTIONS, base64),
 * sent back as they were; or `none`, the kernel's own default (handle 0), which deleting the root
 * qdisc brings back.
 */
export type SavedQdisc = { readonly kind: string; readonly handle: number; readonly options: string } | 'none';

export interface TeardownReport {
  /** Objects removed. */
  readonly removed: number;
  /** Objects that were already gone. */
  readonly gone: number;
  /** Objects that could not be removed, each with a sentence why. */
  readonly failed: readonly { readonly object: LabObject; readonly why: string }[];
}

/** How a lab object reads in a sentence ("namespace a", "link host.v1" …). */
export function describeObject(o: LabObject): string {
  switch (o.kind) {
    case 'netns':
      return `namespace ${o.name}`;
    case 'uts':
      return `uts namespace of ${o.name}`;
    case 'link':
      return `link ${refText(o.at)}.${o.ifname}`;
    case 'job':
      return `process ${o.pid}`;
    case 'procs':
      return 'programs it started';
    case 'mount':
      return `pin at ${o.path}`;
    case 'nft':
      return `nftables table inet ${o.table} in ${refText(o.at)}`;
    case 'sysctl':
      return `${o.key} in ${refText(o.at)}${o.value === undefined ? '' : ` (back to ${o.value})`}`;
    case 'machine':
      return `machine ${o.name} (${o.ssh}${o.port === 22 ? '' : ` port ${o.port}`}, lab ${o.part} there)`;
    case 'tunnel':
      return `VXLAN ${o.vni} (${o.link})`;
    case 'qdisc':
      return `shaping of ${refText(o.at)}.${o.ifname}${o.was === undefined ? '' : o.was === 'none' ? ' (back to none)' : ` (back to ${o.was.kind})`}`;
  }
}

/** The lab a script builds is named after its file (`router.ns` → router), made a safe name. */
export function labNameOfFile(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1).replace(/\.ns$/, '');
  return base.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^([^A-Za-z_])/, '_$1').slice(0, 64);
}

/** A namespace reference as a word: a name, `pid N`, or a path. */
function refText(at: NsRef): string {
  return at.kind === 'name' ? at.name : at.kind === 'pid' ? `pid ${String(at.pid)}` : at.path;
}

/**
 * The name of a lab's own nftables table (family inet) in every namespace where it uses nftables.
 * A machine's part of a lab across machines (`LAB@MACHINE`) names it after the lab: its namespaces
 * are its own, and `@` is no nft identifier.
 */
export function labTable(lab: string): string {
  return `nsh_${lab.replace(/@[^@]*$/, '')}`;
}
