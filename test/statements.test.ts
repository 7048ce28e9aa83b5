/** The statement registry (src/syntax/statements.ts) and what is derived from it. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { keywordNames, statementKeywordNames } from '../src/syntax/keywords.js';
import { theParser } from '../src/syntax/parser.js';
import { usageLines } from '../src/syntax/statement-usage.js';
import { statements } from '../src/syntax/statements.js';
import { allTokens } from '../src/syntax/tokens.js';
import { usage } from '../src/syntax/usage.js';

describe('the statement registry', () => {
  it('has one entry per statement rule of the parser, and names only parser rules', () => {
    const rules = Object.keys(theParser(false).getGAstProductions()).filter(r => r.endsWith('Stmt') && r !== 'callStmt');
    assert.deepEqual(statements.map(s => s.rule).sort(), rules.sort());
    for (const s of statements) assert.equal(s.rule, `${s.name}Stmt`);
  });

  it('is plain data: its files import nothing but each other and the shared nouns of src/core', () => {
    for (const file of ['statements', 'statement-spec', 'statements-links', 'statements-programs', 'statements-edge', 'statement-usage']) {
      const text = fs.readFileSync(fileURLToPath(new URL(`../src/syntax/${file}.js`, import.meta.url)), 'utf8');
      const imports = text.match(/^\s*import\b.*$/gm) ?? [];
      const own = /from '\.\/(statements|statement-spec|statements-[a-z]+|statement-usage)\.js';$/;
      assert.deepEqual(imports.filter(l => !/from '\.\.\/core\/[a-z-]+\.js';$/.test(l) && !own.test(l)), [], file);
    }
  });

  it('gives the lexer its keywords: a token for each, and none else', () => {
    const tokenWords = allTokens.map(t => t.LABEL ?? '').filter(l => /^"[a-z]+"$/.test(l)).map(l => l.slice(1, -1));
    assert.deepEqual(tokenWords.sort(), [...keywordNames].sort());
    assert.deepEqual(statementKeywordNames, statements.map(s => s.name));
  });

  it('gives every statement its usage, an example, and a line of help', () => {
    for (const s of statements) {
      assert.ok(s.help.length > 0 && !s.help.includes('\n'), s.name);
      assert.ok(s.examples.length > 0, s.name);
      for (const e of s.examples) assert.ok(e.split('\n').some(l => l.startsWith(`${s.name} `) || l === s.name), `${s.name}: ${e}`);
      assert.equal(usage[s.rule], usageLines(s).join('  or  '));
      assert.equal(usage[s.rule], usageLines(s).join('  or  '), 'read again');
    }
    // (each line is made when first read: the keys are there, in order, from the start)
    assert.deepEqual(Object.keys(usage), [...new Set(statements.map(s => s.rule)), 'nsRef', 'block']);
    assert.deepEqual(Object.entries(usage).slice(-2), [['nsRef', 'NAME | host | pid N | "PATH"'], ['block', '{ statements }']]);
    assert.deepEqual(usageLines(statements.find(s => s.name === 'veth')!), ['veth NS.IF [ADDR…] <-> NS.IF [ADDR…] [mtu N] [shaping options]']);
  });
});
