/**
 * The live view's server with a LiveSource of its own (no kernel, no browser): its guards, the
 * events it sends when the lab changes (told through onChange), and the rates it computes.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { LabSnapshot, LinkSnapshot } from '../../src/backend/backend.js';
import { startWebServer, type WebServer } from '../../src/web/server.js';
import type { LiveSource } from '../../src/web/live-source.js';
import { hello } from '../graph/snapshots.js';
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

function get(port: number, path: string, host = `127.0.0.1:${port}`, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers: { Host: host } }, res => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', c => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads Server-Sent Events from /events until `until` says stop; returns them. */
function events(port: number, until: (evs: { event: string; data: string }[]) => boolean): Promise<{ event: string; data: string }[]> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/events', headers: { Host: `localhost:${port}` } }, res => {
      let buf = '';
      const evs: { event: string; data: string }[] = [];
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) evs.push({ event, data });
        }
        if (until(evs)) {
          req.destroy();
          resolve(evs);
        }
      });
    });
    req.on('error', e => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
  });
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

  it('listens on 127.0.0.1 and answers only GET for its own Host names', async () => {
    assert.equal(server.url, `http://127.0.0.1:${server.port}/`);
    assert.equal((await get(server.port, '/')).status, 200);
    assert.equal((await get(server.port, '/', `localhost:${server.port}`)).status, 200);
    assert.equal((await get(server.port, '/', `127.0.0.1.nip.example:${server.port}`)).status, 403);
    assert.equal((await get(server.port, '/', 'localhost:1')).status, 403);
    assert.equal((await get(server.port, '/', undefined, 'POST')).status, 405);
    assert.equal((await get(server.port, '/', undefined, 'HEAD')).status, 405);
    assert.equal((await get(server.port, '/../../etc/passwd')).status, 404);
    const page = (await get(server.port, '/')).body;
    assert.match(page, /<script src="\/app\.js"><\/script>/);
    assert.doesNotMatch(page, /https?:\/\/(?!www\.w3\.org)/, 'the page names no other site');
    assert.match((await get(server.port, '/graph.svg')).body, /<svg[^]*id="veth:a\.v0\|host\.v1"/);
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
