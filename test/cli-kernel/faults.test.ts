/** Leak-freedom: SIGKILL mid-deploy, two labs at once. */
import * as assert from 'node:assert/strict';
import { assertClean, describeKernel, netnsList, nsh, nshAsync, nshTimed, scrub, writeScript } from './harness.js';

function bigLab(prefix: string, n: number): string {
  return `
for i in 1..${n} {
  ns ${prefix}$i
  veth ${prefix}$i.v0 <-> host.${prefix}h$i 10.\${i / 250}.\${i % 250}.1/30
  route ${prefix}$i default via 10.\${i / 250}.\${i % 250}.2
}
in ${prefix}1 sleep 60 &
`;
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 20));
  }
}

describeKernel('faults', function () {
  this.timeout(300_000);
  afterEach(scrub);

  it('kill -9 in the middle of a 200-namespace deploy, then down --all leaves nothing', async () => {
    const file = writeScript('big.ns', bigLab('n', 200));
    const child = nshAsync([file]);
    await until(() => netnsList().length >= 60, 60_000);
    child.kill('SIGKILL');
    await new Promise(r => child.once('exit', r));
    assert.ok(netnsList().length >= 60 && netnsList().length < 200, `killed mid-way (${netnsList().length} namespaces)`);
    const down = nsh(['down', '--all']);
    assert.equal(down.code, 0, down.stderr);
    assertClean();
  });

  it('two labs deployed at once do not disturb each other', async () => {
    const a = writeScript('la.ns', bigLab('a', 40).replace(/10\./g, '10.1'));
    const b = writeScript('lb.ns', bigLab('b', 40).replace(/10\./g, '10.2'));
    const runs = await Promise.all([nshTimed([a]), nshTimed([b])]);
    assert.deepEqual(runs.map(r => r.code), [0, 0], runs.map(r => r.stderr + (r.hung ?? '')).join('\n'));
    assert.equal(netnsList().length, 80);
    assert.equal(nsh(['down', 'la']).code, 0);
    assert.deepEqual(netnsList(), Array.from({ length: 40 }, (_, i) => `b${i + 1}`).sort());
    assert.equal(nsh(['down', 'lb']).code, 0);
    assertClean();
  });

  it('two runs racing for one namespace name: one wins, the other says so and leaves nothing', async () => {
    const runs = ['r1', 'r2'].map(name => nshTimed(['--name', name, '-e', 'ns contested; ns only_' + name]));
    const results = (await Promise.all(runs)).map(r => ({ code: r.code, err: r.stderr }));
    const codes = results.map(r => r.code).sort();
    if (codes[0] === 0 && codes[1] === 0) assert.fail('both runs made the same namespace');
    const loser = results.find(r => r.code !== 0);
    if (loser) assert.match(loser.err, /namespace "contested" already exists/);
    assert.ok(netnsList().includes('contested'));
    assert.equal(nsh(['down', '--all']).code, 0);
    assertClean();
  });
});
