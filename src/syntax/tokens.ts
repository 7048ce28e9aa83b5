/**
 * nsh's tokens. Everything that is not an operator is a Word; keywords are Words too
 * (token category), so `in a hostname` or `ns up` still work where a plain word is expected.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { keywordNames } from './keywords.js';

// Every token gives its first characters (a string pattern, or start_chars_hint) and says whether
// it can hold a line break (line_breaks): otherwise Chevrotain's Lexer works both out from each
// regular expression, parsing it, at every start of nsh (~15 ms of the lexer's ~25).
export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t]+/,
  group: Lexer.SKIPPED,
  start_chars_hint: [' ', '\t'],
  line_breaks: false,
});
export const LineContinuation = createToken({
  name: 'LineContinuation',
  pattern: /\\\r?\n/,
  group: Lexer.SKIPPED,
  start_chars_hint: ['\\'],
  line_breaks: true,
});
export const Comment = createToken({
  name: 'Comment',
  pattern: /#[^\n]*/,
  group: Lexer.SKIPPED,
  start_chars_hint: ['#'],
  line_breaks: false,
});
export const Newline = createToken({
  name: 'Newline',
  pattern: /\r?\n/,
  start_chars_hint: ['\r', '\n'],
  line_breaks: true,
  label: 'end of line',
});
export const Semicolon = createToken({ name: 'Semicolon', pattern: ';', line_breaks: false, label: '";"' });
export const LBrace = createToken({ name: 'LBrace', pattern: '{', line_breaks: false, label: '"{"' });
export const RBrace = createToken({ name: 'RBrace', pattern: '}', line_breaks: false, label: '"}"' });
export const BiArrow = createToken({ name: 'BiArrow', pattern: '<->', line_breaks: false, label: '"<->"' });
export const Arrow = createToken({ name: 'Arrow', pattern: '->', line_breaks: false, label: '"->"' });
export const HereString = createToken({ name: 'HereString', pattern: '<<<', line_breaks: false, label: '"<<<"' });
// `&&` is not nsh, but a token of its own lets the parser say so.
export const AndAnd = createToken({ name: 'AndAnd', pattern: '&&', line_breaks: false, label: '"&&"' });
export const Amp = createToken({ name: 'Amp', pattern: '&', line_breaks: false, label: '"&"' });
export const Bang = createToken({ name: 'Bang', pattern: '!', line_breaks: false, label: '"!"' });

// One shell-like word: bare characters, "double" and 'single' quoted parts, ${…} and \x escapes.
// A word may not start with # (a comment) or ! (negation); "-" is part of a word unless it starts "->".
// Unterminated quotes and ${ are taken in whole so the word checker can name them precisely.
// Strings may span lines (an unterminated one runs to the end of the input and is reported where
// it starts); ${…} ends on its line.
// (written as runs of plain characters between escapes, so that a long string is one step of
// the regular expression engine per escape, not per character)
const dq = String.raw`"[^"\\]*(?:\\[\s\S][^"\\]*)*"?`;
const sq = String.raw`'[^']*'?`;
const brace = String.raw`\$\{[^}\n]*\}?`;
const esc = String.raw`\\[^\n]`;
// A run of plain characters comes first: most words are nothing else, and match in one step.
const plainRun = String.raw`[^\s;{}&<>|"'\\$-]+`;
const firstPiece = `(?:${dq}|${sq}|${brace}|${esc}|-(?!>)|[^\\s;{}&<>|"'\\\\#!-])`;
const restPiece = `(?:${plainRun}|${dq}|${sq}|${brace}|\\$|${esc}|-(?!>))`;
// Chevrotain cannot derive the first characters of this pattern (a negated class), so they are
// listed: every UTF-16 code unit except white space and ; { } & < > | # !. With the hint the lexer
// keeps its first-character dispatch table, several times faster than trying every pattern.
// White space is what /\s/ matches, listed (testing /\s/ on each of the 65,536 code units took
// 13 ms at each start; test/tokens.test.ts checks that the list is still /\s/).
export const whiteSpaceCodes: readonly number[] = [
  0x9, 0xa, 0xb, 0xc, 0xd, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
  0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
];
const notFirst = new Uint8Array(0x10000);
for (const c of whiteSpaceCodes) notFirst[c] = 1;
for (const c of ';{}&<>|#!') notFirst[c.charCodeAt(0)] = 1;
// Chevrotain's dispatch table has one entry per code unit below 256 and one per block of 255
// above (its charCodeToOptimizedIndex), so above 255 one code unit of a block stands for the
// whole block: 497 hints instead of 65,502, which Chevrotain's Lexer went through at each start
// (~4 ms). test/tokens.test.ts lexes a word starting with each of the 65,536 code units.
// (block by block, not code unit by code unit: a loop over 65,536 took ~2 ms at each start)
const wordStarts: number[] = [];
for (let c = 0; c < 256; c++) if (!notFirst[c]) wordStarts.push(c);
for (let block = Math.floor(256 / 255); block <= Math.floor(0xffff / 255); block++) {
  for (let c = Math.max(256, block * 255); c <= Math.min(0xffff, block * 255 + 254); c++) {
    if (notFirst[c]) continue;
    wordStarts.push(c);
    break;
  }
}

