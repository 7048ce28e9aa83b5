/** The files that scripts/gen-grammar.mjs derives from the parser and the statement registry are current. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('generated files', () => {
  it('are what scripts/gen-grammar.mjs writes (npm run grammar)', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/gen-grammar.mjs'), '--check'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});
