/**
 * A broken statement hides nothing after it: the parser's recovery (src/syntax/recover.ts) reports
 * the problems of every later line, and the checker goes on with every statement that parsed, in
 * blocks too.
 */
import * as assert from 'node:assert/strict';
import { checkLoaded, loadInline } from '../src/pipeline.js';

/** Each problem as LINE:COL and the start of its message. */
async function problems(text: string): Promise<string[]> {
  const l = loadInline('t.ns', text);
  return (await checkLoaded(l, { env: {} })).map(d => `${d.span?.line}:${d.span?.col} ${d.message}`);
}

/** The statements as KIND@LINE, with a block's statements in brackets. */
function shape(text: string): string {
  const show = (ss: readonly { kind: string; span: { line: number }; body?: readonly unknown[] }[]): string =>
    ss.map(s => `${s.kind}@${s.span.line}${s.body ? `[${show(s.body as never)}]` : ''}`).join(' ');
  return show(loadInline('t.ns', text).program.statements as never);
}

const LATER = 'namespace "c" is named twice';

describe('recovery from syntax errors', () => {
  it('reports the lines after junk at the end of a statement', async () => {
    const p = await problems('ns a <-> b\nns 1b\nns c c\n');
    assert.deepEqual(p, [
      '1:6 unexpected "<->" after the statement; statements end at a new line or ";"',
      '2:4 namespace name "1b" may not start with "1"',
      `3:6 ${LATER}`,
    ]);
  });

  it('reports the lines after a "}" that closes nothing', async () => {
    const p = await problems('ns a\n}\nns c c\n');
    assert.deepEqual(p, ['2:1 "}" has no matching "{"', `3:6 ${LATER}`]);
  });

  it('reports the lines after a statement that misses words, each with its own message', async () => {
    const p = await problems('veth a.v0 b.v0\nns\nroute a 10.0.0.0/24 via\nns c c\n');
    assert.deepEqual(
      p.map(x => x.split(',')[0]),
      ['1:15 veth needs "<->" between the two ends', '2:3 ns needs at least one namespace name', '3:24 route needs a gateway address after "via"', `4:6 ${LATER}`],
    );
  });

  it('keeps the rest of a def body, and the statements after the def', async () => {
    const text = 'def f X {\n  bogus <->\n  ns 1b\n}\nf q\nns c c\n';
    assert.equal(shape(text), 'def@1[call@2 ns@3] call@5 ns@6');
    assert.deepEqual(await problems(text), [
      '2:9 unexpected "<->" after the statement; statements end at a new line or ";"',
      '3:6 namespace name "1b" may not start with "1"',
      `6:6 ${LATER}`,
    ]);
  });

  it('goes down nested blocks', async () => {
    const text = 'for i in 1 2 {\n  def g {\n    <-> x\n    ns 1b\n  }\n  ns 2b\n}\nns c c\n';
    assert.equal(shape(text), 'for@1[def@2[ns@4] ns@6] ns@8');
    assert.deepEqual(await problems(text), [
      '3:5 unexpected "<->"',
      '4:8 namespace name "1b" may not start with "1"',
      '6:6 namespace name "2b" may not start with "2"',
      `8:6 ${LATER}`,
    ]);
  });

  it('keeps the statements around a broken one on the same line', async () => {
    assert.equal(shape('ns a; veth a.v0 <->; ns b\n'), 'ns@1 ns@1');
  });

  it('reads on after a string that is never closed as if it ended with its line', async () => {
    const text = 'ns a\necho "never closed\nns c c\n';
    assert.equal(shape(text), 'ns@1 echo@2 ns@3');
    assert.deepEqual(await problems(text), ['2:6 unterminated string: expected a closing "', `3:6 ${LATER}`]);
    assert.deepEqual(await problems("in a sh -c 'x\nns c c\n"), ["1:12 unterminated string: expected a closing '", `2:6 ${LATER}`]);
  });

  it('still takes a string that spans lines and is closed for one word', async () => {
    assert.equal(shape('ns\nin a sh -c "one\ntwo"\nns c\n'), 'in@2 ns@4');
  });

  it('says that an unclosed block is never closed, once, at the innermost "{"', async () => {
    const p = await problems('ns a\nfor i in 1 2 {\n  def g {\n    ns b\n');
    assert.deepEqual(p, ['3:9 "{" is never closed']);
  });
});
