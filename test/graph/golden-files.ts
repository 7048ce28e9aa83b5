/**
 * The expected pictures under test/graph/golden/ (UPDATE_GOLDEN=1 rewrites them, a missing one is
 * written and fails), and the example scripts they are drawn from.
 */
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

/** Every example script, relative to the repository (examples/…/x.ns). */
export function exampleScripts(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ns')) out.push(rel);
    }
  };
  walk('examples');
  return out;
}

/** The golden name of an example: examples/labs/router.ns → file-labs-router. */
export const goldenName = (file: string) => `file-${file.replace(/^examples\//, '').replace(/\.ns$/, '').replace(/\//g, '-')}`;
