/** The expected pictures under test/graph/golden/; UPDATE_GOLDEN=1 rewrites them, a missing one is written and fails. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const goldenDir = path.join(repoRoot, 'test/graph/golden');

export function matchesGolden(name: string, actual: string): void {
  const file = path.join(goldenDir, name);
  const update = process.env.UPDATE_GOLDEN === '1';
  if (update || !fs.existsSync(file)) {
    fs.mkdirSync(goldenDir, { recursive: true });
    fs.writeFileSync(file, actual);
    if (!update) assert.fail(`${name} did not exist; written now, review it`);
    return;
  }
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name} differs (UPDATE_GOLDEN=1 rewrites it)`);
}
