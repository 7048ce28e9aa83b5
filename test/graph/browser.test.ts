/**
 * The pictures in a real browser (headless Chromium, inside the sandbox): Mermaid's own parser and
 * renderer accept the .mmd text (its parser does not run in node), and the SVG parses as XML and
 * names every node and edge by its key — for the hand-written snapshots and for the picture of
 * every example script (its dry run, as `nsh graph FILE` draws it). Mermaid (about 3 MB) is loaded
 * once, from node_modules: no network. Screenshots of the hand-written ones go to test-results/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'puppeteer-core';
import type { LabSnapshot } from '../../src/backend/backend.js';
import { labNameOfFile } from '../../src/core/lab.js';
import { toDot } from '../../src/graph/dot.js';
import { toHtml } from '../../src/graph/html.js';
import { toMermaid } from '../../src/graph/mermaid.js';
import { dotToSvg, toSvg } from '../../src/graph/svg.js';
import { topologyOf, type Topology } from '../../src/graph/topology.js';
import { checkAndPicture, loadScript } from '../../src/pipeline.js';
import { IN_SANDBOX } from '../backend-linux/kernel-sandbox.js';
import { haveChromium, launchChromium, type OpenBrowser } from '../helpers/browser.js';
import { exampleScripts, repoRoot } from './golden-files.js';
import { all } from './snapshots.js';

const describeBrowser = IN_SANDBOX && haveChromium() ? describe : describe.skip;
const shots = path.join(repoRoot, 'test-results');

/** A picture to check: its name, its topology, and whether a person gets a screenshot of it. */
interface Picture {
  readonly name: string;
  readonly topology: () => Promise<Topology>;
  readonly shot: boolean;
}

async function ofExample(file: string): Promise<Topology> {
  const { diagnostics, snapshot } = await checkAndPicture(loadScript(path.join(repoRoot, file)), { env: process.env });
  assert.deepEqual(diagnostics, [], file);
  return topologyOf(snapshot, { lab: labNameOfFile(file) });
}

const pictures: Picture[] = [
  ...Object.entries(all).map(([name, snap]: [string, LabSnapshot]) => ({ name, topology: async () => topologyOf(snap, { lab: name }), shot: true })),
  ...exampleScripts().map(file => ({ name: file, topology: () => ofExample(file), shot: false })),
];

type MermaidResult = { svg: string } | { error: string };

