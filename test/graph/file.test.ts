/**
 * `nsh graph FILE` of every example: the dry run's picture, with no privileges and nothing
 * changed. Its JSON and DOT match golden files; all five formats are written for every example.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toDot } from '../../src/graph/dot.js';
import { toMermaid } from '../../src/graph/mermaid.js';
import { FORMATS } from '../../src/graph/render.js';
import type { Topology } from '../../src/graph/topology.js';
import { runCli } from '../helpers/run-cli.js';
import { exampleScripts, goldenName, matchesGolden, repoRoot } from './golden-files.js';

/** Graphviz's SVG writes `-` as `&#45;`, and escapes what XML needs. */
const unescapeXml = (s: string) =>
  s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

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

  for (const file of exampleScripts()) {
    it(`${file}: all five formats are written, each what its format says`, async () => {
      const base = path.join(dir, path.basename(file, '.ns'));
      for (const ext of FORMATS) {
        const r = await runCli(['graph', path.join(repoRoot, file), '-o', `${base}.${ext}`]);
        assert.equal(r.code, 0, r.stderr);
      }
      const read = (ext: string) => fs.readFileSync(`${base}.${ext}`, 'utf8');
      const t = JSON.parse(read('json')) as Topology;
      const keys = [...t.nodes.map(n => n.key), ...t.edges.map(e => e.key)];
      assert.equal(read('dot'), toDot(t));
      // the SVG: Graphviz's layout of the DOT, which names the lab and gives every node and edge its key as id
      const svg = read('svg');
      assert.match(svg, /^<\?xml[^]*<svg/);
      assert.equal(unescapeXml(/<title>([^<]*)<\/title>/.exec(svg)![1]!), t.lab);
      const ids = new Set([...svg.matchAll(/ id="([^"]*)"/g)].map(m => unescapeXml(m[1]!)));
      for (const k of keys) assert.ok(ids.has(k), `${k} in the SVG`);
      assert.equal(read('mmd'), toMermaid(t));
      // the page: the same SVG and the JSON inlined, its script too, and nothing fetched from a network
      const html = read('html');
      assert.ok(html.startsWith('<!doctype html>'));
      assert.ok(html.includes(svg.slice(svg.indexOf('<svg'))), 'the SVG is inlined');
      assert.ok(html.includes(`<script type="application/json" id="topology">${read('json').replace(/</g, '\\u003c')}</script>`), 'the JSON is inlined');
      assert.doesNotMatch(html, /\b(src|href)="(?!#)|https?:\/\/(?!www\.w3\.org\/)/, 'no asset is fetched');
    });
  }

  it('a script with an error draws nothing and says why (exit 2)', async () => {
    const bad = path.join(dir, 'bad.ns');
    fs.writeFileSync(bad, 'ns a\nup a.nosuch\n');
    const r = await runCli(['graph', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.ns:2:4: error: there is no interface "nosuch" in namespace "a"/);
    assert.equal(r.stdout, '');
  });
});
