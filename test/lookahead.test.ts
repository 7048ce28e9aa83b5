/**
 * The parser's own lookahead (src/syntax/lookahead.ts) chooses as Chevrotain's LLk strategy does,
 * with the paths computed at start-up or taken from the table that the bundle build bakes in;
 * and a parser built from the baked grammar (src/syntax/grammar-bake.ts) parses as one that
 * recorded it: the same trees and the same errors, with and without recovery; the parsers make
 * their lookahead functions as they first need them, and choose as one that made all of them when
 * it was built (the first).
 */
import * as assert from 'node:assert/strict';
import { LLkLookaheadStrategy } from 'chevrotain';
import fc from 'fast-check';
import { theLexer } from '../src/syntax/lexer.js';
import { statementKeywordNames, subKeywordNames } from '../src/syntax/keywords.js';
import { TableLookahead } from '../src/syntax/lookahead.js';
import { bakeGrammar, grammarOfText, unbakeGrammar } from '../src/syntax/grammar-bake.js';
import { bakedGrammar, lookaheadBake, NshParser } from '../src/syntax/parser.js';
import { allTokens } from '../src/syntax/tokens.js';
import { allScripts } from './helpers/scripts.js';

// as the bundle holds it: through JSON
const { table, decisions } = JSON.parse(JSON.stringify(lookaheadBake())) as ReturnType<typeof lookaheadBake>;
const grammarText = JSON.parse(JSON.stringify(bakedGrammar()));
const grammar = grammarOfText(grammarText);

/** A parser with every lookahead function made when it is built, as Chevrotain makes them. */
function eager(p: NshParser): NshParser {
  p.makeAllLookahead();
  return p;
}

function parsers(recovering: boolean): NshParser[] {
  return [
    eager(new NshParser(recovering, new LLkLookaheadStrategy({ maxLookahead: 1 }))),
    new NshParser(recovering, new LLkLookaheadStrategy({ maxLookahead: 1 })),
    new NshParser(recovering, new TableLookahead(allTokens, undefined, 1)),
    new NshParser(recovering, new TableLookahead(allTokens, table, 1)),
    new NshParser(recovering, new TableLookahead(allTokens, table, 1), grammarText),
    // as the bundle builds it: each lookahead function made from the table and the decisions
    new NshParser(recovering, new TableLookahead(allTokens, table, 1, decisions), grammarText),
  ];
}
const plain = parsers(false);
const recovering = parsers(true);

const shown = (v: unknown) => JSON.stringify(v, (k, x) => (k === 'tokenType' ? x.name : k === 'resyncedTokens' ? x.length : x));

function same(text: string): void {
  const tokens = theLexer().tokenize(text).tokens;
  for (const ps of [plain, recovering]) {
    const [want, ...others] = ps.map(p => {
      p.input = [...tokens];
      const cst = p.program();
      return shown({ cst, errors: p.errors.map(e => ({ name: e.name, message: e.message, token: e.token, rules: e.context.ruleStack })) });
    });
    for (const got of others) assert.equal(got, want, JSON.stringify(text));
  }
}

describe('the parser lookahead', () => {
  it('has a table entry for every choice of the grammar', () => {
    assert.ok(Object.keys(table).length > 40);
    assert.ok(Object.keys(table).some(k => k.startsWith('statement/Alternation/')));
  });

  it('rebuilds from the baked grammar the productions that Chevrotain records', () => {
    assert.ok(grammar.rules.length > 40);
    assert.ok(Object.keys(grammar.follows).length > 40);
    const { rules, follows } = unbakeGrammar(grammar, allTokens);
    assert.deepEqual(JSON.parse(JSON.stringify(bakeGrammar(rules, follows))), grammar);
    const recorded = recovering[0]!.getGAstProductions();
    const rebuilt = recovering[4]!.getGAstProductions();
    assert.deepEqual(Object.keys(rebuilt), Object.keys(recorded));
    assert.equal(recovering[0]!.getSerializedGastProductions().length, rules.length);
    assert.deepEqual(recovering[4]!.getSerializedGastProductions(), recovering[0]!.getSerializedGastProductions());
  });

  it('has a decision for every production of the table (no production looks further than the parser)', () => {
    assert.deepEqual(Object.keys(decisions).sort(), Object.keys(table).sort());
    assert.ok(Object.values(decisions).includes(1), 'a choice with predicates');
  });

  it('makes the functions asked for from the table and decisions, without the rules\' productions', () => {
    const p = new NshParser(false, new TableLookahead(allTokens, table, 1, decisions), grammarText);
    const cache = p.getGAstProductions();
    p.input = theLexer().tokenize('ns a b\nveth a.v0 <-> b.v0 10.1.1.1/24\nfor x in 1 2 { up a.lo }\n').tokens;
    p.program();
    assert.deepEqual(p.errors, []);
    assert.deepEqual(Object.keys(cache).filter(name => Object.getOwnPropertyDescriptor(cache, name)!.get === undefined), []);
  });

  it('rebuilds a rule of the baked grammar only when it is first needed', () => {
    const p = new NshParser(false, new TableLookahead(allTokens, table, 1), grammarText);
    const cache = p.getGAstProductions();
    const built = () => Object.keys(cache).filter(name => Object.getOwnPropertyDescriptor(cache, name)!.get === undefined);
    assert.deepEqual(built(), []);
    p.input = theLexer().tokenize('ns a\n').tokens;
    p.program();
    assert.deepEqual(p.errors, []);
    assert.ok(built().includes('nsStmt'));
    assert.ok(!built().includes('vethStmt'), built().join(' '));
    // every rule, once asked for, is the one Chevrotain records
    assert.deepEqual(p.getSerializedGastProductions(), recovering[0]!.getSerializedGastProductions());
  });

  it('parses the examples and the golden inputs as Chevrotain does', () => {
    const scripts = allScripts();
    assert.ok(scripts.length > 50);
    for (const text of scripts) same(text);
  });

  it('parses random sequences of tokens as Chevrotain does', () => {
    const pieces = [
      ...statementKeywordNames, ...subKeywordNames,
      '<->', '->', '<<<', '&&', '&', '!', ';', '\n', '{', '}', 'a', 'b.c', '1', '"q"', '$x',
    ];
    const line = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map(ts => ts.join(' '));
    fc.assert(fc.property(line, same), { numRuns: 3000 });
    const program = fc.array(fc.tuple(fc.constantFrom(...statementKeywordNames), line), { maxLength: 8 }).map(ls => ls.map(([k, l]) => `${k} ${l}`).join('\n'));
    fc.assert(fc.property(program, same), { numRuns: 1500 });
  });
});
