// The newest installed Debian kernel (/boot/vmlinuz-VERSION with /lib/modules/VERSION), and the
// load order of kernel modules with their dependencies, read from that kernel's modules.dep.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Compares kernel versions ("6.1.0-57-amd64") number by number. */
function compareVersions(a, b) {
  const pa = a.split(/[^0-9]+/).filter(Boolean).map(Number);
  const pb = b.split(/[^0-9]+/).filter(Boolean).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}

/** @returns {{ version: string, vmlinuz: string, modules: string } | string} the kernel, or why there is none */
export function newestKernel(boot = '/boot', lib = '/lib/modules') {
  const versions = existsSync(boot)
    ? readdirSync(boot).filter(f => f.startsWith('vmlinuz-')).map(f => f.slice('vmlinuz-'.length))
    : [];
  const usable = versions.filter(v => existsSync(join(lib, v, 'modules.dep'))).sort(compareVersions);
  const version = usable.at(-1);
  if (!version) {
    return versions.length
      ? `no modules for ${versions.map(v => `${boot}/vmlinuz-${v} (${lib}/${v}/modules.dep)`).join(', ')}`
      : `no ${boot}/vmlinuz-* (a Debian kernel: apt-get install linux-image-amd64)`;
  }
  return { version, vmlinuz: join(boot, `vmlinuz-${version}`), modules: join(lib, version) };
}

const moduleName = path => basename(path).replace(/\.ko(\.\w+)?$/, '').replaceAll('-', '_');

/**
 * The files (relative to the modules directory) to load for `names`, each after the modules it
 * depends on, each once; modules built into the kernel (modules.builtin) need no file. Throws a
 * one-sentence error for a module that is neither.
 */
export function moduleLoadOrder(modulesDir, names) {
  const builtin = new Set(readFileSync(join(modulesDir, 'modules.builtin'), 'utf8').split('\n').filter(Boolean).map(moduleName));
  /** @type {Map<string, { path: string, deps: string[] }>} */
  const byName = new Map();
  for (const line of readFileSync(join(modulesDir, 'modules.dep'), 'utf8').split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) byName.set(moduleName(m[1]), { path: m[1], deps: m[2].split(/\s+/).filter(Boolean).map(moduleName) });
  }
  const order = [];
  const seen = new Set();
  const visit = name => {
    if (seen.has(name) || builtin.has(name)) return;
    seen.add(name);
    const mod = byName.get(name);
    if (!mod) throw new Error(`module ${name} is not in ${join(modulesDir, 'modules.dep')}`);
    mod.deps.forEach(visit);
    order.push(mod.path);
  };
  names.map(n => n.replaceAll('-', '_')).forEach(visit);
  return order;
}
