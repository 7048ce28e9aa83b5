/**
 * Golden tests. Each test/golden/check/NAME.ns must fail `nsh check` with exactly the diagnostics in
 * NAME.err; each test/golden/explain/NAME.ns must explain to exactly NAME.sh; each
 * test/golden/valid/NAME.ns must pass `nsh check` and explain to exactly NAME.out (what the
 * script means, statement by statement, loops and calls expanded). UPDATE_GOLDEN=1 rewrites the
 * expected files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectGolden, inDir as inFolder, repoRoot } from './helpers/golden.js';
import { runCli } from './helpers/run-cli.js';

const root = path.join(repoRoot, 'test/golden');

function cases(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir)).filter(f => f.endsWith('.ns')).sort();
}

/** Runs with the golden folder as working directory, so messages name files relatively. */
function inDir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  return inFolder(path.join(root, dir), fn);
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
      expectGolden(path.join(root, 'check', name.replace(/\.ns$/, '.err')), r.stderr);
    });
  }
});

describe('golden: explain output', () => {
  for (const name of cases('explain')) {
    it(name, async () => {
      const r = await inDir('explain', () => runCli(['--explain', name]));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      expectGolden(path.join(root, 'explain', name.replace(/\.ns$/, '.sh')), r.stdout);
    });
  }
});

describe('golden: valid scripts', () => {
  for (const name of cases('valid')) {
    it(name, async () => {
      const r = await inDir('valid', () => runCli(['check', name]));
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `${name}: ok\n`);
      const explained = await inDir('valid', () => runCli(['--explain', name]));
      assert.equal(explained.stderr, '');
      assert.equal(explained.code, 0);
      expectGolden(path.join(root, 'valid', name.replace(/\.ns$/, '.out')), explained.stdout);
    });
  }
});
