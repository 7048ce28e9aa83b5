/**
 * Tab completion for the REPL, from the statement registry (src/syntax/statements.ts): statement
 * keywords, then what each position of the statement's forms takes (namespace names, interface
 * names after `NS.`, addresses …), and its option words where they may stand; $variables, def
 * names, and file paths. What exists is asked of a CompletionWorld (live: /run/netns and rtnetlink
 * dumps). A keyword completes with the space after it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { statementKeywordNames } from '../syntax/keywords.js';
import type { Completion, OptionSpec, Slot, StatementSpec } from '../syntax/statement-spec.js';
import { statementSpec } from '../syntax/statements.js';
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
  const starts = () => [...statementKeywordNames, ...world.defs()].map(k => `${k} `);
  if (words.length === 0 && current.startsWith('!')) return pick(current, starts().map(k => `!${k}`));
  if (current.startsWith('$')) {
    const braced = current.startsWith('${');
    return pick(current, world.variables().concat('!').map(v => (braced ? `\${${v}}` : `$${v}`)));
  }
  if (words.length === 0) return pick(current, starts());
  const spec = statementSpec(words[0]!);
  return pick(current, spec ? candidates(spec, words.slice(1), current, world) : []);
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
  if (m[1] === 'help') return pick(arg, [...statementNames, '!', ...Object.keys(REPL_COMMANDS).map(k => `.${k}`)]);
  if (m[1] === 'save' || m[1] === 'graph') return pick(arg, paths(arg, world.cwd));
  return [[], arg];
}

// ---- the words of a statement against its forms --------------------------------------------------

/** A place in a form: before slot `slot`, with `count` words already in it; `pid` after the `pid` of an NSREF. */
interface Place {
  readonly form: number;
  readonly slot: number;
  readonly count: number;
  readonly pid?: boolean;
}

/** The places reachable from `p` without taking a word: optional slots may be skipped. */
function reach(forms: readonly (readonly Slot[])[], p: Place): Place[] {
  const out: Place[] = [p];
  const form = forms[p.form]!;
  for (let i = p.slot, count = p.count; i < form.length; i++, count = 0) {
    const s = form[i]!;
    const skippable = s.kind === 'keyword' ? s.optional : s.kind === 'word' ? count >= s.min : false;
    if (!skippable) break;
    out.push({ form: p.form, slot: i + 1, count: 0 });
  }
  return out;
}

const atEnd = (forms: readonly (readonly Slot[])[], p: Place) => !p.pid && p.slot >= forms[p.form]!.length;

/** Where the words leave the statement: its places in the forms, the options used, an option waiting for its value. */
function follow(spec: StatementSpec, words: readonly string[]) {
  const forms = spec.forms;
  let places: Place[] = forms.map((_, form) => ({ form, slot: 0, count: 0 })).flatMap(p => reach(forms, p));
  const used = new Set<string>();
  let waiting: OptionSpec | undefined;
  let leading = (spec.leadingOptions ?? []).length > 0;
  let ns: string | undefined;
  for (const w of words) {
    if (waiting) {
      waiting = undefined;
      continue;
    }
    const option = (leading ? spec.leadingOptions! : places.some(p => atEnd(forms, p)) ? spec.options : []).find(o => o.word === w);
    if (option) {
      used.add(option.word);
      if (option.value) waiting = option;
      continue;
    }
    leading = false;
    // a keyword of a form takes the word before a word slot could (as the parser does)
    const keywordHere = places.some(p => {
      const s = forms[p.form]![p.slot];
      return s?.kind === 'keyword' && s.words.includes(w);
    });
    const next: Place[] = [];
    for (const p of places) {
      const s = forms[p.form]![p.slot];
      if (!s) continue;
      if (p.pid) next.push({ form: p.form, slot: p.slot, count: p.count + 1 });
      else if (s.kind === 'keyword') {
        if (s.words.includes(w)) next.push({ form: p.form, slot: p.slot + 1, count: 0 });
      } else if (s.kind === 'word' && !keywordHere && p.count < s.max) {
        if (s.complete === 'nsref' && w === 'pid') next.push({ ...p, pid: true });
        else {
          next.push({ form: p.form, slot: p.slot, count: p.count + 1 });
          if (ns === undefined && (s.complete === 'namespace' || s.complete === 'endpoint')) ns = w.split('.')[0];
        }
      }
    }
    places = next.flatMap(p => reach(forms, p));
  }
  return { places, used, waiting, leading, ns };
}

function candidates(spec: StatementSpec, words: readonly string[], current: string, world: CompletionWorld): string[] {
  const { places, used, waiting, leading, ns } = follow(spec, words);
  const fill = (kind: Completion) => completion(kind, current, ns, world);
  if (waiting) return waiting.value === 'FILE' ? fill('file') : (waiting.choices ?? []).map(c => `${c} `);
  const out: string[] = [];
  const offer = (options: readonly OptionSpec[]) => {
    for (const o of options) if (!used.has(o.word) && /^[a-z-]+$/.test(o.word)) out.push(`${o.word} `);
  };
  if (leading) offer(spec.leadingOptions!);
  for (const p of places) {
    if (p.pid) continue;
    const s = spec.forms[p.form]![p.slot];
    if (!s) offer(spec.options);
    else if (s.kind === 'keyword') out.push(...s.words.map(w => `${w} `));
    else if (s.kind === 'word' && p.count < s.max) {
      out.push(...fill(s.complete), ...(s.choices ?? []).map(c => `${c} `));
    }
  }
  return out;
}

function completion(kind: Completion, current: string, ns: string | undefined, world: CompletionWorld): string[] {
  const namespaces = () => [...world.namespaces(), 'host'];
  const endpoints = () => {
    const dot = current.indexOf('.');
    if (dot < 0) return namespaces().map(n => `${n}.`);
    const at = current.slice(0, dot);
    const names = at === '*' ? [...new Set(world.namespaces().flatMap(n => world.interfaces(n)))] : world.interfaces(at);
    return names.map(i => `${at}.${i}`);
  };
  switch (kind) {
    case 'namespace':
      return namespaces();
    case 'endpoint':
      return endpoints();
    case 'target':
      return current.includes('.') ? endpoints() : [...world.namespaces(), ...endpoints()];
    case 'nsref':
      return current.includes('.') ? [] : [...namespaces(), 'pid '];
    case 'interface':
      return ns === undefined ? [] : world.interfaces(ns);
    case 'port':
      return ns === undefined ? [] : world.interfaces(ns).filter(i => i !== 'lo');
    case 'file':
      return paths(current, world.cwd);
    case 'program':
      return programs(current);
    case 'sysctl':
      return SYSCTLS;
    case 'def':
      return world.defs();
    case 'variable':
      return world.variables().map(v => `$${v}`);
    case 'address':
    case 'machine':
    case 'none':
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
