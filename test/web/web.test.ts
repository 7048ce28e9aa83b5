/**
 * `nsh web` in a real browser, inside the sandbox (whose network namespace has only lo, brought
 * up here): a lab built with bin/nsh, its live view opened in headless Chromium, then changes
 * made to the lab by other nsh runs reach the page: a link taken down, a link shaped, a ping's
 * counters, a new namespace. A screenshot of each step goes to test-results/web-*.png, to be looked at. The
 * server's guards are checked too: Host header, GET only, nothing but the lab's objects.
 */
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'puppeteer-core';
import { haveChromium, launchChromium, type OpenBrowser } from '../helpers/browser.js';
import { assertClean, describeKernel, hostLinks, ip, nsh, nshAsync, root } from '../cli-kernel/harness.js';
import { events, request, type RequestOptions } from './http.js';
import { sandboxLoopbackUp } from './loopback.js';

/** nsh web's default port: the test runs it without --port (and without LAB: its lab is the one up). */
const PORT = 7878;
const LAB = `
ns a
ns b
ns c hostname core
bridge c.br0
veth a.v0 10.9.0.1/24 <-> c.pa
veth b.v0 10.9.0.2/24 <-> c.pb
attach c.pa c.pb -> c.br0
veth a.up 10.8.0.1/24 <-> host.a 10.8.0.2/24 rate 10mbit
up *.lo
`;

/** Links of the host that are not the lab's: a veth pair of the host's own, one end with an address. */
const STRAY = ['strayA', 'strayB'];
const removeStray = () => {
  if (hostLinks().includes('strayA')) ip('link', 'del', 'strayA');
};

const get = (opts: RequestOptions = {}) => request(PORT, opts);

/** Waits for the line nsh web prints when it serves. */
function served(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /at (http:\/\/\S+) /.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', code => reject(new Error(`nsh web exited (${code}): ${err}`)));
  });
}

const shots = path.join(root, 'test-results');
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `web-${name}.png`) as `${string}.png`, fullPage: true });

/** In the page: the text of a cell of an interface's row. */
const cell = (page: Page, ifname: string, cls: string) => page.$eval(`tr[data-if="${ifname}"] td.${cls}`, td => td.textContent ?? '');

const run = (text: string) => {
  const r = nsh(['--name', 'web', '-e', text]);
  assert.equal(r.code, 0, r.stderr);
};

const describeWeb = haveChromium() ? describeKernel : describe.skip;

