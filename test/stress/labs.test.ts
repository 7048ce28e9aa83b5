/**
 * Issue 7, fuzzing on the kernel: random valid labs from the generator run for real through
 * bin/nsh, then `nsh down` leaves nothing.
 */
import * as assert from 'node:assert/strict';
import { assertClean, describeKernel, nsh, scrub, writeScript } from '../kernel/harness.js';
import { LONG, Rng, seed, size } from './common.js';
import { ProgramGen } from './gen.js';

describeKernel('stress: random valid labs on the kernel', function () {
  this.timeout(3_600_000);
  afterEach(scrub);
  const total = size(30, 300);

  // quick mode leaves this out for now: a generated lab can hang (under investigation, see the report)
  (LONG ? it : it.skip)(`${total} generated labs run, then are torn down to nothing`, () => {
    const s = seed('labs');
    const rng = new Rng(s);
    const t0 = Date.now();
    let statements = 0;
    for (let k = 0; k < total; k++) {
      const text = new ProgramGen(new Rng(s + k), 'f').program(rng.int(5, 40));
      statements += text.split('\n').length;
      const file = writeScript(`fz${k}.ns`, text);
      const run = nsh(['--name', 'fz', file], { timeoutMs: 60_000 });
      assert.equal(run.code, 0, `lab ${k} (seed ${s}) failed:\n${run.stderr}\n--- program:\n${text}`);
      assert.doesNotMatch(run.stderr, /internal error|\n\s+at /);
      const down = nsh(['down', '--all']);
      assert.equal(down.code, 0, `lab ${k}: down failed: ${down.stderr}\n--- program:\n${text}`);
      assertClean();
    }
    console.log(`      ${total} labs (${statements} lines) run and torn down in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});
