/**
 * The bundle's edits of Chevrotain (scripts/package-edits.mjs) that rewrite a function: the
 * edited module, made here from the package's own file with the same edits, gives what the
 * package's own gives, on nsh's token types (and on random ones where that is cheap).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inspect } from 'node:util';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createToken, type TokenType } from 'chevrotain';
import { allTokens, PlainWord, Word } from '../src/syntax/tokens.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Edits {
  packageEdits: { file: RegExp; edits: [string, string][] }[];
  replaceOnce(text: string, from: string, to: string, path: string, where: string): string;
}

/** A token type as Chevrotain's scan/tokens.js sees it. */
interface Tok {
  name: string;
  PATTERN?: unknown;
  CATEGORIES?: Tok | (Tok | undefined)[];
  tokenTypeIdx?: number;
  categoryMatches?: number[];
  categoryMatchesMap?: Record<number, boolean>;
  isParent?: boolean;
}

interface TokensModule {
  augmentTokenTypes(types: Tok[]): void;
  tokenIdxToClass: Record<number, Tok>;
  tokenShortNameIdx: number;
}

let dir: string;
let original: TokensModule;
let edited: TokensModule;

/** A package's file (under node_modules) as a URL. */
const url = (file: string) => pathToFileURL(path.join(root, 'node_modules', file)).href;

/**
 * A fresh copy of one of Chevrotain's files (scan/NAME.js), with the build's edits if `edit`,
 * importing the packages and the files beside it from where they are (the package's own module
 * is the one Chevrotain uses, with its own state). `more` is added at its end.
 */
async function chevrotainModule<T>(name: string, edit: boolean, more = ''): Promise<T> {
  const file = path.join(root, `node_modules/chevrotain/lib/src/scan/${name}.js`);
  let text = readFileSync(file, 'utf8');
  if (edit) {
    const { packageEdits, replaceOnce } = (await import(pathToFileURL(path.join(root, 'scripts/package-edits.mjs')).href)) as Edits;
    const mine = packageEdits.filter(p => p.file.test(file));
    assert.equal(mine.length, 1);
    for (const [from, to] of mine[0]!.edits) text = replaceOnce(text, from, to, file, 'test');
  }
  const packages: Record<string, string> = {
    'lodash-es': url('lodash-es/lodash.js'),
    '@chevrotain/utils': url('@chevrotain/utils/lib/src/api.js'),
    '@chevrotain/regexp-to-ast': url('@chevrotain/regexp-to-ast/lib/src/api.js'),
  };
  text = text.replace(/from "([^"]+)";/g, (_, spec: string) => `from ${JSON.stringify(spec.startsWith('./') ? url(`chevrotain/lib/src/scan/${spec.slice(2)}`) : packages[spec])};`);
  const copy = path.join(dir, `${name}-${edit ? 'edited' : 'original'}.mjs`);
  writeFileSync(copy, `${text}\n${more}`);
  return (await import(pathToFileURL(copy).href)) as T;
}

/** Everything augmentTokenTypes sets, of `toks` (in order) and of the module's table. */
function state(m: TokensModule, toks: readonly Tok[]) {
  const name = (t: Tok | undefined) => (t === undefined ? '(undefined)' : t.name);
  return {
    toks: toks.map(t => ({
      name: t.name,
      idx: t.tokenTypeIdx,
      categories: t.CATEGORIES === undefined ? 'none' : Array.isArray(t.CATEGORIES) ? t.CATEGORIES.map(name) : `single ${t.CATEGORIES.name}`,
      matches: t.categoryMatches,
      map: t.categoryMatchesMap === undefined ? undefined : Object.entries(t.categoryMatchesMap),
      parent: t.isParent,
      own: Object.keys(t),
    })),
    table: Object.entries(m.tokenIdxToClass).map(([k, t]) => [k, t.name]),
    next: m.tokenShortNameIdx,
  };
}

/** A small deterministic random generator. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/**
 * Runs `steps` on copies of the same token types in both modules, comparing the state after each
 * (or that both threw the same error).
 */