/** In the page: Mermaid parses and renders `text` under the id given. */
async function renderMermaid(page: Page, id: string, text: string): Promise<MermaidResult> {
  // a tab in the background gets no animation frames, which Mermaid's layout waits for
  await page.bringToFront();
  return page.evaluate(
    async (id: string, text: string) => {
      const m = (globalThis as unknown as { mermaid: { parse(t: string): Promise<unknown>; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
      try {
        await m.parse(text);
        return { svg: (await m.render(id, text)).svg };
      } catch (e) {
        return { error: String((e as Error).message ?? e) };
      }
    },
    id,
    text,
  );
}

describeBrowser('graph: the pictures in a browser', function () {
  let chromium: OpenBrowser;
  /** One page with Mermaid loaded, for every .mmd. */
  let mermaid: Page;
  /** One page for the SVGs. */
  let plain: Page;

  before(async () => {
    chromium = await launchChromium();
    mermaid = await chromium.browser.newPage();
    await mermaid.setViewport({ width: 1200, height: 800 });
    await mermaid.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await mermaid.addScriptTag({ path: path.join(repoRoot, 'node_modules/mermaid/dist/mermaid.min.js') });
    await mermaid.evaluate(() => {
      (globalThis as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    });
    plain = await chromium.browser.newPage();
    fs.mkdirSync(shots, { recursive: true });
  });
  after(async () => {
    await chromium?.close();
  });

  pictures.forEach((p, i) => {
    it(`${p.name}: Mermaid parses and renders the .mmd, with every node's name`, async () => {
      const t = await p.topology();
      const text = toMermaid(t);
      const r = await renderMermaid(mermaid, `g${i}`, text);
      assert.equal('error' in r ? r.error : undefined, undefined, text);
      const svg = (r as { svg: string }).svg;
      for (const n of t.nodes) assert.ok(svg.includes(`>${n.label}<`), `${n.label} is in Mermaid's picture`);
      if (!p.shot) return;
      // a look at Mermaid's picture, for a person
      await mermaid.evaluate((s: string) => {
        (globalThis as unknown as { document: { getElementById(id: string): { innerHTML: string } } }).document.getElementById('out').innerHTML = s;
      }, svg);
      await (await mermaid.$('#out'))!.screenshot({ path: path.join(shots, `graph-mermaid-${p.name}.png`) as `${string}.png` });
    });

    it(`${p.name}: the SVG parses as XML and names every node and edge`, async () => {
      const t = await p.topology();
      const r = await plain.evaluate((text: string) => {
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
    });
  });

  /** The self-contained page of a snapshot, opened with no network; what it asked for. */
  async function openPage(name: string): Promise<{ page: Page; t: Topology; requests: string[] }> {
    const t = topologyOf(all[name]!, { lab: name });
    const page = await chromium.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const requests: string[] = [];
    page.on('request', r => requests.push(r.url()));
    await page.setContent(toHtml(t, await dotToSvg(toDot(t))));
    return { page, t, requests };
  }
  const cell = (page: Page, ifname: string, cls: string) => page.$eval(`tr[data-if="${ifname}"] td.${cls}`, td => td.textContent ?? '');

  it('the self-contained page draws the picture and the table of links with no network: VLANs, shaping, tunnels, macvlans', async () => {
    const { page, t, requests } = await openPage('campus');
    try {
      const rows = await page.$$eval('#links-body tr', trs => trs.map(tr => tr.getAttribute('data-if')));
      const ends = t.edges.flatMap(e => [e.a, e.b]).filter(x => x.ns !== undefined && x.ifname !== undefined).map(x => `${x.ns}.${x.ifname}`);
      assert.deepEqual(rows, ends);
      assert.equal(await cell(page, 'sw.p2', 'state'), 'down');
      assert.equal(await page.$$eval('#graph g.node', gs => gs.length), t.nodes.length);
      // what the v2 statements make, in the table
      assert.equal(await cell(page, 'gw.trunk', 'shape'), 'delay 10ms jitter 1ms loss 0.5%');
      assert.equal(await cell(page, 'dc.ext', 'shape'), 'rate 100mbit, mtu 9000');
      assert.equal(await cell(page, 'gw.trunk', 'addrs'), 'trunk.10 (vlan 10) 10.10.0.1/24\ntrunk.20 (vlan 20) 10.20.0.1/24');
      assert.equal(await cell(page, 'sw.up0', 'addrs'), 'vlan 10,20');
      assert.equal(await cell(page, 'sw.p1', 'addrs'), 'vlan 10 untagged');
      assert.equal(await page.$eval('tr[data-edge="vxlan:dc.wan|gw.wan"] td.link', td => td.textContent), 'dc.wan \u2194 gw.wan (vxlan vni 100)');
      assert.equal(await page.$eval('tr[data-edge="macvlan:gw.mv0"] td.link', td => td.textContent), 'gw.mv0 \u2194 host.eth0 (macvlan bridge)');
      assert.equal(await page.$eval('#nat', s => (s as unknown as { hidden: boolean }).hidden), true);
      assert.deepEqual(requests.filter(u => !u.startsWith('about:') && !u.startsWith('data:')), []);
      await page.screenshot({ path: path.join(shots, 'graph-page-campus.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('the page lists NAT and published ports by namespace', async () => {
    const { page } = await openPage('natted');
    try {
      assert.equal(await page.$eval('#nat', s => (s as unknown as { hidden: boolean }).hidden), false);
      const rows = await page.$$eval('#nat-body tr', trs => trs.map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent)));
      assert.deepEqual(rows, [
        ['host', 'masquerades what it forwards', 'tcp 8080 \u2192 10.0.1.2:80'],
        ['r', '', 'udp 5353 \u2192 [fd00:1::2]:53'],
      ]);
      await page.screenshot({ path: path.join(shots, 'graph-page-natted.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
