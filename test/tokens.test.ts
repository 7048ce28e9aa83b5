/** The tokens' first-character hints (src/syntax/tokens.ts), which the lexer's dispatch table is built from. */
import * as assert from 'node:assert/strict';
import { tokenize } from '../src/syntax/lexer.js';
import { makeSource } from '../src/syntax/source.js';
import { PlainWord, whiteSpaceCodes } from '../src/syntax/tokens.js';

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
});
