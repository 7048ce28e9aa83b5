/**
 * The live view's server with a LiveSource of its own (no kernel, no browser): its guards, the
 * events it sends when the lab changes (told through onChange), and the rates it computes.
 */
import * as assert from 'node:assert/strict';
import type { LabSnapshot, LinkSnapshot } from '../../src/backend/backend.js';
import { startWebServer, type WebServer } from '../../src/web/server.js';
import type { LiveSource } from '../../src/web/live-source.js';
import { hello } from '../graph/snapshots.js';
import { events, request } from './http.js';
import { sandboxLoopbackUp } from './loopback.js';

/** hello, with a.v0 up or down and its counters at `n` packets of 100 bytes. */
function helloAt(up: boolean, n: number): LabSnapshot {
  const stats = { rxPackets: n, txPackets: n, rxBytes: 100 * n, txBytes: 100 * n };
  return {
    namespaces: hello.namespaces.map(ns => ({
      ...ns,
      links: ns.links.map((l): LinkSnapshot => (l.kind === 'veth' ? { ...l, stats, ...(ns.name === 'a' ? { up } : {}) } : l)),
    })),
  };
}

describe('web: the server', () => {
  let server: WebServer;
  let up = true;
  let packets = 10;
  let changed: (() => void) | undefined;
  const source: LiveSource = {
    snapshot: async () => helloAt(up, packets),
    onChange: cb => {
      changed = cb;
      return () => (changed = undefined);
    },
  };

  let restoreLoopback = () => undefined as void;
  before(async () => {
    restoreLoopback = sandboxLoopbackUp();
    server = await startWebServer(source, { lab: 'hello', port: 0, pollMs: 60_000 });
  });
  after(async () => {
    await server.close();
    restoreLoopback();
    assert.equal(changed, undefined, 'close() stops watching');
  });

  it('listens on 127.0.0.1 and serves the page, its script, the picture and the topology', async () => {
    assert.equal(server.url, `http://127.0.0.1:${server.port}/`);
    const page = await request(server.port);
    assert.equal(page.status, 200);
    assert.match(page.body, /<script src="\/app\.js"><\/script>/);
    assert.doesNotMatch(page.body, /https?:\/\/(?!www\.w3\.org)/, 'the page names no other site');
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
    assert.equal((await request(server.port, { path: '/app.js' })).status, 200);
    assert.match((await request(server.port, { path: '/graph.svg' })).body, /<svg[^]*id="veth:a\.v0\|host\.v1"/);
    assert.equal(JSON.parse((await request(server.port, { path: '/topology.json' })).body).edges[0].key, 'veth:a.v0|host.v1');
  });

  it('answers only requests whose Host is its own (a name rebound to 127.0.0.1 reads nothing)', async () => {
    const p = server.port;
    assert.equal((await request(p, { host: `localhost:${p}` })).status, 200);
    for (const host of [`127.0.0.1.nip.example:${p}`, `attacker.example:${p}`, 'localhost:1', '127.0.0.1', 'localhost', `localhost.:${p}`, `[::1]:${p}`, `127.0.0.2:${p}`]) {
      for (const path of ['/', '/topology.json', '/graph.svg', '/events', '/app.js']) {
        const r = await request(p, { host, path });
        assert.equal(r.status, 403, `Host: ${host} ${path}`);
        assert.doesNotMatch(r.body, /veth|host\.v1|<svg/, `Host: ${host} ${path} tells nothing of the lab`);
      }
    }
    const none = await request(p, { host: null });
    assert.ok(none.status === 400 || none.status === 403, `no Host header: ${none.status}`);
  });

  it('is read-only: GET alone, every other method 405 with Allow: GET', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']) {
      for (const path of ['/', '/topology.json', '/events']) {
        const r = await request(server.port, { method, path });
        assert.equal(r.status, 405, `${method} ${path}`);
        assert.equal(r.headers.allow, 'GET', `${method} ${path}`);
      }
    }
  });

  it('serves its own few assets only: no path reaches a file', async () => {
    for (const path of ['/../../etc/passwd', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '//etc/passwd', '/app.js/../../../etc/passwd', '/etc/passwd', '/index.html', '/app.js%00.png', '/node_modules/mermaid/package.json', '/src/web/server.ts', '/dist/nsh.js']) {
      const r = await request(server.port, { path });
      assert.equal(r.status, 404, path);
      assert.doesNotMatch(r.body, /root:|import |"name"/, path);
    }
    // a path that resolves to an asset is that asset, never a file
    const js = await request(server.port, { path: '/x/../app.js' });
    assert.equal(js.status, 200);
    assert.match(js.body, /^\(\(\) => \{/);
  });

  it('sends no CORS headers, whatever the Origin: a page of another site cannot read it', async () => {
    for (const path of ['/', '/topology.json', '/graph.svg', '/app.js', '/nosuch']) {
      for (const origin of ['https://attacker.example', 'null', `http://127.0.0.1:${server.port}`]) {
        const r = await request(server.port, { path, headers: { Origin: origin } });
        const cors = Object.keys(r.headers).filter(h => h.startsWith('access-control-'));
        assert.deepEqual(cors, [], `${path} from ${origin}`);
        assert.equal(r.headers['cross-origin-resource-policy'], 'same-origin');
      }
    }
    const preflight = await request(server.port, { method: 'OPTIONS', path: '/topology.json', headers: { Origin: 'https://attacker.example', 'Access-Control-Request-Method': 'GET' } });
    assert.equal(preflight.status, 405);
    assert.deepEqual(Object.keys(preflight.headers).filter(h => h.startsWith('access-control-')), []);
  });

  it('a change told by the source reaches the events: the picture with the link down, then rates', async () => {
    const seen = events(server.port, evs => evs.filter(e => e.event === 'graph').length >= 2);
    await new Promise(r => setTimeout(r, 50));
    up = false;
    changed!();
    const evs = await seen;
    const graphs = evs.filter(e => e.event === 'graph').map(e => JSON.parse(e.data) as { svg: string; topology: { edges: { a: { up: boolean } }[] } });
    assert.equal(graphs[0]!.topology.edges[0]!.a.up, true);
    assert.equal(graphs[1]!.topology.edges[0]!.a.up, false);
    assert.match(graphs[1]!.svg, /state&#45;down/);
    assert.ok(evs.some(e => e.event === 'rates'));
  });

  it('rates come from the counters of two readings', async () => {
    packets = 10;
    const seen = events(server.port, evs => evs.some(e => e.event === 'rates' && JSON.parse(e.data)['a.v0']?.rxPps > 0));
    await new Promise(r => setTimeout(r, 1000));
    packets = 110;
    changed!();
    const evs = await seen;
    const last = JSON.parse(evs.filter(e => e.event === 'rates').at(-1)!.data) as Record<string, { rxPps: number; rxBps: number; rxPackets: number }>;
    assert.equal(last['a.v0']!.rxPackets, 110);
    assert.ok(last['a.v0']!.rxPps > 0);
    assert.ok(Math.abs(last['a.v0']!.rxBps - last['a.v0']!.rxPps * 100) < 1e-6 * last['a.v0']!.rxBps);
    assert.deepEqual(Object.keys(last), ['a.v0', 'host.v1']);
  });
});
