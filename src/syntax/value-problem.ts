/**
 * What a check of a word (values.ts) returns when the word is wrong: a Problem, which may point at
 * part of the word; and how a message shows a value.
 */
export interface Problem {
  readonly problem: string;
  readonly hint?: string;
  readonly from?: number;
  readonly to?: number;
}

export function isProblem(x: unknown): x is Problem {
  return typeof x === 'object' && x !== null && 'problem' in x;
}

/**
 * Characters that show nothing or look like a space (format characters, spaces but " "), made
 * when first needed: V8 reads a pattern when it makes it, and these classes from Unicode's tables
 * (a tenth of a millisecond, at each start that loads this file). Of ASCII only " " is one, so a
 * text in ASCII is not searched.
 */
let invisible: { one: RegExp; all: RegExp } | undefined;
const invisibles = () => (invisible ??= { one: /[\p{Cf}\p{Z}]/u, all: /[\p{Cf}\p{Z}]/gu });
const BEYOND_ASCII = /[^\x00-\x7f]/;

/** `U+200B`. */
function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A value quoted for a message: control characters escaped, invisible ones written U+XXXX, long
 * values cut (never inside a character).
 */
export function show(text: string): string {
  // cut from the middle: the end of a generated name is often what differs
  const chars = text.length > 40 ? Array.from(text) : undefined;
  const cut = chars && chars.length > 40 ? `${chars.slice(0, 24).join('')}…${chars.slice(-15).join('')}` : text;
  const quoted = JSON.stringify(cut);
  return BEYOND_ASCII.test(quoted) ? quoted.replace(invisibles().all, c => (c === ' ' ? c : `<${codePoint(c)}>`)) : quoted;
}

/** One character for a message: `"😀"`, or `U+200B` for one that shows nothing. */
export function showChar(c: string): string {
  return BEYOND_ASCII.test(c) && invisibles().one.test(c) ? codePoint(c) : show(c);
}

/** The whole character (code point) at `index` of `text`. */
export function charAt(text: string, index: number): string {
  const cp = text.codePointAt(index);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

export function problem(message: string, hint?: string, from?: number, to?: number): Problem {
  return { problem: message, ...(hint ? { hint } : {}), ...(from !== undefined ? { from, to: to ?? from + 1 } : {}) };
}

/** Moves a problem's range into a containing text, or points it at [from, to) there. */
export function shift(p: Problem, base: number, end: number): Problem {
  return p.from !== undefined ? { ...p, from: base + p.from, to: base + (p.to ?? p.from + 1) } : { ...p, from: base, to: end };
}
