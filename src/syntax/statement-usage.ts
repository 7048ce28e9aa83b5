/** What is derived from the statement registry's entries: usage lines, the lexer's keywords, the words highlighted inside statements. */
import type { OptionSpec, Slot, StatementSpec } from './statement-spec.js';

/** An option as usage shows it: `mtu N`, `mode bridge|private|vepa|passthru`, `off`. */
export function optionHead(o: OptionSpec): string {
  return o.value ? `${o.word} ${o.meta ?? (o.choices ? o.choices.join('|') : o.value)}` : o.word;
}

function optionText(o: OptionSpec): string {
  return `[${optionHead(o)}]`;
}

function slotText(s: Slot): string {
  switch (s.kind) {
    case 'keyword':
      return s.optional ? `[${s.words.join('|')}]` : s.words.join('|');
    case 'block':
      return '{ … }';
    case 'word': {
      const w = s.max > 1 ? `${s.meta}…` : s.meta;
      return s.min === 0 ? `[${w}]` : w;
    }
  }
}

/** Each form of a statement as one line of usage: `veth NS.IF [ADDR…] <-> NS.IF [ADDR…] [mtu N]`. */
export function usageLines(s: StatementSpec): string[] {
  const lead = (s.leadingOptions ?? []).map(optionText);
  const collapsed = (o: OptionSpec) => o.group !== undefined && (s.collapse ?? []).includes(o.group);
  const tail = s.options.map(o => (collapsed(o) ? `[${o.group}]` : optionText(o))).filter((t, i, all) => all.indexOf(t) === i);
  return s.forms.map(f => [s.name, ...lead, ...f.map(slotText), ...tail].join(' '));
}

/** Every word that is a keyword of the lexer: statement names, option words, and keywords of the forms. */
export function keywordsOf(specs: readonly StatementSpec[]): { statements: string[]; others: string[] } {
  const isWord = (w: string) => /^[a-z]+$/.test(w);
  const others = new Set<string>();
  for (const s of specs) {
    for (const o of [...(s.leadingOptions ?? []), ...s.options]) if (isWord(o.word)) others.add(o.word);
    for (const f of s.forms) for (const slot of f) if (slot.kind === 'keyword') for (const w of slot.words) if (isWord(w)) others.add(w);
  }
  const names = specs.map(s => s.name);
  for (const n of names) others.delete(n);
  return { statements: names, others: [...others] };
}

/**
 * The words with a meaning inside statements, keywords or not: option words, the keywords of the
 * forms (`via`, `del`), and the words offered in a position (`default`, `links`) or as an option's
 * value (`bridge`, `vepa`). The editor grammar highlights them.
 */
export function innerWords(specs: readonly StatementSpec[]): string[] {
  const isWord = (w: string) => /^[a-z]+$/.test(w);
  const out = new Set<string>();
  for (const s of specs) {
    for (const o of [...(s.leadingOptions ?? []), ...s.options]) for (const w of [o.word, ...(o.choices ?? [])]) if (isWord(w)) out.add(w);
    for (const f of s.forms) {
      for (const slot of f) {
        if (slot.kind === 'keyword') for (const w of slot.words) if (isWord(w)) out.add(w);
        if (slot.kind === 'word') for (const c of slot.choices ?? []) if (isWord(c)) out.add(c);
      }
    }
  }
  return [...out];
}
