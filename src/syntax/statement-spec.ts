/**
 * The types of the statement registry (statements.ts) and the building blocks its entries are
 * written with: slots (`kw`, `one`, `maybe` …), the options shared by several statements, and the
 * names an option's value may be. Plain data.
 */
import { NS_TYPES } from '../core/net.js';

/** What completes a word in a position (and what hover can say it is). */
export type Completion =
  | 'namespace' // a namespace of the lab, or host
  | 'endpoint' // NS.IF
  | 'target' // a namespace or NS.IF
  | 'nsref' // NAME, host, pid N or "PATH"
  | 'address' // an IP address
  | 'interface' // an interface of the statement's namespace
  | 'port' // an interface of the statement's namespace that can be a bridge port (not lo)
  | 'file'
  | 'program'
  | 'sysctl'
  | 'def'
  | 'variable'
  | 'machine'
  | 'none';

/** The kind of value an option word takes (values.ts checks each). */
export type ValueKind =
  | 'TIME' // 250us, 10ms, 1.5s, or a number of seconds
  | 'PCT' // 1%, 0.5%
  | 'RATE' // 100kbit, 1mbit, 1gbit
  | 'N' // a whole number
  | 'PORT' // 1-65535
  | 'NAME' // a name nsh gives (namespace, interface)
  | 'HOST' // a hostname
  | 'ADDR' // an IP address
  | 'MACHINE' // a machine declared with `machine`
  | 'MODE' // one of the option's choices
  | 'FILE' // a quoted path
  | 'TEXT'; // any word

/** A word a statement may take after its positional words, in any order, at most once each. */
export interface OptionSpec {
  /** The option word as written (a keyword, or `&` / `<<<`). */
  readonly word: string;
  /** The kind of the word that follows; none for a word that stands alone (`off`, `&`). */
  readonly value?: ValueKind;
  /** How the value is shown in usage, when not the kind (`hostname HOST`). */
  readonly meta?: string;
  /** The values allowed, for a MODE. */
  readonly choices?: readonly string[];
  /** The lowest and highest value, for a TIME (in seconds) or an N. */
  readonly range?: readonly [number, number];
  /** A group of options that a statement may show as one in its usage (`[shaping options]`). */
  readonly group?: string;
  readonly help: string;
}

/**
 * One position of a form: a keyword or operator written as is (`<->`, `via`), or words filled in
 * (`min`..`max` of them) that `complete` completes.
 */
export type Slot =
  | { readonly kind: 'keyword'; readonly words: readonly string[]; readonly optional: boolean }
  | {
      readonly kind: 'word';
      /** How it is shown in usage (`NS.IF`, `ADDR`). */
      readonly meta: string;
      readonly complete: Completion;
      /** Words that are offered, and in a form are the only ones allowed (`default`). */
      readonly choices?: readonly string[];
      readonly min: 0 | 1;
      readonly max: 1 | typeof Infinity;
    }
  /** `{ … }`: a block of statements. */
  | { readonly kind: 'block' };

export interface StatementSpec {
  /** The keyword that starts it. */
  readonly name: string;
  /** The parser rule (src/syntax/parser.ts). */
  readonly rule: string;
  readonly help: string;
  /** Its forms: each a sequence of positions; the options may follow any of them. */
  readonly forms: readonly (readonly Slot[])[];
  /** Option words after the positional words, in any order. */
  readonly options: readonly OptionSpec[];
  /** Option words before the positional words, in any order (spawn's namespace types). */
  readonly leadingOptions?: readonly OptionSpec[];
  /** Option groups shown as one in usage: `[shaping options]`. */
  readonly collapse?: readonly string[];
  readonly examples: readonly string[];
}

// ---- building blocks ------------------------------------------------------------------------------

/** A keyword (or one of several: `tcp|udp`), or an operator. */
export const kw = (text: string, optional = false): Slot => ({ kind: 'keyword', words: text.split('|'), optional });
export const op = kw;
export const block: Slot = { kind: 'block' };
/** One word. */
export const one = (meta: string, complete: Completion = 'none', choices?: readonly string[]): Slot => ({
  kind: 'word', meta, complete, min: 1, max: 1, ...(choices ? { choices } : {}),
});
/** An optional word. */
export const maybe = (meta: string, complete: Completion = 'none', choices?: readonly string[]): Slot => ({
  kind: 'word', meta, complete, min: 0, max: 1, ...(choices ? { choices } : {}),
});
/** One or more words. */
export const some = (meta: string, complete: Completion = 'none'): Slot => ({ kind: 'word', meta, complete, min: 1, max: Infinity });
/** Any number of words. */
export const any = (meta: string, complete: Completion = 'none'): Slot => ({ kind: 'word', meta, complete, min: 0, max: Infinity });

export const stdin: OptionSpec = { word: '<<<', value: 'TEXT', meta: '"text"', help: 'the text on standard input' };
export const background: OptionSpec = { word: '&', help: 'run in the background ([1] PID is printed; $! holds the PID)' };

export const NS_TYPE_NAMES = NS_TYPES;

export const SHAPING = 'shaping options';
/** The shaping options of `shape` and `veth`. */
export const SHAPE_OPTIONS: readonly OptionSpec[] = [
  { word: 'delay', value: 'TIME', range: [0, 3600], group: SHAPING, help: 'delay what leaves by this much (netem)' },
  { word: 'jitter', value: 'TIME', range: [0, 3600], group: SHAPING, help: 'vary the delay by up to this much (needs delay)' },
  { word: 'loss', value: 'PCT', group: SHAPING, help: 'drop this share of the packets' },
  { word: 'duplicate', value: 'PCT', group: SHAPING, help: 'send this share of the packets twice' },
  { word: 'reorder', value: 'PCT', group: SHAPING, help: 'send this share of the packets at once, ahead of the delayed ones (needs delay)' },
  { word: 'corrupt', value: 'PCT', group: SHAPING, help: 'flip a bit in this share of the packets' },
  { word: 'rate', value: 'RATE', group: SHAPING, help: 'limit the rate (alone: a token bucket, tbf, which needs no netem)' },
  { word: 'limit', value: 'N', range: [1, 4294967295], group: SHAPING, help: 'the length of the queue, in packets (netem)' },
];
export const MACVLAN_MODE_NAMES = ['bridge', 'private', 'vepa', 'passthru'] as const;