function same(make: () => Tok[], steps: ((toks: Tok[], m: TokensModule) => void)[]): void {
  const a = make();
  const b = make();
  for (const [i, step] of steps.entries()) {
    let ea: unknown, eb: unknown;
    try {
      step(a, original);
    } catch (e) {
      ea = e;
    }
    try {
      step(b, edited);
    } catch (e) {
      eb = e;
    }
    assert.equal(String(eb), String(ea), `step ${i}`);
    assert.deepEqual(state(edited, b), state(original, a), `step ${i}`);
  }
}

describe('package edits of Chevrotain', () => {
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nsh-edits-'));
    original = await chevrotainModule<TokensModule>('tokens', false);
    edited = await chevrotainModule<TokensModule>('tokens', true);
    assert.match(String(edited.augmentTokenTypes), /nshAssignCategories/);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('augmentTokenTypes: the same categories, indices and tables for nsh\'s token types, as createToken, the Lexer and the Parser run it', () => {
    // nsh's tokens as createToken first makes them (name, pattern), then in their categories
    // as tokens.ts puts them, then the Lexer's call and the Parser's (with an EOF)
    const make = () => allTokens.map(t => ({ name: t.name, PATTERN: t.PATTERN }) as Tok);
    const word = (toks: Tok[]) => toks.find(t => t.name === 'Word')!;
    same(make, [
      (toks, m) => {
        for (const t of toks) m.augmentTokenTypes([t]);
      },
      toks => {
        const w = word(toks);
        for (const t of toks.filter(t => allTokens.find(u => u.name === t.name)!.CATEGORIES?.length)) {
          t.CATEGORIES = [w];
          w.categoryMatchesMap![t.tokenTypeIdx!] = true;
          w.categoryMatches!.push(t.tokenTypeIdx!);
        }
        w.isParent = true;
      },
      (toks, m) => m.augmentTokenTypes(toks.slice()),
      (toks, m) => m.augmentTokenTypes([...toks, { name: 'EOF' }]),
    ]);
  });

  it('augmentTokenTypes: the same on random token types with categories (nested, shared, cyclic, single, missing)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed);
      const n = 1 + Math.floor(r() * 12);
      const make = () => {
        const rr = random(seed * 7919);
        const toks: Tok[] = Array.from({ length: n }, (_, i) => ({ name: `T${i}` }));
        for (const t of toks) {
          const k = rr();
          if (k < 0.3) continue;
          if (k < 0.4) t.CATEGORIES = toks[Math.floor(rr() * n)]!;
          else t.CATEGORIES = Array.from({ length: Math.floor(rr() * 4) }, () => (rr() < 0.1 ? undefined : toks[Math.floor(rr() * n)]!));
          if (rr() < 0.1) t.tokenTypeIdx = 1000 + Math.floor(rr() * 5);
        }
        return toks;
      };
      const pick = (toks: Tok[], rr: () => number) => toks.filter(() => rr() < 0.5);
      const rs = () => random(seed * 31);
      const ra = rs();
      const rb = rs();
      // (both copies pick the same subsets: each step has its own generator per copy)
      let turn = 0;
      same(make, [
        (toks, m) => m.augmentTokenTypes(pick(toks, turn++ % 2 === 0 ? ra : rb)),
        (toks, m) => m.augmentTokenTypes(toks),
        (toks, m) => m.augmentTokenTypes([...toks].reverse()),
        (toks, m) => m.augmentTokenTypes([...toks, ...toks]),
      ]);
    }
  });

  it('analyzeTokenTypes: the same configs, first-character table and flags for nsh\'s token types, by the plain loop', async () => {
    interface LexerModule {
      analyzeTokenTypes(types: readonly TokenType[], options: object): unknown;
      nshAnalyzeTokenTypes?(types: readonly TokenType[], options: object): unknown;
    }
    const own = await chevrotainModule<LexerModule>('lexer', false);
    const mine = await chevrotainModule<LexerModule>('lexer', true, 'export { nshAnalyzeTokenTypes };');
    // as the Lexer calls it (src/syntax/lexer.ts's options), and with the other position trackings
    for (const positionTracking of ['full', 'onlyStart', 'onlyOffset']) {
      const options = () => ({ lineTerminatorCharacters: ['\n', '\r'], positionTracking, ensureOptimizations: true, safeMode: undefined, tracer: (_: string, f: () => void) => f() });
      assert.notEqual(mine.nshAnalyzeTokenTypes!(allTokens, options()), undefined, 'the plain loop takes nsh\'s tokens');
      assert.deepStrictEqual(mine.analyzeTokenTypes(allTokens, options()), own.analyzeTokenTypes(allTokens, options()), positionTracking);
    }
    // a group of its own, a pattern of one escaped character, first characters in one block of the
    // table, longer_alt as a list: the same too
    const extra = [
      createToken({ name: 'G', pattern: 'gg', group: 'mine', line_breaks: false }),
      createToken({ name: 'E', pattern: /\+/, line_breaks: false, start_chars_hint: ['+', 0x4e00, '\u4e01', 0x4f00] }),
      createToken({ name: 'L', pattern: 'l', longer_alt: [PlainWord, Word], line_breaks: false }),
    ];
    const tokens = [...extra, ...allTokens];
    const options = () => ({ lineTerminatorCharacters: ['\n'], positionTracking: 'full', ensureOptimizations: false, tracer: (_: string, f: () => void) => f() });
    assert.notEqual(mine.nshAnalyzeTokenTypes!(tokens, options()), undefined);
    assert.deepStrictEqual(mine.analyzeTokenTypes(tokens, options()), own.analyzeTokenTypes(tokens, options()));
    // what it does not take is left to the package's own steps
    const unhinted = createToken({ name: 'U', pattern: /u+/ });
    assert.equal(mine.nshAnalyzeTokenTypes!([unhinted, ...allTokens], options()), undefined);
    assert.deepStrictEqual(mine.analyzeTokenTypes([unhinted, ...allTokens], options()), own.analyzeTokenTypes([unhinted, ...allTokens], options()));
  });
});

