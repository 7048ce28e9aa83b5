/**
 * `nsh graph FILE` of every example: the dry run's picture, with no privileges and nothing
 * changed. Its JSON and DOT match golden files; every format is written.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { exampleScripts, goldenName, matchesGolden, repoRoot } from './golden-files.js';

describe('graph: files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-graph-file-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const file of exampleScripts()) {
    it(`${file}: its picture from the dry run matches the golden JSON and DOT`, async () => {
      const out = path.join(dir, 'g.json');
      const json = await runCli(['graph', path.join(repoRoot, file), '-o', out]);
      assert.equal(json.code, 0, json.stderr);
      matchesGolden(`${goldenName(file)}.json`, fs.readFileSync(out, 'utf8'));
      const dot = await runCli(['graph', path.join(repoRoot, file)]);
      assert.equal(dot.code, 0, dot.stderr);
      matchesGolden(`${goldenName(file)}.dot`, dot.stdout);
    });
  }

  it('writes every format of a file, the SVG laid out by Graphviz', async () => {
    for (const ext of ['svg', 'dot', 'mmd', 'json', 'html']) {
      const out = path.join(dir, `router.${ext}`);
      const r = await runCli(['graph', path.join(repoRoot, 'examples/labs/router.ns'), '-o', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(fs.statSync(out).size > 100, ext);
    }
    assert.match(fs.readFileSync(path.join(dir, 'router.svg'), 'utf8'), /<svg[^]*<title>router<\/title>/);
  });

  it('a script with an error draws nothing and says why (exit 2)', async () => {
    const bad = path.join(dir, 'bad.ns');
    fs.writeFileSync(bad, 'ns a\nup a.nosuch\n');
    const r = await runCli(['graph', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.ns:2:4: error: there is no interface "nosuch" in namespace "a"/);
    assert.equal(r.stdout, '');
  });
});
