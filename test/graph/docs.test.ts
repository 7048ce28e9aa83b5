/** The pictures under docs/ are what `nsh graph` draws from their scripts now (scripts/graph-docs.sh). */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { repoRoot } from './golden-files.js';

describe('graph: the pictures in docs/', () => {
  it('are current (sh scripts/graph-docs.sh redraws them)', () => {
    const r = spawnSync('sh', ['scripts/graph-docs.sh', '--check'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});
