/**
 * Issue 7, concurrency: 8 nsh processes deploying and tearing down different labs at once, round
 * after round, without disturbing each other or leaving anything; and runs racing for one name.
 */
import * as assert from 'node:assert/strict';
import { assertClean, describeKernel, netnsList, nshTimed, scrub, writeScript, type TimedRun } from '../cli-kernel/harness.js';
import { assertNoJobs, bigLab, killJobs, labJobs, netnsNow, RUN_TIMEOUT_MS, size } from './common.js';

const WORKERS = 8;
const PER_LAB = 25;

/** nsh to its end, with the output as `out` and `err`; past RUN_TIMEOUT_MS it counts as hung (see startNsh). */
async function finished(args: string[]): Promise<TimedRun & { out: string; err: string }> {
  const r = await nshTimed(args, { timeoutMs: RUN_TIMEOUT_MS });
  return { ...r, out: r.stdout, err: r.stderr + (r.hung ? `\n--- hung:\n${r.hung}` : '') };
}

describeKernel('stress: labs deployed and torn down concurrently', function () {
  this.timeout(1_800_000);
  afterEach(() => {
    killJobs();
    scrub();
  });

  const rounds = size(3, 20);
  it(`${WORKERS} processes, each deploying and downing its own ${PER_LAB + 1}-namespace lab, ${rounds} rounds`, async () => {
    const t0 = Date.now();
    const labs = Array.from({ length: WORKERS }, (_, w) => {
      const p = `q${String.fromCharCode(97 + w)}`;
      // every lab checks its own wiring as it goes: a ping over its bridge
      const text = bigLab(p, PER_LAB, 100 + w) + `in ${p}1 ping 172.${16 + ((100 + w) % 16)}.${100 + w}.${PER_LAB} -c 1 -W 5\n`;
      return { p, file: writeScript(`${p}.ns`, text) };
    });
    const mine = (p: string) => netnsNow().filter(n => new RegExp(`^${p}(sw|\\d+)$`).test(n)).sort();
    const expected = (p: string) => [`${p}sw`, ...Array.from({ length: PER_LAB }, (_, i) => `${p}${i + 1}`)].sort();
    let deploys = 0;
    const worker = async ({ p, file }: { p: string; file: string }) => {
      for (let round = 0; round < rounds; round++) {
        const up = await finished([file]);
        assert.equal(up.code, 0, `${p} round ${round}: deploy failed: ${up.err}`);
        assert.match(up.out, /1 packets transmitted, 1 received/, `${p} round ${round}`);
        assert.deepEqual(mine(p), expected(p), `${p} round ${round}: its namespaces`);
        deploys++;
        const down = await finished(['down', p]);
        assert.equal(down.code, 0, `${p} round ${round}: down failed: ${down.err}`);
        assert.deepEqual(mine(p), [], `${p} round ${round}: left after down`);
      }
    };
    await Promise.all(labs.map(worker));
    assert.equal(deploys, WORKERS * rounds);
    assertClean();
    assertNoJobs();
    console.log(`      ${WORKERS}×${rounds} concurrent deploy+down rounds in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  const races = size(10, 40);
  it(`two runs racing for one namespace name: one wins, the other says so and leaves nothing (${races} races)`, async () => {
    const t0 = Date.now();
    for (let k = 0; k < races; k++) {
      // the loser has made namespaces and a host link of its own before it hits the contested name
      const runs = ['r1', 'r2'].map(name =>
        finished([
          '--name',
          name,
          '-e',
          `ns own_${name}; veth own_${name}.v0 <-> host.h_${name} 10.7.${name === 'r1' ? 1 : 2}.1/30; in own_${name} sleep 7777 &; ns contested; ns after_${name}`,
        ]),
      );
      const results = await Promise.all(runs);
      const winners = results.filter(r => r.code === 0);
      const losers = results.filter(r => r.code !== 0);
      assert.equal(winners.length, 1, `race ${k}: exits ${results.map(r => r.code).join(', ')}: ${results.map(r => r.err).join('\n')}`);
      const loser = losers[0]!;
      assert.equal(loser.code, 1);
      assert.match(loser.err, /error: namespace "contested" already exists/);
      assert.doesNotMatch(loser.err, /\n\s+at |internal error/);
      const won = results[0]!.code === 0 ? 'r1' : 'r2';
      const lost = won === 'r1' ? 'r2' : 'r1';
      assert.deepEqual(netnsList(), [`after_${won}`, 'contested', `own_${won}`].sort(), `race ${k}`);
      assert.equal(labJobs().length, 1, `race ${k}: only the winner's job runs`);
      assert.ok(!netnsNow().includes(`own_${lost}`));
      const down = await finished(['down', '--all']);
      assert.equal(down.code, 0, down.err);
      assertClean();
      assertNoJobs();
    }
    console.log(`      ${races} races for one name in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});
