/**
 * Input past nsh's sizes (src/syntax/limits.ts) is an error with a place, never an overflow of the
 * stack or of a string's length; and a diagnostic on a very long line shows a cut of it.
 */
import * as assert from 'node:assert/strict';
import { checkLoaded, loadInline } from '../src/pipeline.js';
import { renderDiagnostic, type Diagnostic } from '../src/syntax/diagnostics.js';
import { MAX_EXPR_DEPTH, MAX_NESTING, MAX_WORD } from '../src/syntax/limits.js';

async function check(text: string): Promise<Diagnostic[]> {
  return checkLoaded(loadInline('t.ns', text), { env: {} });
}

function one(ds: Diagnostic[], message: RegExp, line: number, col: number): Diagnostic {
  assert.ok(ds.length >= 1, 'no diagnostic');
  const d = ds[0]!;
  assert.match(d.message, message);
  assert.deepEqual([d.span?.line, d.span?.col], [line, col]);
  return d;
}

describe('limits', function () {
  this.timeout(60_000);

  it('blocks nested too deep', async () => {
    const n = 260;
    const text = `${Array.from({ length: n }, (_, i) => `for i${i} in 1 {\n`).join('')}echo x\n${'}\n'.repeat(n)}`;
    one(await check(text), new RegExp(`blocks nest more than ${MAX_NESTING} deep`), MAX_NESTING + 1, 15);
    // as deep as allowed is fine
    const ok = `${'for i in 1 {\n'.repeat(MAX_NESTING)}echo x\n${'}\n'.repeat(MAX_NESTING)}`;
    assert.deepEqual(await check(ok), []);
  });

  it('a word longer than the limit, in a string or not', async () => {
    one(await check(`ns a\necho "${'a'.repeat(10_000_000)}"\n`), /this word is 10,000,002 characters; nsh allows at most 1,000,000/, 2, 6);
    one(await check(`echo ${'a-'.repeat(MAX_WORD)}\n`), /this word is 2,000,000 characters/, 1, 6);
    assert.deepEqual(await check(`echo "${'a b '.repeat(100_000)}"\n`), []);
  });

  it('an expression nested too deep', async () => {
    one(await check(`echo \${${'('.repeat(20_000)}1${')'.repeat(20_000)}}\n`), /the expression nests more than 100 deep/, 1, 8 + MAX_EXPR_DEPTH);
    one(await check(`echo \${${'-'.repeat(50_000)}1}\n`), /the expression nests more than 100 deep/, 1, 8 + MAX_EXPR_DEPTH);
  });

  it('a value that grows past the limit', async () => {
    const ds = await check(`let a = x\n${'let a = $a$a\n'.repeat(40)}`);
    // 2^20 characters after the 20th doubling, on line 21
    one(ds, /the value of this word is more than 1,000,000 characters/, 21, 9);
  });

  it('shows a cut of a very long line, around the culprit', async () => {
    const line = `echo ${'b'.repeat(100_000)}; up a.averyveryverylongname`;
    const d = one(await check(`${line}\n`), /interface name/, 1, line.indexOf('averyvery') + 1);
    const text = renderDiagnostic(d);
    assert.ok(text.length < 600, `${text.length} characters`);
    const [, source, caret] = text.split('\n');
    assert.match(source!, /^ {2}1 \| …b+; up a\.averyveryverylongname$/);
    assert.equal(caret!.indexOf('^'), source!.indexOf('averyvery'));
    assert.match(caret!, /\^{21}$/);
  });
});
