/**
 * A tagged template as nsh text. Each `${value}` is bound to a fresh variable and the text refers
 * to it as `${name}`: the value is never spliced into the text, so it is exactly one word (or part
 * of one: `${ms}ms`), checked in its role as any expanded word is, and never a statement, an
 * option or a second word. The text is taken as written (as String.raw does): nsh's escapes
 * apply, JavaScript's do not, but for the two JavaScript makes one write: `\${…}` is nsh's own
 * `${…}` (an nsh variable, arithmetic) and `\`` a backtick. It is placed where it stands in its
 * file (the call's site), so diagnostics name that file, line and column.
 */
import type { Statement } from '../syntax/ast.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';
import { spanAt, type Source } from '../syntax/source.js';
import type { Site } from './call-site.js';

export interface Composed {
  /** The source's name (the template's file, or `template`). */
  readonly name: string;
  /** The text, after as many line breaks and spaces as put it at its place in its file. */
  readonly text: string;
  /** The directory includes resolve against, and the file's absolute path (for include cycles). */
  readonly dir: string;
  readonly path: string;
  /** Each value's variable, its text, and where its `${name}` stands in `text`. */
  readonly bindings: readonly { readonly name: string; readonly value: string; readonly at: number }[];
}

/** A value's text, or a sentence saying why it cannot be one word. */
export function valueText(v: unknown): string | { problem: string } {
  let text: string;
  if (typeof v === 'string') text = v;
  else if (typeof v === 'bigint') text = String(v);
  else if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { problem: `a template value must be a finite number, got ${v}` };
    text = String(v);
  } else {
    const what = v === null ? 'null' : Array.isArray(v) ? 'an array (a value is one word; interpolate each element where it goes)' : typeof v;
    return { problem: `a template value must be a string, a number or a bigint, got ${what}` };
  }
  if (text.includes('\0')) return { problem: 'a template value cannot hold a NUL character' };
  return text;
}

/**
 * The template's text with a `${name}` for each value. `taken` says whether a variable name is
 * in use already (in the lab's scope); a name that also appears anywhere in the template's own
 * text is never chosen either. `counter` numbers the names (`_1`, `_2` …) across a lab's runs.
 */
export function compose(
  strings: TemplateStringsArray,
  values: readonly string[],
  site: Site | undefined,
  taken: (name: string) => boolean,
  counter: { next: number },
): Composed {
  const raw = strings.raw;
  const fresh = (): string => {
    for (;;) {
      const name = `_${counter.next++}`;
      if (!taken(name) && !raw.some(s => s.includes(name))) return name;
    }
  };
  const prefix = site ? '\n'.repeat(site.line - 1) + ' '.repeat(site.col) : '';
  let text = prefix;
  const bindings: { name: string; value: string; at: number }[] = [];
  raw.forEach((s, i) => {
    text += s.replace(/\\(\$\{|`)/g, '$1');
    if (i >= values.length) return;
    const name = fresh();
    bindings.push({ name, value: values[i]!, at: text.length });
    text += `\${${name}}`;
  });
  const dir = site?.dir ?? process.cwd();
  return { name: site?.file ?? 'template', text, dir, path: site?.path ?? `${dir}/template`, bindings };
}

/** Statement parts that name something (a statement, a def, a parameter, a variable): never a value. */
const NAMING: Readonly<Record<string, readonly string[]>> = { call: ['name'], def: ['name', 'params'], let: ['name'], for: ['variable'] };

/**
 * Where values must not go, as diagnostics: a `${…}` that would name a statement, def, parameter
 * or variable, and one that is not part of any word (inside '…' or a comment it would stay text).
 * `parsed`: whether the text parsed without error (else statements may be missing, and an unused
 * value says nothing).
 */
export function misplaced(statements: readonly Statement[], c: Composed, source: Source, parsed: boolean): Diagnostic[] {
  // a text without values has nothing to place: the walk below would read every word's parts
  if (c.bindings.length === 0) return [];
  const names = new Set(c.bindings.map(b => b.name));
  const used = new Set<string>();
  const out: Diagnostic[] = [];
  const visit = (node: unknown, naming: boolean): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, naming);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const o = node as { readonly kind?: unknown; readonly parts?: readonly { kind: string; name?: string; span: Diagnostic['span'] }[] };
    if (o.kind === 'word') {
      for (const p of o.parts ?? []) {
        if (p.kind !== 'var' || !names.has(p.name!)) continue;
        used.add(p.name!);
        if (naming) out.push(error('a template value cannot name a statement, a def, a parameter or a variable', p.span, 'write the name in the text; values go where words are'));
      }
      return;
    }
    const naming_ = typeof o.kind === 'string' ? NAMING[o.kind] ?? [] : [];
    for (const [k, v] of Object.entries(o)) if (k !== 'span' && k !== 'source') visit(v, naming_.includes(k));
  };
  visit(statements, false);
  if (parsed) {
    for (const b of c.bindings) {
      if (used.has(b.name)) continue;
      const span = spanAt(source, b.at, b.at + b.name.length + 3);
      out.push(error('this template value is not part of a statement\'s word: inside \'…\' or a comment it would stay text', span, 'put it where a word goes, or inside "…"'));
    }
  }
  return out;
}
