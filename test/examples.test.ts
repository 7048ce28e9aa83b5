/** Every example script passes `nsh check` and explains without error. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './helpers/run-cli.js';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples');

function scripts(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? scripts(path.join(dir, e.name)) : e.name.endsWith('.ns') ? [path.join(dir, e.name)] : [],
  );
}

describe('examples', () => {
  for (const file of scripts(examples)) {
    const name = path.relative(examples, file);
    it(`${name} checks and explains`, async () => {
      const checked = await runCli(['check', file]);
      assert.equal(checked.stderr, '');
      assert.equal(checked.code, 0);
      const explained = await runCli(['--explain', file]);
      assert.equal(explained.code, 0, explained.stderr);
      assert.match(explained.stdout, /^#!\/usr\/bin\/env bash/);
    });
  }
});
