/**
 * The bundle's edits of Chevrotain (scripts/package-edits.mjs) that rewrite a function: the
 * edited module, made here from the package's own file with the same edits, gives what the
 * package's own gives, on nsh's token types and on random ones.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { allTokens } from '../src/syntax/tokens.js';

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

const tokensFile = path.join(root, 'node_modules/chevrotain/lib/src/scan/tokens.js');
let dir: string;
let original: TokensModule;
let edited: TokensModule;

/**
 * A fresh copy of Chevrotain's tokens.js, with the build's edits if `edit`, importing lodash-es
 * from where it is (the package's own module is the one Chevrotain uses, with its own tokens).
 */
async function tokensModule(edit: boolean): Promise<TokensModule> {
  let text = readFileSync(tokensFile, 'utf8');
  if (edit) {
    const { packageEdits, replaceOnce } = (await import(pathToFileURL(path.join(root, 'scripts/package-edits.mjs')).href)) as Edits;
    const mine = packageEdits.filter(p => p.file.test(tokensFile));
    assert.equal(mine.length, 1);
    for (const [from, to] of mine[0]!.edits) text = replaceOnce(text, from, to, tokensFile, 'test');
    assert.match(text, /function lodashAugmentTokenTypes/);
  }
  const lodash = pathToFileURL(path.join(root, 'node_modules/lodash-es/lodash.js')).href;
  text = text.replace('from "lodash-es";', `from ${JSON.stringify(lodash)};`);
  const file = path.join(dir, edit ? 'edited.mjs' : 'original.mjs');
  writeFileSync(file, text);
  return (await import(pathToFileURL(file).href)) as TokensModule;
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
    original = await tokensModule(false);
    edited = await tokensModule(true);
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
});
