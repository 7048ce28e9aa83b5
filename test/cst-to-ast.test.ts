/** The CST visitor (src/syntax/cst-to-ast.ts) has a method for every rule of the parser. */
import * as assert from 'node:assert/strict';
import { AstBuilder } from '../src/syntax/cst-to-ast.js';
import { theParser } from '../src/syntax/parser.js';
import { makeSource } from '../src/syntax/source.js';

const at = { source: makeSource('t.ns', ''), offset: 0, line: 1 };

describe('the CST visitor', () => {
  it('has a method for every parser rule (validateVisitor passes)', () => {
    const builder = new AstBuilder(at, false);
    for (const rule of Object.keys(theParser(false).getGAstProductions())) {
      assert.equal(typeof (builder as unknown as Record<string, unknown>)[rule], 'function', rule);
    }
  });

  it('fails when it is built without the method of a rule', () => {
    class Missing extends AstBuilder {}
    Object.defineProperty(Missing.prototype, 'vethStmt', { value: undefined });
    assert.throws(() => new Missing(at, false), /Missing visitor method: <vethStmt>/);
  });
});
