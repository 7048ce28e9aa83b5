/**
 * Golden tests. Each test/golden/check/NAME.ns must fail `nsh check` with exactly the diagnostics in
 * NAME.err; each test/golden/explain/NAME.ns must explain to exactly NAME.sh; each
 * test/golden/valid/NAME.ns must pass `nsh check`. UPDATE_GOLDEN=1 rewrites the expected files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './helpers/run-cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/golden');
const update = process.env.UPDATE_GOLDEN === '1';

function cases(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir)).filter(f => f.endsWith('.ns')).sort();
}

/** Runs with the golden folder as working directory, so messages name files relatively. */
async function inDir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(path.join(root, dir));
  try {
    return await fn();
  } finally {
    process.chdir(before);
  }
}

function expectFile(file: string, actual: string): void {
  if (update || !fs.existsSync(file)) {
    fs.writeFileSync(file, actual);
    if (!update) assert.fail(`${path.basename(file)} did not exist; written now, review it`);
    return;
  }
  assert.equal(actual, fs.readFileSync(file, 'utf8'));
}

const ERROR_LINE = /^[^\s:][^:]*:\d+:\d+: error: \S.*$/;

describe('golden: invalid scripts', () => {
  const names = cases('check');
  it('has at least 60 distinct invalid inputs', () => {
    assert.ok(names.length >= 60, `only ${names.length} cases`);
    const texts = new Set(names.map(n => fs.readFileSync(path.join(root, 'check', n), 'utf8')));
    assert.equal(texts.size, names.length, 'two cases have the same text');
  });
  for (const name of names) {
    it(name, async () => {
      const r = await inDir('check', () => runCli(['check', name]));
      assert.equal(r.code, 2, `exit status: ${r.code}\n${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.doesNotMatch(r.stderr, /\n\s+at .*\(.*:\d+:\d+\)|internal error|Error:/, 'looks like a stack trace');
      const first = r.stderr.split('\n')[0]!;
      assert.match(first, ERROR_LINE, 'the first line is file:line:col: error: …');
      expectFile(path.join(root, 'check', name.replace(/\.ns$/, '.err')), r.stderr);
    });
  }
});

describe('golden: explain output', () => {
  for (const name of cases('explain')) {
    it(name, async () => {
      const r = await inDir('explain', () => runCli(['--explain', name]));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      expectFile(path.join(root, 'explain', name.replace(/\.ns$/, '.sh')), r.stdout);
    });
  }
});

describe('golden: valid scripts', () => {
  for (const name of cases('valid')) {
    it(name, async () => {
      const r = await inDir('valid', () => runCli(['check', name]));
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
    });
  }
});
