/** Word expansion: variables, arithmetic, and the values that end a statement quietly. */
import * as assert from 'node:assert/strict';
import { tokenize } from '../src/syntax/lexer.js';
import { makeSource } from '../src/syntax/source.js';
import { parseWord } from '../src/syntax/words.js';
import { Scope, UNKNOWN } from '../src/runtime/environment.js';
import { expandText, expandWord, UnknownValue } from '../src/runtime/expand.js';

function word(text: string) {
  const at = { source: makeSource('t.ns', text), offset: 0, line: 1 };
  return parseWord(at, tokenize(at, text).tokens[0]!);
}

function expand(text: string, vars: Record<string, string | typeof UNKNOWN> = {}): string {
  const scope = new Scope();
  for (const [k, v] of Object.entries(vars)) scope.set(k, v);
  return expandWord(word(text).word, { scope, env: {} });
}

describe('expansion', () => {
  it('substitutes variables and arithmetic', () => {
    assert.equal(expand('a.$x', { x: 'v0' }), 'a.v0');
    assert.equal(expand('h${i+1}', { i: '4' }), 'h5');
  });

  it('computes exactly with nsh\'s integers, from -10^15 to 10^15, and stops outside', () => {
    assert.equal(expand('${999999999999999+1}'), '1000000000000000');
    assert.equal(expand('${-1000000000000000}'), '-1000000000000000');
    assert.equal(expand('${n*2}', { n: '500000000000000' }), '1000000000000000');
    assert.equal(expand('${7/2} ${-7/2} ${-7%3}'.split(' ').join('_')), '3_-3_-1');
    assert.throws(() => expand('${n*3}', { n: '500000000000000' }), /the result 1500000000000000 is out of range: nsh's integers are between -10\^15 and 10\^15/);
    assert.throws(() => expand('${n+1}', { n: '9007199254740993' }), /\$n is 9007199254740993, out of range/);
    const w = word('${9007199254740993}');
    assert.match(w.diagnostics[0]!.message, /the number 9007199254740993 is out of range/);
  });

  it('stops at an unknown value (a def parameter checked without a call)', () => {
    assert.throws(() => expand('a.$p', { p: UNKNOWN }), UnknownValue);
    assert.throws(() => expand('${p*2}', { p: UNKNOWN }), UnknownValue);
  });

  it('keeps a pid known only when the commands run as a piece of the text; where nsh reads the characters, it is an error', () => {
    const scope = new Scope();
    const pid = { kind: 'shell', name: 'nsh_job1' } as const;
    scope.set('!', [pid]);
    const vars = { scope, env: {} };
    assert.deepEqual(expandText(word('$!').word, vars), [pid]);
    assert.deepEqual(expandText(word('"x$!-$!"').word, vars), ['x', pid, '-', pid]);
    assert.equal(expandText(word('"plain"').word, vars), 'plain');
    assert.throws(() => expandWord(word('a$!').word, vars), /\$! holds a process id known only when the commands run, which cannot stand here/);
    assert.throws(() => expandWord(word('${!+1}').word, vars));
  });

  it('stops at a word with a syntax error, which the parser reported', () => {
    const w = word('"abc');
    assert.equal(w.diagnostics.length, 1);
    assert.ok(w.word.parts.some(p => p.kind === 'broken'));
    assert.equal(w.word.literal, undefined);
    assert.throws(() => expandWord(w.word, { scope: new Scope(), env: {} }), UnknownValue);
  });
});
