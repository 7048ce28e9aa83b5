/** `--explain` across machines: a job's pid (`$!`) in the scripts of its machine and of another. */
import * as assert from 'node:assert/strict';
import { loadInline } from '../../src/pipeline.js';
import { explainAcross } from '../../src/machines/explain.js';

describe('machines: explain of $! across machines', () => {
  it('is the shell variable of the job on its machine, and said in words on another', async () => {
    const text = 'machine m2 ssh root@192.0.2.7\nns a\nns b on m2\nin b sleep 9 &\nin b kill -TERM $!\nin b cat <<< "was $!"\nin a echo "x$!"\necho "pid $!"\n';
    const l = loadInline('jobs.ns', text);
    assert.deepEqual(l.diagnostics, []);
    const out = await explainAcross(l.program, 'The iproute2 equivalent of jobs.ns', {}, 'jobs');
    assert.equal(typeof out, 'string', JSON.stringify(out));
    const [local, m2] = (out as string).split('# ---- m2 ----\n');
    assert.match(m2!, /^ip netns exec b sleep 9 &\nnsh_job1=\$!$/m);
    assert.match(m2!, /^ip netns exec b kill -TERM "\$\{nsh_job1\}"$/m);
    assert.match(m2!, /^ip netns exec b cat <<< 'was '"\$\{nsh_job1\}"$/m);
    assert.match(local!, /^ip netns exec a echo 'x<the pid of job 1 of m2>'$/m);
    assert.match(local!, /^echo 'pid <the pid of job 1 of m2>'$/m);
  });
});
