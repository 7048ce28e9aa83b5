/**
 * Tab completion for the REPL: statement keywords and the words that may follow them, namespace
 * names, interface names after `NS.`, $variables, def names, and file paths after `include` and
 * `.save`. What exists is asked of a CompletionWorld (live: /run/netns and rtnetlink dumps).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { statementKeywordNames } from '../syntax/keywords.js';
import { REPL_COMMANDS, statementNames } from './help.js';

export interface CompletionWorld {
  /** Namespace names: the lab's and those under /run/netns. */
  namespaces(): string[];
  /** Interface names of a namespace (or `host`). */
  interfaces(ns: string): string[];
  variables(): string[];
  defs(): string[];
  readonly cwd: string;
}

const NS_TYPES = ['net', 'uts', 'ipc', 'pid', 'mnt', 'user', 'cgroup', 'time'];
const SPAWN_WORDS = ['uts', 'ipc', 'pid', 'mnt', 'net', 'user', 'hostname', 'as'];
const SYSCTLS = ['net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv6.conf.all.disable_ipv6=1'];
const PROGRAMS = ['ping', 'nc', 'ip', 'sh', 'ss', 'hostname', 'tcpdump'];

/** Completions for the text before the cursor: [candidates, the part of the line they replace]. */
export function complete(line: string, world: CompletionWorld): [string[], string] {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('.')) return completeCommand(trimmed, world);
  // the statement being typed: after the last ; { } outside quotes
  const stmt = line.slice(lastSeparator(line) + 1);
  const words = stmt.split(/\s+/).filter(Boolean);
  const current = /\s$/.test(stmt) || words.length === 0 ? '' : words.pop()!;
  while (words[0] === '!') words.shift();
  if (words.length === 0 && current.startsWith('!')) return pick(current, statementKeywordNames.concat(world.defs()).map(k => `!${k}`));
  return pick(current, candidates(words, current, world));
}

function pick(current: string, all: readonly string[]): [string[], string] {
  const seen = new Set<string>();
  const hits = all.filter(c => c.startsWith(current) && !seen.has(c) && seen.add(c));
  return [hits.sort(), current];
}

function lastSeparator(line: string): number {
  let quote: string | undefined;
  let inVar = false; // inside ${…}
  let last = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (inVar) {
      if (c === '}') inVar = false;
    } else if (c === '$' && line[i + 1] === '{') {
      inVar = true;
      i++;
    } else if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '\\') i++;
    else if (c === ';' || c === '{' || c === '}') last = i;
  }
  return last;
}

function completeCommand(text: string, world: CompletionWorld): [string[], string] {
  const m = /^\.(\S*)(\s+)?(.*)$/.exec(text)!;
  if (m[2] === undefined) return pick(text, Object.keys(REPL_COMMANDS).map(k => `.${k}`));
  const arg = m[3] ?? '';
  if (m[1] === 'help') return pick(arg, statementNames);
  if (m[1] === 'save') return pick(arg, paths(arg, world.cwd));
  return [[], arg];
}

