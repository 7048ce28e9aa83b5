/**
 * Every example script passes `nsh check`, and its `--explain` output is exactly the golden file
 * test/golden/explain/examples/PATH.sh (PATH: the script's path under examples/, without `.ns`).
 * Scripts are named relative to the repository's root, as a user running `nsh --explain
 * examples/…` in a checkout names them. UPDATE_GOLDEN=1 rewrites the golden files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectGolden, inDir, repoRoot } from './helpers/golden.js';
import { runCli } from './helpers/run-cli.js';

const golden = path.join(repoRoot, 'test/golden/explain/examples');

/** Every file under `dir`, as a path relative to it. */
function filesUnder(dir: string, under = ''): string[] {
  if (!fs.existsSync(path.join(dir, under))) return [];
  return fs.readdirSync(path.join(dir, under), { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? filesUnder(dir, path.join(under, e.name)) : [path.join(under, e.name)],
  );
}

const goldenFor = (example: string) => example.replace(/\.ns$/, '.sh');

describe('examples', () => {
  const examples = filesUnder(path.join(repoRoot, 'examples')).filter(f => f.endsWith('.ns')).sort();

  it('every golden explain file belongs to an example', () => {
    const expected = new Set(examples.map(goldenFor));
    assert.deepEqual(filesUnder(golden).filter(f => !expected.has(f)), [], 'golden files of no example: remove them');
  });

  for (const example of examples) {
    const file = path.join('examples', example);
    it(`${example} checks, and explains as its golden file says`, async () => {
      const checked = await inDir(repoRoot, () => runCli(['check', file]));
      assert.equal(checked.stderr, '');
      assert.equal(checked.code, 0);
      const explained = await inDir(repoRoot, () => runCli(['--explain', file]));
      assert.equal(explained.stderr, '');
      assert.equal(explained.code, 0);
      expectGolden(path.join(golden, goldenFor(example)), explained.stdout);
    });
  }
});
