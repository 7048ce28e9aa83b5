/**
 * The job table's end (src/backend/linux/processes.ts): a built-in job that `kill` stopped says
 * its last words after the stop (a capture its count of packets); a teardown waits for them before
 * it takes the lab's namespaces. No kernel: the job is a promise, as a built-in job's is.
 */
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { Processes } from '../../src/backend/linux/processes.js';

describe('jobs: kill, then the end of the lab', () => {
  it('killAll() waits for the end of a built-in job that kill stopped, which `jobs` no longer lists', async () => {
    const procs = new Processes({ stdout: new PassThrough(), stderr: new PassThrough(), inheritStdin: false });
    const said: string[] = [];
    let stopped!: () => void;
    const ended = new Promise<void>(r => (stopped = r));
    // as a capture: its end comes a while after it is asked to stop, and it speaks then
    const exit = ended.then(() => {
      said.push('3 packets captured');
      return undefined;
    });
    const job = procs.adopt(['capture', 'b.v0'], exit, () => setTimeout(stopped, 50), { unwaited: true, announce: false });
    procs.kill([{ kind: 'job', id: job.id }]);
    assert.deepEqual(procs.list(), []);
    assert.deepEqual(said, []);
    await procs.killAll();
    assert.deepEqual(said, ['3 packets captured']);
  });

  it('a killed job that has ended is not waited for again', async () => {
    const procs = new Processes({ stdout: new PassThrough(), stderr: new PassThrough(), inheritStdin: false });
    let aborts = 0;
    const job = procs.adopt(['ping', '10.9.0.2'], Promise.resolve(undefined), () => aborts++, { announce: false });
    await new Promise(r => setImmediate(r));
    procs.kill([{ kind: 'job', id: job.id }]);
    await procs.killAll();
    assert.equal(aborts, 1);
  });
});
