/**
 * A lab per test, with node's own test runner: two hosts on two networks and a router between
 * them; each test builds its lab, checks something across it, and leaves nothing behind (the
 * `await using` block takes the lab down however the test ends).
 *
 * Build and run (as root, or as anyone inside nsh's rootless sandbox):
 *
 *     npx tsc -p examples/api
 *     node --test build/examples/api/*.test.js
 *     nsh --rootless -- node --test build/examples/api/*.test.js
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { lab } from 'nsh';

/** h1 (10.0.1.2) — r — h2 (10.0.2.2); each value is one word (or part of one) of the text. */
function routed(left = '10.0.1', right = '10.0.2') {
  return lab`
    ns h1 h2 r
    forward r
    veth h1.eth0 ${left}.2/24 <-> r.e1 ${left}.1/24
    veth h2.eth0 ${right}.2/24 <-> r.e2 ${right}.1/24
    route h1 default via ${left}.1
    route h2 default via ${right}.1
  `;
}

test('h1 reaches h2 through the router', async () => {
  await using l = await routed();
  const reply = await l.ping('h1', '10.0.2.2', { count: 3, interval: 0.05 });
  assert.equal(reply.received, 3);
  assert.equal(reply.loss, 0);
  const route = await l.exec('h1', ['ip', 'route', 'get', '10.0.2.2']);
  assert.equal(route.code, 0, route.stderr);
  assert.match(route.stdout, /via 10\.0\.1\.1 dev eth0/);
});

test('a TCP exchange from h1 to a listener on h2', async () => {
  await using l = await routed('192.168.1', '192.168.2');
  const server = await l.listen('h2', 8080);
  await l.connect('h1', '192.168.2.2', 8080, { input: 'hello over the router\n' });
  const { received } = await server.received;
  assert.equal(received, 'hello over the router\n');
});

test('without the router forwarding, h2 is out of reach', async () => {
  await using l = await routed();
  await l.run`sysctl r net.ipv4.ip_forward=0`;
  const reply = await l.ping('h1', '10.0.2.2', { count: 1, timeout: 0.3 });
  assert.equal(reply.received, 0);
  const state = await l.show('r');
  assert.deepEqual(state[0]?.links.map(link => link.name).sort(), ['e1', 'e2', 'lo']);
});
