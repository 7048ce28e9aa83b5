/** Issue 7, kernel limits: reached with a sentence and a rollback, never a crash. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { assertClean, describeKernel, nshBin, root, scrub, writeScript } from '../cli-kernel/harness.js';
import { assertNoJobs, bigLab, killJobs } from './common.js';

function underLimit(ulimit: string, args: string[]) {
  const r = spawnSync('sh', ['-c', `${ulimit}; exec "$0" "$@"`, nshBin, ...args], {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describeKernel('stress: kernel limits', function () {
  this.timeout(300_000);
  afterEach(() => {
    killJobs();
    scrub();
  });

  it('a file-descriptor limit lower than the namespaces held: a sentence and a rollback', () => {
    const file = writeScript('fds.ns', bigLab('fd', 60, 3));
    const r = underLimit('ulimit -n 40', [file]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^\S+:\d+:\d+: error: .*nsh has too many files open \(raise the limit with ulimit -n\)$/m);
    assert.match(r.stderr, /nsh: removed what this run made \(\d+ objects\)/);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at |EMFILE/);
    assertClean();
    assertNoJobs();
  });

  it('the same limit hit by the REPL-less -e path, with a background job made first', () => {
    const r = underLimit('ulimit -n 30', ['-e', 'ns j0; in j0 sleep 7777 &; for i in 1..60 { ns j$i; veth j$i.v0 <-> host.jh$i }']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /too many files open/);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
    assertClean();
    assertNoJobs();
  });
});