describeWeb('web: the live view in a browser', function () {
  let web: ChildProcess | undefined;
  let chromium: OpenBrowser | undefined;
  let page: Page;
  let url: string;

  let restoreLoopback = () => undefined as void;

  before(async () => {
    restoreLoopback = sandboxLoopbackUp();
    fs.mkdirSync(shots, { recursive: true });
    ip('link', 'add', 'strayA', 'type', 'veth', 'peer', 'name', 'strayB');
    ip('addr', 'add', '192.0.2.77/24', 'dev', 'strayA');
    run(LAB);
    web = nshAsync(['web']);
    url = await served(web);
    chromium = await launchChromium();
    page = await chromium.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
  });

  after(async () => {
    await chromium?.close();
    if (web && web.exitCode === null) web.kill('SIGKILL');
    nsh(['down', 'web']);
    removeStray();
    restoreLoopback();
  });

  it('serves on 127.0.0.1 only, to its own Host names, GET only', async () => {
    assert.equal(url, `http://127.0.0.1:${PORT}/`);
    assert.equal((await get()).status, 200);
    assert.equal((await get({ host: `localhost:${PORT}` })).status, 200);
    assert.equal((await get({ host: `attacker.example:${PORT}` })).status, 403);
    assert.equal((await get({ host: '127.0.0.1' })).status, 403);
    const post = await get({ method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET');
    assert.equal((await get({ method: 'DELETE', path: '/topology.json' })).status, 405);
    assert.equal((await get({ path: '/etc/passwd' })).status, 404);
    assert.match(String((await get()).headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
  });

  it('shows nothing but the lab: the host only for the link the lab made there, none of the other links of the host', async () => {
    const t = JSON.parse((await get({ path: '/topology.json' })).body) as { nodes: { key: string; interfaces?: unknown }[]; edges: { key: string }[] };
    assert.deepEqual(t.nodes.map(n => n.key), ['br:c.br0', 'ns:a', 'ns:b', 'ns:c', 'ns:host']);
    assert.deepEqual(t.edges.map(e => e.key), ['bridge:c.br0', 'veth:a.up|host.a', 'veth:a.v0|c.pa', 'veth:b.v0|c.pb']);
    for (const path of ['/', '/topology.json', '/graph.svg']) {
      const body = (await get({ path })).body;
      for (const l of [...STRAY, '192.0.2.77']) assert.ok(!body.includes(l), `${path} names ${l}`);
      assert.ok(!/"lo"|>lo</.test(body), `${path} names lo`);
    }
    const first = JSON.stringify(await events(PORT, evs => evs.some(e => e.event === 'rates')));
    for (const l of STRAY) assert.ok(!first.includes(l), `/events names ${l}`);
  });

  it('shows every namespace, the bridge and every link, with addresses and state', async () => {
    const requests: string[] = [];
    page.on('request', r => requests.push(r.url()));
    await page.goto(url);
    await page.waitForSelector('#status.live');
    for (const key of ['ns:a', 'ns:b', 'ns:c', 'br:c.br0', 'ns:host', 'veth:a.v0|c.pa', 'veth:b.v0|c.pb', 'veth:a.up|host.a', 'bridge:c.br0']) {
      assert.ok(await page.$(`#graph g[id="${key}"]`), `${key} is drawn`);
    }
    assert.match(await page.$eval('#graph', g => g.textContent ?? ''), /hostname core/);
    assert.equal(await cell(page, 'a.v0', 'addrs'), '10.9.0.1/24');
    assert.equal(await cell(page, 'a.v0', 'state'), 'up');
    assert.equal(await cell(page, 'host.a', 'addrs'), '10.8.0.2/24');
    // the shaping, read back from the link's qdisc: in the table and on the link in the picture
    assert.equal(await cell(page, 'a.up', 'shape'), 'rate 10mbit');
    assert.equal(await cell(page, 'host.a', 'shape'), 'rate 10mbit');
    assert.equal(await cell(page, 'a.v0', 'shape'), '');
    assert.match(await page.$eval('#graph g[id="veth:a.up|host.a"]', g => g.textContent ?? ''), /rate 10mbit/);
    // everything the page loaded is nsh's own
    assert.deepEqual(requests.filter(u => !u.startsWith(url)), []);
    await shot(page, '1-lab');
  });

  it('`down a.v0` in the lab: the page shows the link down', async () => {
    run('down a.v0');
    await page.waitForFunction(() => {
      const d = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string; classList: { contains(c: string): boolean } } | null } }).document;
      return d.querySelector('tr[data-if="a.v0"] td.state')?.textContent === 'down' && d.querySelector('#graph g[id="veth:a.v0|c.pa"]')?.classList.contains('state-down');
    });
    assert.equal(await cell(page, 'c.pa', 'state'), 'no carrier');
    await shot(page, '2-down');
    run('up a.v0');
    await page.waitForFunction(() => {
      const d = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document;
      return d.querySelector('tr[data-if="c.pa"] td.state')?.textContent === 'up';
    });
  });

  it('`shape a.v0 rate 1mbit` in the lab: the page shows the shaping, and `shape a.v0 off` takes it away', async () => {
    run('shape a.v0 rate 1mbit');
    await page.waitForFunction(() => {
      const d = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document;
      return d.querySelector('tr[data-if="a.v0"] td.shape')?.textContent === 'rate 1mbit' && /rate 1mbit/.test(d.querySelector('#graph g[id="veth:a.v0|c.pa"]')?.textContent ?? '');
    });
    assert.equal(await cell(page, 'c.pa', 'shape'), '');
    await shot(page, '2-shaped');
    run('shape a.v0 off');
    await page.waitForFunction(() => {
      const d = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document;
      return d.querySelector('tr[data-if="a.v0"] td.shape')?.textContent === '';
    });
  });

  it('a ping across the bridge raises the counters and the rates', async () => {
    const before = Number(await cell(page, 'b.v0', 'rx-packets'));
    const ping = nshAsync(['--name', 'web', '-e', 'in a ping 10.9.0.2 -c 12 -i 0.25']);
    const pinged = new Promise<number | null>(resolve => ping.once('exit', code => resolve(code)));
    await page.waitForFunction(() => {
      const d = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document;
      const rate = (cls: string) => /[1-9]/.test(d.querySelector(`tr[data-if="b.v0"] td.${cls}`)?.textContent ?? '');
      // packets and bytes per second, both
      return rate('rx-pps') && rate('rx-bps');
    });
    await shot(page, '3-ping');
    assert.equal(await pinged, 0);
    await page.waitForFunction(
      (n: number) => {
        const d = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document;
        return Number(d.querySelector('tr[data-if="b.v0"] td.rx-packets')?.textContent) >= n + 12;
      },
      {},
      before,
    );
  });

  it('`ns z` added to the lab adds a node', async () => {
    run('ns z');
    await page.waitForSelector('#graph g[id="ns:z"]');
    await shot(page, '4-new-namespace');
  });

  it('Ctrl-C stops it', async () => {
    const exited = new Promise<number | null>(resolve => web!.once('exit', code => resolve(code)));
    web!.kill('SIGINT');
    assert.equal(await exited, 130);
    nsh(['down', 'web']);
    removeStray();
    assertClean();
  });
});

describeKernel('web: which lab', () => {
  it('without LAB: an error when no lab is up, or when several are (naming them); a LAB that is not up; a bad port', () => {
    const none = nsh(['web']);
    assert.equal(none.code, 1);
    assert.equal(none.stderr, 'nsh: no lab is up; run a script first (`nsh FILE.ns`)\n');
    assert.equal(nsh(['--name', 'one', '-e', 'ns p']).code, 0);
    assert.equal(nsh(['--name', 'two', '-e', 'ns q']).code, 0);
    try {
      const two = nsh(['web']);
      assert.equal(two.code, 1);
      assert.equal(two.stderr, 'nsh: 2 labs are up (one, two): name one, as in `nsh web one`\n');
      const missing = nsh(['web', 'three']);
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr, 'nsh: there is no lab "three" (labs up: one, two)\n');
      const port = nsh(['web', 'one', '--port', '99999']);
      assert.equal(port.code, 2);
      assert.match(port.stderr, /^nsh: --port takes a port number from 1 to 65535, got "99999"\n/);
    } finally {
      nsh(['down', 'one']);
      nsh(['down', 'two']);
    }
    assertClean();
  });
});