function candidates(words: readonly string[], current: string, world: CompletionWorld): string[] {
  if (current.startsWith('$')) {
    const braced = current.startsWith('${');
    return world.variables().concat('!').map(v => (braced ? `\${${v}}` : `$${v}`));
  }
  const namespaces = () => world.namespaces();
  const nsrefs = () => [...namespaces(), 'host', 'pid'];
  const endpoints = () => {
    const dot = current.indexOf('.');
    if (dot < 0) return [...namespaces(), 'host'].map(n => `${n}.`);
    const ns = current.slice(0, dot);
    const names = ns === '*' ? [...new Set(namespaces().flatMap(n => world.interfaces(n)))] : world.interfaces(ns);
    return names.map(i => `${ns}.${i}`);
  };
  if (words.length === 0) return [...statementKeywordNames, ...world.defs()];
  const kw = words[0]!;
  const n = words.length - 1; // arguments before the one being typed
  const prev = words[words.length - 1]!;
  const after = (w: string) => words.indexOf(w) > 0;
  switch (kw) {
    case 'ns':
      return n >= 1 && prev !== 'hostname' ? ['hostname'] : [];
    case 'del':
      return current.includes('.') ? endpoints() : [...namespaces(), ...endpoints()];
    case 'veth':
      if (prev === 'mtu') return [];
      if (after('<->')) return prev === '<->' ? endpoints() : ['mtu'];
      return n === 0 ? endpoints() : ['<->'];
    case 'bridge':
      if (n === 0) return endpoints();
      return world.interfaces(words[1]!.split('.')[0]!).filter(i => i !== 'lo');
    case 'attach':
      if (after('->')) return prev === '->' ? endpoints() : [];
      return n === 0 ? endpoints() : [...endpoints(), '->'];
    case 'addr':
      return n === 0 ? endpoints() : n === 1 ? ['del'] : [];
    case 'up':
    case 'down':
      return [...endpoints(), '*.lo'];
    case 'move':
      if (n === 0) return endpoints();
      if (prev === '->') return nsrefs();
      if (prev === 'as') return [];
      return after('->') ? ['as'] : ['->'];
    case 'route':
      if (n === 0) return [...namespaces(), 'host'];
      if (n === 1) return ['default', 'del'];
      if (prev === 'dev') return world.interfaces(words[1]!);
      if (prev === 'via') return [];
      return prev === 'del' ? ['default'] : ['via', 'dev'];
    case 'forward':
      return [...namespaces(), 'host'];
    case 'sysctl':
      return n === 0 ? [...namespaces(), 'host'] : SYSCTLS;
    case 'in': {
      if (n === 0) return current.includes('.') ? [] : nsrefs();
      if (prev === 'pid') return [];
      const cmdAt = words[1] === 'pid' ? 3 : 2;
      return words.length === cmdAt ? programs(current) : [];
    }
    case 'show':
      return n === 0 ? [...namespaces(), 'host', 'links', 'addrs', 'routes', '--json'] : [...namespaces(), 'host', '--json'];
    case 'info':
      return n === 0 ? nsrefs() : [];
    case 'same':
      return n >= 2 && prev !== 'pid' ? NS_TYPES : prev === 'pid' ? [] : nsrefs();
    case 'pin':
      if (n === 0) return nsrefs();
      if (prev === 'as' || prev === 'at' || prev === 'pid') return current.startsWith('"') || prev === 'at' ? paths(current, world.cwd) : [];
      return words[1] === 'pid' ? ['as'] : ['at'];
    case 'spawn':
      return SPAWN_WORDS;
    case 'for':
      return n === 1 ? ['in'] : [];
    case 'include':
      return paths(current, world.cwd);
    default:
      return [];
  }
}

/** Built-in and common programs, and, once a prefix is typed, executables on PATH. */
function programs(prefix: string): string[] {
  if (prefix === '' || prefix.includes('/')) return PROGRAMS;
  const found = new Set(PROGRAMS);
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      for (const f of fs.readdirSync(dir)) if (f.startsWith(prefix)) found.add(f);
    } catch {
      /* a PATH entry that is not there */
    }
  }
  return [...found];
}

/** File names completing `word` (which may start with a quote), directories with a trailing /. */
function paths(word: string, cwd: string): string[] {
  const quote = word.startsWith('"') || word.startsWith("'") ? word[0]! : '';
  const text = word.slice(quote.length);
  const slash = text.lastIndexOf('/');
  const dirPart = slash >= 0 ? text.slice(0, slash + 1) : '';
  const dir = path.resolve(cwd, dirPart || '.');
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter(e => !e.name.startsWith('.') || text.slice(slash + 1).startsWith('.'))
    .map(e => `${quote}${dirPart}${e.name}${e.isDirectory() ? '/' : ''}`);
}