/** Any word, keyword or not: a category that the grammar consumes wherever a plain value goes. */
export const Word = createToken({ name: 'Word', pattern: Lexer.NA, label: 'a word' });

/** A word that is not a keyword: what the lexer emits for every word but the keywords. */
export const PlainWord = createToken({
  name: 'PlainWord',
  pattern: new RegExp(`${firstPiece}${restPiece}*`),
  start_chars_hint: wordStarts,
  // a string in it may span lines
  line_breaks: true,
  label: 'a word',
});

// One token per keyword of keywords.ts. The lexer takes the first pattern that matches (a longer
// word only through longer_alt), so a keyword comes before every keyword it starts with: "include"
// before "in", "pingall" before "pin".
const keywordTokens = new Map<string, TokenType>(
  [...keywordNames]
    .sort((a, b) => b.length - a.length)
    .map(name => [
      name,
      createToken({
        name: name[0]!.toUpperCase() + name.slice(1),
        pattern: name,
        line_breaks: false,
        longer_alt: PlainWord,
        label: `"${name}"`,
      }),
    ]),
);

/**
 * Puts `members` in the category `parent`, as createToken's `categories` option would, in one pass:
 * given to createToken, each new member has Chevrotain go over all the members so far again
 * (~80 keywords: thousands of steps through lodash at every start). The Lexer and the parser
 * work the category's matches out again from CATEGORIES when they are built.
 */
function inCategory(parent: TokenType, members: readonly TokenType[]): void {
  for (const t of [...members].sort((a, b) => a.tokenTypeIdx! - b.tokenTypeIdx!)) {
    t.CATEGORIES = [parent];
    parent.categoryMatchesMap![t.tokenTypeIdx!] = true;
    parent.categoryMatches!.push(t.tokenTypeIdx!);
  }
  parent.isParent = true;
}
inCategory(Word, [PlainWord, ...keywordTokens.values()]);

/** The token of a keyword listed in keywords.ts. */
export function keyword(name: string): TokenType {
  const t = keywordTokens.get(name);
  if (!t) throw new Error(`"${name}" is not in the keyword list (keywords.ts)`);
  return t;
}

export const Ns = keyword('ns');
export const Del = keyword('del');
export const Veth = keyword('veth');
export const Bridge = keyword('bridge');
export const Attach = keyword('attach');
export const Addr = keyword('addr');
export const Up = keyword('up');
export const Down = keyword('down');
export const Move = keyword('move');
export const Route = keyword('route');
export const Forward = keyword('forward');
export const Sysctl = keyword('sysctl');
export const In = keyword('in');
export const Pingall = keyword('pingall');
export const Show = keyword('show');
export const Info = keyword('info');
export const Same = keyword('same');
export const Pin = keyword('pin');
export const Spawn = keyword('spawn');
export const For = keyword('for');
export const Def = keyword('def');
export const Let = keyword('let');
export const Include = keyword('include');
export const Echo = keyword('echo');
export const Sleep = keyword('sleep');
export const Jobs = keyword('jobs');
export const Wait = keyword('wait');
export const Kill = keyword('kill');
// words with a meaning inside statements
export const Hostname = keyword('hostname');
export const Mtu = keyword('mtu');
export const As = keyword('as');
export const At = keyword('at');
export const Pid = keyword('pid');
export const Via = keyword('via');
export const Dev = keyword('dev');
export const Uts = keyword('uts');
export const Ipc = keyword('ipc');
export const Mnt = keyword('mnt');
export const Net = keyword('net');
export const User = keyword('user');
// v2
export const Shape = keyword('shape');
export const Capture = keyword('capture');
export const Await = keyword('await');
export const Vlan = keyword('vlan');
export const Macvlan = keyword('macvlan');
export const Nat = keyword('nat');
export const Publish = keyword('publish');
export const Machine = keyword('machine');
export const Vxlan = keyword('vxlan');
export const Remote = keyword('remote');
export const Local = keyword('local');
export const On = keyword('on');
export const Off = keyword('off');
export const Untagged = keyword('untagged');
export const To = keyword('to');
export const Count = keyword('count');
export const Tcp = keyword('tcp');
export const Udp = keyword('udp');
export const Reach = keyword('reach');
export const Timeout = keyword('timeout');
export const Mode = keyword('mode');
export const Ssh = keyword('ssh');
export const Port = keyword('port');

export const allTokens: readonly TokenType[] = [
  WhiteSpace, LineContinuation, Comment, Newline, Semicolon, LBrace, RBrace,
  BiArrow, Arrow, HereString, AndAnd, Amp, Bang,
  ...keywordTokens.values(),
  PlainWord,
  Word,
];
