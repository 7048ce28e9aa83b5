/**
 * Issue 7, faults: nsh killed at random moments of a 200-namespace deploy (bridges, background
 * jobs, routes). After SIGKILL `nsh down --all` leaves nothing; after SIGINT or SIGTERM the run
 * rolls itself back (exit 130, or 143 for SIGTERM) and leaves nothing without any `down`.
 */
import * as assert from 'node:assert/strict';
import { assertClean, describeKernel, nshTimed, scrub, startNsh, writeScript, type TimedRun } from '../cli-kernel/harness.js';
import { assertNoJobs, bigLab, killJobs, netnsNow, Rng, RUN_TIMEOUT_MS, seed, size, until } from './common.js';

const N = 200;
/** the switch namespace and the 200 hosts */
const TOTAL = N + 1;

/** A deploy of the big lab; past RUN_TIMEOUT_MS it counts as hung (see startNsh). */
function deploy(file: string) {
  return startNsh([file], { timeoutMs: RUN_TIMEOUT_MS });
}

function hangs(what: string, r: TimedRun): string {
  return `${what}: exit ${r.code ?? r.signal}\n${r.stderr}${r.hung ? `\n--- hung:\n${r.hung}` : ''}`;
}

describeKernel('stress: signals in the middle of a 200-namespace deploy', function () {
  this.timeout(1_800_000);
  let file = '';
  before(() => {
    file = writeScript('big.ns', bigLab('n', N, 1));
  });
  afterEach(() => {
    killJobs();
    scrub();
  });

  it(`SIGKILL at random moments, then down --all leaves nothing (${size(10, 30)} kills)`, async () => {
    const rng = new Rng(seed('sigkill'));
    const kills = size(10, 30);
    let midway = 0;
    const t0 = Date.now();
    for (let k = 0; k < kills; k++) {
      // a random moment: after 0..200 namespaces exist, plus up to 5 ms more
      const at = rng.int(0, N);
      const { child, result: done } = deploy(file);
      await until(() => netnsNow().length >= at || child.exitCode !== null, 60_000, `${at} namespaces`);
      await new Promise(r => setTimeout(r, rng.int(0, 5)));
      child.kill('SIGKILL');
      const r = await done;
      const held = netnsNow().length;
      if (r.signal === 'SIGKILL' && held > 0 && held < TOTAL) midway++;
      assert.ok(!r.hung, hangs(`kill ${k}: the deploy`, r));
      const down = await nshTimed(['down', '--all'], { timeoutMs: RUN_TIMEOUT_MS });
      assert.ok(down.code === 0 && !down.hung, hangs(`kill ${k} (after ${at} namespaces): down --all`, down));
      assertClean();
      assertNoJobs();
    }
    console.log(`      ${kills} SIGKILLs (${midway} with the deploy half-done) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    assert.ok(midway >= kills / 2, `only ${midway} of ${kills} kills hit the deploy mid-way`);
  });

  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`${sig} at random moments: the run rolls back by itself, exit ${sig === 'SIGINT' ? 130 : 143}, nothing left (${size(8, 30)} signals)`, async () => {
      const rng = new Rng(seed(sig));
      const times = size(8, 30);
      let rolledBack = 0;
      const t0 = Date.now();
      for (let k = 0; k < times; k++) {
        const at = rng.int(1, N - 10);
        const { child, result: done } = deploy(file);
        await until(() => netnsNow().length >= at || child.exitCode !== null, 60_000, `${at} namespaces`);
        await new Promise(r => setTimeout(r, rng.int(0, 5)));
        child.kill(sig);
        const r = await done;
        assert.ok(!r.hung, hangs(`${sig} after ${at} namespaces`, r));
        if (r.code === 0) {
          // the deploy had finished before the signal came: the lab is up, as it should be
          const down = await nshTimed(['down', '--all'], { timeoutMs: RUN_TIMEOUT_MS });
          assert.ok(down.code === 0 && !down.hung, hangs('down --all', down));
        } else {
          assert.equal(r.code, sig === 'SIGINT' ? 130 : 143, hangs(`${sig} after ${at} namespaces`, r));
          assert.match(r.stderr, /nsh: interrupted/);
          assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, r.stderr);
          rolledBack++;
        }
        assertClean();
        assertNoJobs();
      }
      console.log(`      ${times} ${sig}s (${rolledBack} rolled back mid-deploy) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      assert.ok(rolledBack >= times / 2, `only ${rolledBack} of ${times} signals hit the deploy mid-way`);
    });
  }
});
