/** The CST visitor (cst-to-ast.ts) for the statements that run and inspect programs, and for a script's control. */
import type * as A from './ast.js';
import type * as C from './cst.js';
import type { AstBuilder } from './cst-to-ast.js';
import { error } from './diagnostics.js';
import { show } from './values.js';
import { joinSpans, type Span } from './source.js';
import { makeWord, tokenSpan } from './words.js';

export const programVisits = {
  nsRef(this: AstBuilder, c: C.NsRefCstChildren, span: Span): A.NsRefNode {
    if (c.pid) return { kind: 'pid', pid: this.word(c.pid[0]!), span };
    const w = this.word(c.name![0]!);
    // A quoted word, or one that starts like a path, names a namespace file.
    if (w.quoted || /^[./]/.test(w.raw)) return { kind: 'path', path: w, span };
    return { kind: 'name', name: w, span };
  },
  ref(this: AstBuilder, nodes: readonly C.NsRefCstNode[]): A.NsRefNode {
    return this.nsRef(nodes[0]!.children, this.span(nodes[0]!));
  },

  commandTail(this: AstBuilder, c: C.CommandTailCstChildren): { stdin?: A.Word; background: boolean } {
    return { stdin: this.optWord(c.stdin), background: c.Amp !== undefined };
  },
  tail(this: AstBuilder, nodes: readonly C.CommandTailCstNode[]): { stdin?: A.Word; background: boolean } {
    return this.commandTail(nodes[0]!.children);
  },

  block(this: AstBuilder, c: C.BlockCstChildren): A.Statement[] {
    return this.statements(c.statements?.[0]?.children);
  },
  body(this: AstBuilder, nodes: readonly C.BlockCstNode[]): A.Statement[] {
    return this.block(nodes[0]!.children);
  },

  inStmt(this: AstBuilder, c: C.InStmtCstChildren, span: Span): A.InStmt {
    return { kind: 'in', ref: this.ref(c.ref), argv: this.words(c.argv), ...this.tail(c.commandTail), span };
  },

  pingallStmt(this: AstBuilder, c: C.PingallStmtCstChildren, span: Span): A.PingallStmt {
    return { kind: 'pingall', args: this.words(c.args), span };
  },

  showStmt(this: AstBuilder, c: C.ShowStmtCstChildren, span: Span): A.ShowStmt {
    return { kind: 'show', args: this.words(c.args), span };
  },

  infoStmt(this: AstBuilder, c: C.InfoStmtCstChildren, span: Span): A.InfoStmt {
    return { kind: 'info', ref: this.ref(c.ref), span };
  },

  sameStmt(this: AstBuilder, c: C.SameStmtCstChildren, span: Span): A.SameStmt {
    return { kind: 'same', a: this.ref(c.a), b: this.ref(c.b), type: this.optWord(c.type), span };
  },

  pinStmt(this: AstBuilder, c: C.PinStmtCstChildren, span: Span): A.PinStmt {
    const ref = this.ref(c.ref);
    const name = this.optWord(c.name);
    const target = name ? { kind: 'as' as const, name } : { kind: 'at' as const, path: this.word(c.path![0]!) };
    return { kind: 'pin', ref, target, span };
  },

  spawnStmt(this: AstBuilder, c: C.SpawnStmtCstChildren, span: Span): A.SpawnStmt {
    return {
      kind: 'spawn',
      flags: (c.flags ?? []).map(t => ({ name: t.image as A.SpawnFlag, span: tokenSpan(this.at, t) })),
      hostname: this.lastWord(c.hostname, 'hostname'),
      as: this.lastWord(c.as, 'as'),
      argv: this.words(c.argv),
      ...this.tail(c.commandTail),
      span,
    };
  },

  forStmt(this: AstBuilder, c: C.ForStmtCstChildren, span: Span): A.ForStmt {
    const items = this.words(c.items);
    const itemSpan = joinSpans(items[0]!.span, items[items.length - 1]!.span);
    return { kind: 'for', variable: this.word(c.variable[0]!), items: this.forItems(items, itemSpan), body: this.body(c.block), span };
  },

  forItems(this: AstBuilder, words: A.Word[], span: Span): A.ForItems {
    const only = words.length === 1 ? words[0]! : undefined;
    if (only) {
      const split = splitRange(only);
      if (split) return { kind: 'range', from: split[0], to: split[1], span };
      if (only.literal?.includes('..') && !only.quoted) {
        this.diagnostics.push(error(`range ${show(only.raw)} needs both ends`, only.span, 'e.g. for i in 1..4 { … }'));
      }
    }
    return { kind: 'list', words, span };
  },

  defStmt(this: AstBuilder, c: C.DefStmtCstChildren, span: Span): A.DefStmt {
    return { kind: 'def', name: this.word(c.name[0]!), params: this.words(c.params), body: this.body(c.block), span };
  },

  /** `let n = 4` or `let n=4`. */
  letStmt(this: AstBuilder, c: C.LetStmtCstChildren, span: Span): A.LetStmt {
    const words = this.words(c.words);
    const [first, second, third, extra] = words;
    if (words.length === 3 && second!.literal === '=') return { kind: 'let', name: first!, value: third!, span };
    if (words.length === 1) {
      const split = splitAt(first!, '=');
      if (split && split[0].parts.length > 0) return { kind: 'let', name: split[0], value: split[1], span };
    }
    const hint = 'usage: let V = WORD (quote a value with spaces: let v = "a b")';
    const end = { ...span, start: span.end, end: span.end + 1, col: span.col + (span.end - span.start) };
    if (extra && second!.literal === '=') this.diagnostics.push(error(`let takes one value; ${show(extra.raw)} is extra`, extra.span, hint));
    else if (second && second.literal !== '=') this.diagnostics.push(error(`let needs "=" after the name, found ${show(second.raw)}`, second.span, hint));
    else if (second) this.diagnostics.push(error('let needs a value after "="', end, hint));
    else this.diagnostics.push(error('let needs "= VALUE" after the name', end, hint));
    // the interpreter skips a let with an empty value: the problem is reported here
    return { kind: 'let', name: first!, value: makeWord([], '', end), span };
  },

  includeStmt(this: AstBuilder, c: C.IncludeStmtCstChildren, span: Span): A.IncludeStmt {
    return { kind: 'include', path: this.word(c.path[0]!), span };
  },

  echoStmt(this: AstBuilder, c: C.EchoStmtCstChildren, span: Span): A.EchoStmt {
    return { kind: 'echo', words: this.words(c.words), span };
  },

  sleepStmt(this: AstBuilder, c: C.SleepStmtCstChildren, span: Span): A.SleepStmt {
    return { kind: 'sleep', args: this.words(c.args), span };
  },

  jobsStmt(this: AstBuilder, c: C.JobsStmtCstChildren, span: Span): A.JobsStmt {
    return { kind: 'jobs', args: this.words(c.args), span };
  },

  waitStmt(this: AstBuilder, c: C.WaitStmtCstChildren, span: Span): A.WaitStmt {
    return { kind: 'wait', targets: this.words(c.targets), span };
  },

  killStmt(this: AstBuilder, c: C.KillStmtCstChildren, span: Span): A.KillStmt {
    return { kind: 'kill', targets: this.words(c.targets), span };
  },
};

