/**
 * Named namespaces — `ns NAME [hostname H]` and `del NAME`, as `ip netns add` / `ip netns del`
 * make and remove them — and the sysctls inside them.
 */
import * as fs from 'node:fs';
import { OpError } from '../backend.js';
import type { Handlers } from '../ops.js';
import type { LinuxContext } from './context.js';
import { noDadByDefault } from './dad.js';
import { attempt } from './errors.js';
import { close } from './libc.js';
import { createNamedNetns, createNamedUts, deleteNamedNetns, deleteNamedUts, nameNetns, namedUtsExists, withNetns } from './netns.js';
import { RtnlSocket } from './netlink/index.js';

const q = JSON.stringify;

export function namespaceHandlers(x: LinuxContext): Pick<Handlers, 'ns-add' | 'ns-del' | 'sysctl'> {
  return {
    'ns-add': async ({ name, hostname }) => {
      const opened: RtnlSocket[] = [];
      const how = {
        what: `create namespace ${q(name)}`,
        codes: { EEXIST: `namespace ${q(name)} already exists` },
        hints: { EEXIST: `remove it first with del ${name} (or ip netns del ${name})` },
      };
      // one made ahead on the worker, in a large lab (netns-pool.ts)
      const made = x.pool?.take();
      let fd: number;
      try {
        if (made) {
          opened.push(RtnlSocket.adopt(made.sockFd));
          attempt(how, () => nameNetns(name, made.nsFd));
          fd = made.nsFd;
        } else {
          // its socket is opened (and IPv6 DAD turned off, dad.ts) while the thread is inside: no setns() later
          fd = attempt(how, () =>
            createNamedNetns(name, () => {
              noDadByDefault();
              opened.push(RtnlSocket.open());
            }),
          );
        }
      } catch (e) {
        for (const sock of opened) sock.close();
        if (made) close(made.nsFd);
        throw e;
      }
      x.handles.adoptFresh(name, fd, opened[0]!);
      if (hostname !== undefined) {
        try {
          attempt({ what: `give namespace ${q(name)} its hostname`, codes: { EEXIST: `namespace ${q(name)} already has a UTS namespace` } }, () =>
            createNamedUts(name, hostname),
          );
        } catch (e) {
          x.handles.drop(name);
          deleteNamedNetns(name);
          throw e;
        }
      }
    },
    'ns-del': async ({ name }) => {
      x.handles.drop(name);
      x.natTables.delete(name);
      attempt({ what: `delete namespace ${q(name)}`, codes: { ENOENT: `namespace ${q(name)} does not exist` } }, () =>
        deleteNamedNetns(name),
      );
      if (namedUtsExists(name)) deleteNamedUts(name);
    },
    sysctl: async ({ ns, settings }) => {
      for (const { key, value } of settings) writeSysctl(x, ns, key, value);
    },
  };
}

const sysctlFile = (key: string): string => `/proc/sys/${key.replace(/\./g, '/')}`;

/** Reads /proc/sys/KEY inside the namespace (its value without the line break); undefined when the kernel has no such sysctl. */
export function readSysctl(x: LinuxContext, ns: string, key: string): string | undefined {
  return attempt({ what: `read ${key} in namespace ${q(ns)}` }, () => {
    try {
      return withNetns(x.handles.netFd(ns), () => fs.readFileSync(sysctlFile(key), 'utf8')).trim();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  });
}

/** Writes /proc/sys/KEY, opened inside the namespace (net.* files belong to the opener's namespace). */
export function writeSysctl(x: LinuxContext, ns: string, key: string, value: string): void {
  const fd = attempt(
    { what: `set ${key} in namespace ${q(ns)}`, codes: { ENOENT: `there is no sysctl ${key}` } },
    () => openSysctl(x.handles.netFd(ns), key),
  );
  try {
    fs.writeSync(fd, `${value}\n`);
  } catch (e) {
    throw new OpError(`cannot set ${key}=${value} in namespace ${q(ns)}: ${(e as NodeJS.ErrnoException).code === 'EINVAL' ? 'the kernel refused the value' : (e as Error).message}`);
  } finally {
    fs.closeSync(fd);
  }
}

/** /proc/sys/KEY of the namespace `netFd`, opened for writing. */
function openSysctl(netFd: number, key: string): number {
  return withNetns(netFd, () => fs.openSync(sysctlFile(key), 'w'));
}

/** Writes a sysctl of the namespace `netFd`; node's errors as they come (teardown sorts them). */
export function setSysctlIn(netFd: number, key: string, value: string): void {
  const fd = openSysctl(netFd, key);
  try {
    fs.writeSync(fd, `${value}\n`);
  } finally {
    fs.closeSync(fd);
  }
}