describe("package edits of lodash's has", () => {
  it('has(object, path): the same answer as the package\'s own on objects, arrays, array likes and paths of every kind', async () => {
    type Has = (object: unknown, path: unknown) => boolean;
    const file = path.join(root, 'node_modules/lodash-es/has.js');
    const { packageEdits, replaceOnce } = (await import(pathToFileURL(path.join(root, 'scripts/package-edits.mjs')).href)) as Edits;
    const mine = packageEdits.filter(p => p.file.test(file));
    assert.equal(mine.length, 1);
    let text = readFileSync(file, 'utf8');
    for (const [from, to] of mine[0]!.edits) text = replaceOnce(text, from, to, file, 'test');
    text = text.replace(/from '\.\/([^']+)';/g, (_, f: string) => `from ${JSON.stringify(url(`lodash-es/${f}`))};`);
    const tmp = mkdtempSync(path.join(tmpdir(), 'nsh-has-'));
    try {
      writeFileSync(path.join(tmp, 'has.mjs'), text);
      const edited = ((await import(pathToFileURL(path.join(tmp, 'has.mjs')).href)) as { default: Has }).default;
      const own = ((await import(url('lodash-es/has.js'))) as { default: Has }).default;
      assert.notEqual(String(edited), String(own));
      const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
      const args = (function (..._: unknown[]) {
        return arguments; // eslint-disable-line prefer-rest-params
      })(1, 2);
      const objects: unknown[] = [
        null, undefined, 0, 'abc', true, {}, { a: 1 }, { 'a.b': 1 }, { a: { b: 2 } }, { '': 1 }, { '0': 'x' }, { '[a]': 1 },
        Object.create({ inherited: 1 }), [1, 2], sparse, args, new Map([['a', 1]]), { modes: [], serializedGrammar: undefined },
        Object.assign(Object.create(null) as object, { k: 1 }),
      ];
      const paths: unknown[] = [
        'a', 'b', 'a.b', 'a[0]', '[a]', '', '0', '1', '2', '3', '01', '-0', 'length', 'inherited', 'modes', 'serializedGrammar',
        'k', 'x]', ']', '"a"', 'size', 0, 1, 2, -0, ['a', 'b'], ['a.b'], [], Symbol.iterator, null, undefined,
      ];
      for (const o of objects) for (const p of paths) assert.equal(edited(o, p), own(o, p), `has(${inspect(o)}, ${inspect(p)})`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
