/** What the parser tells its callers beyond the tree: whether an entry is unfinished (the REPL's "..."). */
import * as assert from 'node:assert/strict';
import { loadInline } from '../src/pipeline.js';

const incomplete = (text: string) => loadInline('repl', text).incomplete;

describe('an unfinished entry', () => {
  it('is one with an open "{" or an open string (the REPL continues a trailing backslash itself)', () => {
    assert.equal(incomplete('for i in 1..3 {\n'), true);
    assert.equal(incomplete('for i in 1..3 {\n  echo "i=$i"\n'), true);
    assert.equal(incomplete('def f {\n  for i in 1 2 {\n  }\n'), true);
    assert.equal(incomplete('echo "one\n'), true);
    assert.equal(incomplete("in a sh -c 'echo one\n"), true);
  });

  it('is not one with a statement that misses words: that is an error at once', () => {
    for (const text of ['veth\n', 'ns\n', 'route a\n', 'addr a.v0\n', 'veth a.v0 <->\n', 'for i in 1..3\n', 'shape a.v0 delay\n', 'let x =\n']) {
      const l = loadInline('repl', text);
      assert.equal(l.incomplete, false, JSON.stringify(text));
      assert.ok(l.diagnostics.length > 0, JSON.stringify(text));
    }
  });

  it('is not one with an error before the open "{"', () => {
    assert.equal(incomplete('veth a.v0 <-> <-> b.v0; for i in 1 2 {\n'), false);
    assert.equal(incomplete('for i in 1 2 { echo "${"\n'), false);
  });
});

describe('strings', () => {
  it('may span lines', () => {
    const l = loadInline('t.ns', 'in a sh -c "echo one\necho two"\nns b\n');
    assert.deepEqual(l.diagnostics, []);
    const s = l.program.statements[0]!;
    assert.equal(s.kind === 'in' && s.argv[2]!.literal, 'echo one\necho two');
    assert.equal(l.program.statements[1]!.span.line, 3);
  });
});
