/**
 * Issue 7, fuzzing on the kernel: random valid labs from the generator run for real through
 * bin/nsh, then `nsh down` leaves nothing. Lab k is made from seed+k alone, so one lab can be
 * replayed by itself: NSH_SEED=S NSH_LAB=k.
 */
import * as assert from 'node:assert/strict';
import { assertClean, describeKernel, nshTimed, scrub, writeScript, type TimedRun } from '../cli-kernel/harness.js';
import { assertNoJobs, killJobs, Rng, RUN_TIMEOUT_MS, seed, size } from './common.js';
import { ProgramGen } from './gen.js';

/** Lab k of a run seeded s. */
export function generatedLab(s: number, k: number): string {
  const rng = new Rng(s + k);
  return new ProgramGen(rng, 'f').program(rng.int(5, 40));
}

function explain(what: string, r: TimedRun, text: string): string {
  return `${what}: exit ${r.code ?? r.signal}\n${r.stderr}${r.hung ? `\n--- hung:\n${r.hung}` : ''}\n--- program:\n${text}`;
}

describeKernel('stress: random valid labs on the kernel', function () {
  this.timeout(0); // every nsh run has a timeout of its own
  afterEach(() => {
    killJobs();
    scrub();
  });
  const only = process.env['NSH_LAB'];
  const total = only ? 1 : size(30, 300);

  it(`${total} generated labs run, then are torn down to nothing`, async () => {
    const s = seed('labs');
    const t0 = Date.now();
    let statements = 0;
    for (let i = 0; i < total; i++) {
      const k = only ? Number(only) : i;
      const text = generatedLab(s, k);
      statements += text.split('\n').length;
      const file = writeScript(`fz${k}.ns`, text);
      const run = await nshTimed(['--name', 'fz', file], { timeoutMs: RUN_TIMEOUT_MS });
      const lab = `lab ${k} (NSH_SEED=${s} NSH_LAB=${k})`;
      assert.ok(!run.hung, explain(`${lab} hung`, run, text));
      assert.equal(run.code, 0, explain(`${lab} failed`, run, text));
      assert.doesNotMatch(run.stderr, /internal error|\n\s+at /, explain(lab, run, text));
      const down = await nshTimed(['down', '--all'], { timeoutMs: RUN_TIMEOUT_MS });
      assert.ok(!down.hung && down.code === 0, explain(`${lab}: down --all`, down, text));
      assertClean();
      assertNoJobs();
    }
    console.log(`      ${total} labs (${statements} lines) run and torn down in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});
