/**
 * The loader of the bundle in dist/ (bundled on its own as dist/load.cjs): each of the bundle's
 * CommonJS files is compiled with V8's code cache for it, which the build wrote after checking
 * an example (scripts/code-cache.mjs), so a start compiles little. The bundle's files
 * require each other through it, and node's modules through the loader's own require (koffi, the
 * one package not bundled, is found by a require of its own: src/backend/linux/libc.ts).
 *
 * A cache is used only when it belongs to this build (BUILD_ID, a hash of the bundle's files)
 * and to this V8 (its version names the cache directory); V8 itself refuses a cache made under
 * other flags or for a source of another length. Left to its defaults, V8 does not check the rest
 * of a cache (one damaged inside makes it abort the process): --verify-snapshot-checksum, set here
 * while caches are made or the bundle's files load, has it write a checksum into each cache and
 * refuse one whose content does not match it. It is set for those moments only: V8 counts it
 * among the flags a cache was made under, so while it is set, V8 refuses node's own caches of its
 * built-in modules too (made without it), and each of them loaded meanwhile compiles from its
 * source (node:worker_threads took 6 ms instead of 1.6; a worker thread's whole start was slower
 * too). A cache that is missing, stale, damaged or refused changes nothing but the time: the file
 * is compiled as node would compile it.
 * NSH_CODE_CACHE=0 in the environment turns caches off.
 */
// (named imports: a namespace import of a node module is copied, property by property, by the
// bundle's interop code at each start)
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { Script } from 'node:vm';

declare const NSH_BUILD_ID: string;

interface Loaded {
  exports: unknown;
  readonly script: Script | undefined;
  /** The cache was given and V8 took it. */
  readonly cached: boolean;
}

