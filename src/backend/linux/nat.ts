/**
 * `nat` and `publish` on the kernel: the rules of nat-rules.ts, sent through libnftables in the
 * namespace (one transaction per statement), and the forwarding they need. The forwarding sysctls
 * are set first and put back if the rules fail, so a failed statement changes nothing; each op
 * gives back the values it replaced (the journal keeps them where the namespace is not the lab's).
 *
 * Links this process makes later in a namespace with NAT join the set of the lab's links there
 * (lanJoin, called by the link handlers), so NAT never masquerades the lab's own traffic.
 */
import type { NsRef } from '../backend.js';
import { OpError } from '../backend.js';
import {
  deleteTableCommand, FORWARDING, lanAddCommand, lanDeleteCommand, listTableCommand, natCommands, publishCommands, readTable, type NftCommand,
} from '../nat-rules.js';
import type { Published } from '../../core/snapshot.js';
import type { Handlers, Replaced } from '../ops.js';
import type { LinuxContext } from './context.js';
import { pidOf } from './context.js';
import { errorCode } from './errors.js';
import { close } from './libc.js';
import { readSysctl, setSysctlIn, writeSysctl } from './namespaces.js';
import { dumpLinks } from './netlink/index.js';
import { openNetns } from './netns.js';
import { hasTable, NftError, nftOnce } from './nftables.js';

const q = JSON.stringify;

const ROOT_HINT = 'nsh needs root (CAP_NET_ADMIN): run it with sudo, or with --rootless';
const MODULES_HINT = 'the kernel may lack a module of nftables NAT (nf_tables, nft_chain_nat, nft_masq, nft_fib_inet)';

/** Runs commands in `ns`'s context; a refusal becomes a sentence about `what`. */
function run(x: LinuxContext, ns: string, cmds: readonly NftCommand[], what: string): unknown {
  try {
    return x.handles.get(ns).nft().run(cmds);
  } catch (e) {
    if (!(e instanceof NftError)) throw e;
    if (e.code === 'EPERM' || e.code === 'EACCES') throw new OpError(`cannot ${what}: permission denied`, { hint: ROOT_HINT });
    throw new OpError(`cannot ${what}: ${e.reason}`, e.code === 'ENOENT' || e.code === 'EOPNOTSUPP' ? { hint: MODULES_HINT } : {});
  }
}

/**
 * Sets each sysctl to 1, runs `then`, and gives the values it replaced (those that were not 1
 * already); if `then` fails, they are put back. A sysctl the kernel does not have (IPv6's, on a
 * kernel without IPv6) is passed over.
 */
function withForwarding(x: LinuxContext, ns: string, keys: readonly string[], then: () => void): Replaced {
  const replaced: { key: string; value: string }[] = [];
  try {
    for (const key of keys) {
      const value = readSysctl(x, ns, key);
      if (value === undefined || value === '1') continue;
      writeSysctl(x, ns, key, '1');
      replaced.push({ key, value });
    }
    then();
  } catch (e) {
    for (const { key, value } of replaced.reverse()) {
      try {
        writeSysctl(x, ns, key, value);
      } catch {
        // the statement's own failure is the one to report
      }
    }
    throw e;
  }
  return { replaced };
}

/** The published ports of the lab's table in `ns`, as the kernel has them (none without the table). */
function publishedIn(x: LinuxContext, ns: string, table: string): Published[] {
  try {
    return readTable(x.handles.get(ns).nft().run([listTableCommand(table)])).published;
  } catch (e) {
    if (e instanceof NftError && e.code === 'ENOENT') return [];
    throw e;
  }
}

export function natHandlers(x: LinuxContext): Pick<Handlers, 'nat' | 'publish'> {
  return {
    nat: async ({ ns, table, lan }) => {
      const links = lan === 'all' ? dumpLinks(x.handles.socket(ns)).map(l => l.ifname).filter(n => n !== 'lo') : lan;
      const r = withForwarding(x, ns, [FORWARDING[4], FORWARDING[6]], () =>
        run(x, ns, natCommands(table, links), `set up NAT in namespace ${q(ns)}`),
      );
      x.natTables.set(ns, table);
      x.table = table;
      return r;
    },

    publish: async p => {
      const { ns, table } = p;
      if (publishedIn(x, ns, table).some(o => o.proto === p.proto && o.port === p.port)) {
        throw new OpError(`${p.proto} port ${p.port} is already published in namespace ${q(ns)}`);
      }
      const r = withForwarding(x, ns, [FORWARDING[p.to.family]], () =>
        run(x, ns, publishCommands(table, p), `publish ${p.proto} port ${p.port} in namespace ${q(ns)}`),
      );
      x.table = table;
      return r;
    },
  };
}

/**
 * Links this process just made (or moved) in `ns` join the set of the lab's links there, when NAT
 * is set up in `ns`. Best effort: a table removed behind nsh's back is forgotten, and the link
 * stays (the statement that made it did what it says).
 */
export function lanJoin(x: LinuxContext, ns: string, names: readonly string[]): void {
  lanChange(x, ns, names, lanAddCommand);
}

/** Links that left `ns` (deleted, moved away) leave its set. Best effort, as lanJoin. */
export function lanLeave(x: LinuxContext, ns: string, names: readonly string[]): void {
  lanChange(x, ns, names, lanDeleteCommand);
}

function lanChange(x: LinuxContext, ns: string, names: readonly string[], cmd: (table: string, names: readonly string[]) => NftCommand): void {
  const table = x.natTables.get(ns);
  if (table === undefined || names.length === 0) return;
  try {
    x.handles.get(ns).nft().run([cmd(table, names)]);
  } catch (e) {
    if (!(e instanceof NftError) && !(e instanceof OpError)) throw e;
    if (e instanceof NftError && e.code === 'ENOENT' && cmd === lanAddCommand) x.natTables.delete(ns);
  }
}

// ---- reading and teardown -----------------------------------------------------------------------

/** NAT and published ports of the lab's table in the namespace `fd` (nothing when it has no table). */
export function readNat(fd: number, table: string): { nat?: boolean; published?: Published[] } {
  let listing: unknown;
  try {
    if (!hasTable(fd, table)) return {};
    listing = nftOnce(fd, [listTableCommand(table)]);
  } catch (e) {
    if (e instanceof NftError || e instanceof OpError || errorCode(e) !== undefined) return {}; // gone meanwhile, no libnftables, no nf_tables: nothing to show
    throw e;
  }
  const t = readTable(listing);
  return { ...(t.nat ? { nat: true } : {}), ...(t.published.length > 0 ? { published: t.published } : {}) };
}

/** An fd of the namespace a journal entry names (ENOENT, a SysError, when it is gone). */
function openAt(at: NsRef): number {
  if (at.kind === 'name') return openNetns(at.name === 'host' ? { kind: 'host' } : { kind: 'name', name: at.name });
  return openNetns(at.kind === 'pid' ? { kind: 'pid', pid: pidOf(at.pid) } : at);
}

/** Deletes the lab's table in a namespace it did not make; an NftError with code ENOENT when it is gone. */
export function deleteTableAt(x: LinuxContext, at: NsRef, table: string): void {
  if (at.kind === 'name') x.natTables.delete(at.name);
  const fd = openAt(at);
  try {
    nftOnce(fd, [deleteTableCommand(table)]);
  } finally {
    close(fd);
  }
}

/** Puts a sysctl back to the value it had before the lab changed it. */
export function restoreSysctlAt(at: NsRef, key: string, value: string): void {
  const fd = openAt(at);
  try {
    setSysctlIn(fd, key, value);
  } finally {
    close(fd);
  }
}
