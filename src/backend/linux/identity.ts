/**
 * Namespace identities, as `ls -l /proc/PID/ns` shows them: type:[inode]. A named network
 * namespace shares every other type with the namespaces nsh runs in (except UTS when it has one).
 */
import * as fs from 'node:fs';
import { OpError, type NsRef, type NsType } from '../backend.js';
import { NS_TYPES } from '../../core/net.js';
import { hostNetnsFd } from './netns.js';

function inode(file: string, what: string): string {
  try {
    return String(fs.statSync(file).ino);
  } catch {
    throw new OpError(`${what} does not exist`);
  }
}

/** The file that stands for namespace `type` of a reference. */
function fileOf(ref: NsRef, type: NsType): { file: string; what: string } {
  switch (ref.kind) {
    case 'pid': {
      const pid = typeof ref.pid === 'number' ? ref.pid : NaN;
      return { file: `/proc/${pid}/ns/${type}`, what: `process ${pid}` };
    }
    case 'name': {
      if (ref.name === 'host') return { file: type === 'net' ? `/proc/self/fd/${hostNetnsFd()}` : `/proc/self/ns/${type}`, what: 'the host namespace' };
      const what = `namespace ${JSON.stringify(ref.name)}`;
      if (type === 'net') return { file: `/run/netns/${ref.name}`, what };
      if (type === 'uts' && fs.existsSync(`/run/nsh/uts/${ref.name}`)) return { file: `/run/nsh/uts/${ref.name}`, what };
      return { file: `/proc/self/ns/${type}`, what };
    }
    case 'path':
      return { file: type === 'net' ? ref.path : `/proc/self/ns/${type}`, what: `namespace file ${ref.path}` };
  }
}

/** The types this kernel has (time and cgroup may be missing on old ones). */
function types(): NsType[] {
  return NS_TYPES.filter(t => fs.existsSync(`/proc/self/ns/${t}`));
}

export function nsIdentities(ref: NsRef): [NsType, string][] {
  return types().map(t => {
    const { file, what } = fileOf(ref, t);
    return [t, `${t}:[${inode(file, what)}]`];
  });
}

/** The types (all, or the one asked) in which two references differ. */
export function sameNamespace(a: NsRef, b: NsRef, type?: NsType): NsType[] {
  return (type ? [type] : types()).filter(t => {
    const fa = fileOf(a, t);
    const fb = fileOf(b, t);
    return inode(fa.file, fa.what) !== inode(fb.file, fb.what);
  });
}