const modules = new Map<string, Loaded>();
const nodeRequire = require;
const cacheDir = join(__dirname, 'code-cache', `${NSH_BUILD_ID}-${process.arch}-${process.versions.v8}`);
const useCache = process.env.NSH_CODE_CACHE !== '0';
/** V8's flag setter, where caches are used. */
const setFlags = useCache ? flagSetter() : undefined;
/** --verify-snapshot-checksum was given to node (then it stays set). */
const checksumsGiven = /--verify-snapshot-checksum\b/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`);

/**
 * V8's setFlagsFromString. node:v8 would load node's stream modules with it, ~10 M instructions
 * of every start (a tenth of node's own); where node still hands out V8's binding through
 * process.binding (node 20), that is used, with the deprecation warning it prints silenced for the
 * call. Anywhere else (node 24 has no such binding), node:v8.
 */
function flagSetter(): (flags: string) => void {
  const binding = (process as unknown as { binding?: (name: string) => { setFlagsFromString?: unknown } }).binding;
  // (--no-deprecation makes the property true and read-only; otherwise it is absent, or as set)
  const before = Object.getOwnPropertyDescriptor(process, 'noDeprecation');
  if (typeof binding === 'function' && (before === undefined || before.value === true || before.configurable)) {
    try {
      if (before?.value !== true) Object.defineProperty(process, 'noDeprecation', { value: true, writable: true, configurable: true });
      const set = binding.call(process, 'v8').setFlagsFromString;
      if (typeof set === 'function') return set as (flags: string) => void;
    } catch {
      // no such binding
    } finally {
      if (before === undefined) delete (process as { noDeprecation?: boolean }).noDeprecation;
      else if (before.value !== true) Object.defineProperty(process, 'noDeprecation', before);
    }
  }
  return (nodeRequire('node:v8') as typeof import('node:v8')).setFlagsFromString;
}

/** withChecksums() is under way. */
let checking = false;

/**
 * Runs `fn` with --verify-snapshot-checksum set (above): a load of the bundle's files, which may
 * load more of them (each setting costs V8 about as much as compiling a small function, so it is
 * set once for them all), or the making of caches.
 */
function withChecksums<T>(fn: () => T): T {
  if (!setFlags || checksumsGiven || checking) return fn();
  checking = true;
  try {
    return flagged(setFlags, true, fn);
  } finally {
    checking = false;
  }
}

/**
 * A module from outside the bundle (node's, koffi). One of node's that is not loaded yet loads
 * with the checksum flag unset, even within a load of the bundle's files: with it, V8 would check
 * node's own cache of that module (above).
 */
function outer(id: string): unknown {
  if (!checking || !setFlags || nodeLoaded(id)) return nodeRequire(id);
  return flagged(setFlags, false, () => nodeRequire(id));
}

/** Runs `fn` with the checksum flag set (`on`) or unset, and turns it back after. */
function flagged<T>(set: (flags: string) => void, on: boolean, fn: () => T): T {
  set(on ? '--verify-snapshot-checksum' : '--no-verify-snapshot-checksum');
  try {
    return fn();
  } finally {
    set(on ? '--no-verify-snapshot-checksum' : '--verify-snapshot-checksum');
  }
}

/** Node has loaded its module `id` already (process.moduleLoadList names each as `NativeModule NAME`). */
function nodeLoaded(id: string): boolean {
  const list = (process as unknown as { moduleLoadList?: readonly string[] }).moduleLoadList;
  return list?.includes(`NativeModule ${id.startsWith('node:') ? id.slice(5) : id}`) ?? false;
}

/** The file under dist/ that holds the cache of `file`. */
function cacheFile(file: string): string {
  // (a file of the bundle is under __dirname; string operations, not node:path's, whose
  // normalisation of each path was enough for V8 to optimise it at every start)
  const inDist = file.startsWith(`${__dirname}${sep}`) ? file.slice(__dirname.length + 1) : relative(__dirname, file);
  return `${cacheDir}${sep}${inDist.replace(/[/\\]/g, '__')}.bin`;
}

function readCache(file: string): Buffer | undefined {
  if (!useCache) return undefined;
  try {
    return readFileSync(cacheFile(file));
  } catch {
    return undefined;
  }
}

/** The exports of a CommonJS file of the bundle (an absolute path), loaded once. */
export function load(file: string): unknown {
  const known = modules.get(file);
  if (known) return known.exports;
  return withChecksums(() => loadFile(file));
}

function loadFile(file: string): unknown {
  const source = readFileSync(file, 'utf8');
  // on the first line, so that line numbers stay the file's own
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const cachedData = readCache(file);
  let script: Script;
  try {
    script = new Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  } catch (e) {
    if (!cachedData) throw e;
    script = new Script(wrapped, { filename: file });
  }
  const module: Loaded = { exports: {}, script, cached: cachedData !== undefined && !script.cachedDataRejected };
  modules.set(file, module);
  const dir = dirname(file);
  // (one require for all: a require made for each file, by node:module's createRequire, had each
  // start load that module and resolve a path per file)
  const require = (id: string): unknown => (id.startsWith('./') ? load(`${dir}${sep}${id.slice(2)}`) : id.startsWith('../') ? load(join(dir, id)) : outer(id));
  const fn = script.runInThisContext() as (e: unknown, r: typeof require, m: Loaded, f: string, d: string) => void;
  fn.call(module.exports, module.exports, require, module, file, dir);
  return module.exports;
}

/**
 * Writes the code cache of every file loaded so far, with what V8 has compiled of it by now (the
 * build runs some commands first). Gives the files written.
 */
export function saveCaches(): string[] {
  mkdirSync(cacheDir, { recursive: true });
  return withChecksums(() => writeCaches());
}

function writeCaches(): string[] {
  const written: string[] = [];
  for (const [file, m] of modules) {
    if (!m.script) continue;
    const to = cacheFile(file);
    const tmp = `${to}.${process.pid}.tmp`;
    writeFileSync(tmp, m.script.createCachedData());
    renameSync(tmp, to);
    written.push(to);
  }
  return written;
}

/** This build's caches for this V8 exist (scripts/code-cache.mjs wrote them). */
export function haveCaches(): boolean {
  return existsSync(cacheDir);
}

/** How many of the files loaded so far were compiled from their cache, of how many. */
export function cacheUse(): { cached: number; loaded: number } {
  let cached = 0;
  for (const m of modules.values()) if (m.cached) cached++;
  return { cached, loaded: modules.size };
}
