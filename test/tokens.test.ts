/** The tokens' first-character hints (src/syntax/tokens.ts), which the lexer's dispatch table is built from. */
import * as assert from 'node:assert/strict';
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { tokenize } from '../src/syntax/lexer.js';
import { makeSource } from '../src/syntax/source.js';
import { allTokens, PlainWord, whiteSpaceCodes, Word } from '../src/syntax/tokens.js';

const lex = (text: string) => tokenize({ source: makeSource('t.ns', text), offset: 0, line: 1 }, text);

describe('tokens', () => {
  it('lists as white space exactly the code units that /\\s/ matches', () => {
    const matched: number[] = [];
    for (let c = 0; c < 0x10000; c++) if (/\s/.test(String.fromCharCode(c))) matched.push(c);
    assert.deepEqual([...whiteSpaceCodes].sort((a, b) => a - b), matched);
  });

  it('starts a word at every code unit but white space and ; { } & < > | # !', () => {
    const notFirst = new Set([...whiteSpaceCodes, ...[...';{}&<>|#!'].map(c => c.charCodeAt(0))]);
    const wrong: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (notFirst.has(c)) continue;
      const r = lex(`${String.fromCharCode(c)}x`);
      const t = r.tokens[0];
      // keywords are words too (their own token types, category Word); none starts with these
      if (r.diagnostics.length > 0 || r.tokens.length !== 1 || t?.tokenType !== PlainWord) wrong.push(c.toString(16));
    }
    assert.deepEqual(wrong, []);
  });

  it('starts no word at white space or ; { } & < > | # !', () => {
    const wordAt0 = (text: string) => lex(text).tokens.some(t => t.tokenType === PlainWord && t.startOffset === 0);
    for (const c of ';{}&<>|#!') assert.equal(wordAt0(`${c}x`), false, c);
    for (const c of whiteSpaceCodes) assert.equal(wordAt0(`${String.fromCharCode(c)}x`), false, c.toString(16));
  });

  it('puts every keyword and PlainWord in the category Word, as createToken given `categories` does', () => {
    // the same tokens made again by createToken, those in a category given it there
    const word = createToken({ name: 'Word', pattern: Lexer.NA });
    const copies = allTokens.filter(t => t !== Word).map(t => createToken({ name: t.name, pattern: t.PATTERN!, ...(t.CATEGORIES?.length ? { categories: [word] } : {}) }));
    const names = (ts: readonly TokenType[], idxs: readonly number[] | undefined) => (idxs ?? []).map(i => ts.find(t => t.tokenTypeIdx === i)!.name).sort();
    const shape = (ts: readonly TokenType[]) =>
      ts.map(t => ({ name: t.name, categories: (t.CATEGORIES ?? []).map(c => c.name), matches: names(ts, t.categoryMatches), mapped: names(ts, Object.keys(t.categoryMatchesMap ?? {}).map(Number)), parent: t.isParent }));
    assert.deepEqual(shape(allTokens), shape([...copies, word]));
    assert.ok(names(allTokens, Word.categoryMatches).includes('Ns'));
  });
});

