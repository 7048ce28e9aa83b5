/**
 * Golden files: expected output kept beside the tests. UPDATE_GOLDEN=1 rewrites them from what the
 * code prints now (review the diff before committing); a missing golden file is written and the
 * test fails once, so a new case is never green unseen.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (tests run from build/test/…). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const update = process.env.UPDATE_GOLDEN === '1';

/** Asserts that `actual` is the content of the golden `file` (or writes it, see above). */
export function expectGolden(file: string, actual: string): void {
  if (update || !fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    if (!update) assert.fail(`${path.relative(repoRoot, file)} did not exist; written now, review it`);
    return;
  }
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `differs from ${path.relative(repoRoot, file)} (UPDATE_GOLDEN=1 rewrites it)`);
}

/** Runs `fn` with `dir` as the working directory, so that messages name files relative to it. */
export async function inDir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return await fn();
  } finally {
    process.chdir(before);
  }
}