/** Splits a word at the first unquoted occurrence of `sep` in a text part. */
function splitAt(w: A.Word, sep: string): [A.Word, A.Word] | undefined {
  for (let i = 0; i < w.parts.length; i++) {
    const p = w.parts[i]!;
    if (p.kind !== 'text' || p.quoted !== 'none') continue;
    const k = p.value.indexOf(sep);
    if (k === -1) continue;
    const before: A.WordPart[] = [...w.parts.slice(0, i)];
    const after: A.WordPart[] = [];
    const cut = p.span.start + k;
    const cutCol = p.span.col + k;
    if (k > 0) before.push({ ...p, value: p.value.slice(0, k), span: { ...p.span, end: cut } });
    if (k + sep.length < p.value.length) {
      const s = cut + sep.length;
      after.push({ ...p, value: p.value.slice(k + sep.length), span: { ...p.span, start: s, col: cutCol + sep.length } });
    }
    after.push(...w.parts.slice(i + 1));
    const leftSpan = { ...w.span, end: cut };
    const rightSpan = { ...w.span, start: cut + sep.length, col: cutCol + sep.length };
    const rawCut = cut - w.span.start;
    return [
      makeWord(before, w.raw.slice(0, rawCut), leftSpan),
      makeWord(after, w.raw.slice(rawCut + sep.length), rightSpan),
    ];
  }
  return undefined;
}

/** `1..4`, `1..$n`, `${a}..${b}` → the two bounds. */
export function splitRange(w: A.Word): [A.Word, A.Word] | undefined {
  const parts = splitAt(w, '..');
  if (!parts) return undefined;
  const [a, b] = parts;
  if (a.parts.length === 0 || b.parts.length === 0) return undefined;
  return [a, b];
}
