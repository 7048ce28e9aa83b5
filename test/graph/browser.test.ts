/**
 * The pictures in a real browser (headless Chromium, inside the sandbox): Mermaid's own parser and
 * renderer accept the .mmd text (its parser does not run in node), and the SVG parses as XML and
 * names every node and edge by its key. Mermaid is loaded from node_modules: no network.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toMermaid } from '../../src/graph/mermaid.js';
import { dotToSvg, toSvg } from '../../src/graph/svg.js';
import { toHtml } from '../../src/graph/html.js';
import { toDot } from '../../src/graph/dot.js';
import { topologyOf } from '../../src/graph/topology.js';
import { haveChromium, launchChromium, type OpenBrowser } from '../helpers/browser.js';
import { IN_SANDBOX } from '../backend-linux/kernel-sandbox.js';
import { repoRoot } from './golden-files.js';
import { all } from './snapshots.js';

const describeBrowser = IN_SANDBOX && haveChromium() ? describe : describe.skip;

describeBrowser('graph: the pictures in a browser', function () {
  let chromium: OpenBrowser;
  before(async () => {
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
  });

  for (const [name, snap] of Object.entries(all)) {
    it(`${name}: Mermaid parses and renders the .mmd, with every node's name`, async () => {
      const t = topologyOf(snap, { lab: name });
      const page = await chromium.browser.newPage();
      try {
        await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
        await page.addScriptTag({ path: path.join(repoRoot, 'node_modules/mermaid/dist/mermaid.min.js') });
        const r = await page.evaluate(async (text: string) => {
          const m = (globalThis as unknown as { mermaid: { initialize(o: object): void; parse(t: string): Promise<unknown>; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
          m.initialize({ startOnLoad: false, securityLevel: 'strict' });
          try {
            await m.parse(text);
            const { svg } = await m.render('g', text);
            return { svg };
          } catch (e) {
            return { error: String((e as Error).message ?? e) };
          }
        }, toMermaid(t));
        assert.equal('error' in r ? r.error : undefined, undefined, toMermaid(t));
        const svg = (r as { svg: string }).svg;
        for (const n of t.nodes) assert.ok(svg.includes(`>${n.label}<`), `${n.label} is in Mermaid's picture`);
        // a look at Mermaid's picture, for a person
        await page.evaluate((s: string) => {
          (globalThis as unknown as { document: { getElementById(id: string): { innerHTML: string } } }).document.getElementById('out').innerHTML = s;
        }, svg);
        fs.mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
        await page.setViewport({ width: 1200, height: 800 });
        await (await page.$('#out'))!.screenshot({ path: path.join(repoRoot, `test-results/graph-mermaid-${name}.png`) as `${string}.png` });
      } finally {
        await page.close();
      }
    });

    it(`${name}: the SVG parses as XML and names every node and edge`, async () => {
      const t = topologyOf(snap, { lab: name });
      const page = await chromium.browser.newPage();
      try {
        const r = await page.evaluate((text: string) => {
          // runs in the page: the browser's own XML parser
          type Doc = { querySelector(s: string): { textContent: string } | null; querySelectorAll(s: string): Iterable<{ id: string }>; documentElement: { nodeName: string } };
          const Parser = (globalThis as unknown as { DOMParser: new () => { parseFromString(t: string, type: string): Doc } }).DOMParser;
          const doc = new Parser().parseFromString(text, 'image/svg+xml');
          const err = doc.querySelector('parsererror');
          return {
            error: err ? err.textContent : null,
            root: doc.documentElement.nodeName,
            nodes: [...doc.querySelectorAll('g.node')].map(g => g.id),
            edges: [...doc.querySelectorAll('g.edge')].map(g => g.id),
          };
        }, await toSvg(t));
        assert.equal(r.error, null);
        assert.equal(r.root, 'svg');
        assert.deepEqual(r.nodes.sort(), t.nodes.map(n => n.key).sort());
        assert.deepEqual(r.edges.sort(), t.edges.map(e => e.key).sort());
      } finally {
        await page.close();
      }
    });
  }

  it('the self-contained page draws the picture and the table of links with no network', async () => {
    const t = topologyOf(all.campus!, { lab: 'campus' });
    const page = await chromium.browser.newPage();
    const requests: string[] = [];
    page.on('request', r => requests.push(r.url()));
    try {
      await page.setContent(toHtml(t, await dotToSvg(toDot(t))));
      const rows = await page.$$eval('#links-body tr', trs => trs.map(tr => tr.getAttribute('data-if')));
      const ends = t.edges.flatMap(e => [e.a, e.b]).filter(x => x.ns !== undefined && x.ifname !== undefined).map(x => `${x.ns}.${x.ifname}`);
      assert.deepEqual(rows, ends);
      assert.equal(await page.$eval('tr[data-if="sw.p2"] td.state', td => td.textContent), 'down');
      assert.equal(await page.$$eval('#graph g.node', gs => gs.length), t.nodes.length);
      assert.deepEqual(requests.filter(u => !u.startsWith('about:') && !u.startsWith('data:')), []);
    } finally {
      await page.close();
    }
  });
});
