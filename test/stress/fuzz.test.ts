/**
 * Issue 7, fuzzing: random valid and nearly valid programs through `check` and `--explain`,
 * in-process. No crash, no stack trace; every error in the form of the contract's section 5.
 */
import * as assert from 'node:assert/strict';
import { checkLoaded, explainProgram, loadInline } from '../../src/pipeline.js';
import { renderDiagnostic } from '../../src/syntax/diagnostics.js';
import { Rng, seed, size } from './common.js';
import { mutate, ProgramGen } from './gen.js';

/** file:line:col: error: one sentence / the line / a caret line [/ hint] */
function assertSection5(text: string, rendered: string, msg: string): void {
  const lines = rendered.split('\n');
  assert.match(lines[0]!, /^-e:\d+:\d+: (error|warning): \S.*$/, `first line: ${rendered}`);
  assert.match(lines[1] ?? '', /^ {2}\d+ \| /, `source line: ${rendered}`);
  assert.match(lines[2] ?? '', /^ {2} +\| [ \t]*\^+$/, `caret line: ${rendered}`);
  const [, line, col] = /^-e:(\d+):(\d+)/.exec(lines[0]!)!;
  const src = text.split('\n');
  assert.ok(Number(line) >= 1 && Number(line) <= src.length + 1, `line ${line} is in the program (${msg})`);
  assert.ok(Number(col) >= 1, `col ${col}`);
  for (const l of lines.slice(3)) assert.match(l, /^ {2}hint: \S/, `extra line: ${rendered}`);
  assert.doesNotMatch(rendered, /undefined|NaN|\[object|\n\s+at .*\(|Error:/, rendered);
}

async function oneProgram(text: string, mustBeValid: boolean): Promise<'ok' | 'errors'> {
  const loaded = loadInline('-e', text);
  const ds = await checkLoaded(loaded, { env: {} });
  if (mustBeValid) {
    assert.deepEqual(
      ds.map(d => renderDiagnostic(d)),
      [],
      `a valid program was rejected:\n${text}`,
    );
  }
  for (const d of ds) {
    assert.ok(d.span, `diagnostic without a place: ${d.message}\n--- program:\n${text}`);
    assert.ok(!d.message.includes('\n'), `message of more than one line: ${d.message}`);
    assertSection5(text, renderDiagnostic(d), text);
  }
  if (ds.some(d => d.severity === 'error')) return 'errors';
  const out = await explainProgram(loaded.program, 'fuzz', {});
  assert.equal(typeof out, 'string');
  assert.doesNotMatch(out, /undefined|NaN|\[object/, `explain output:\n${out}\n--- program:\n${text}`);
  return 'ok';
}

describe('stress: fuzzing check and --explain with generated programs', function () {
  this.timeout(3_600_000);
  const only = process.env['NSH_PROGRAM'];
  const total = only ? 1 : size(20_000, 100_000);

  it(`${total} programs, valid and nearly valid: no crash, every error in section-5 form`, async () => {
    const s = seed('fuzz');
    const t0 = Date.now();
    let valid = 0;
    let rejected = 0;
    let accepted = 0;
    for (let i = 0; i < total; i++) {
      // program k is made from seed+k alone: NSH_SEED=S NSH_PROGRAM=k replays it by itself
      const k = only ? Number(only) : i;
      const rng = new Rng(s + k);
      const len = rng.int(1, 25);
      const asIs = rng.chance(0.3);
      const program = new ProgramGen(rng).program(len);
      const text = asIs ? program : mutate(rng, program);
      try {
        const r = await oneProgram(text, asIs);
        if (asIs) valid++;
        else if (r === 'errors') rejected++;
        else accepted++;
      } catch (e) {
        if (e instanceof assert.AssertionError) throw new assert.AssertionError({ message: `program ${k} (NSH_SEED=${s} NSH_PROGRAM=${k}): ${e.message}` });
        throw new Error(`program ${k} (NSH_SEED=${s} NSH_PROGRAM=${k}) crashed the checker: ${(e as Error).stack}\n--- program:\n${text}`);
      }
    }
    console.log(
      `      ${total} programs (${valid} valid, ${rejected} mutants rejected, ${accepted} mutants still valid) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  });
});
