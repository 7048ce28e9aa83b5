/**
 * The live view told of changes by the Linux backend's watch (rtnetlink monitors in the lab's
 * namespaces and the host: links and addresses; /run/netns for namespaces): the server here
 * reads the lab only when told (its poll is a minute), so every change seen came from the
 * kernel's notifications.
 */
import * as assert from 'node:assert/strict';
import { LinuxBackend } from '../../src/backend/linux/linux-backend.js';
import { labSource } from '../../src/web/live-source.js';
import { startWebServer, type WebServer } from '../../src/web/server.js';
import { assertClean, describeKernel, nsh } from '../cli-kernel/harness.js';
import { events, topologies, upIn, type ServerEvent } from './http.js';
import { sandboxLoopbackUp } from './loopback.js';

const run = (text: string) => {
  const r = nsh(['--name', 'w', '-e', text]);
  assert.equal(r.code, 0, r.stderr);
};

describeKernel('web: changes told by the kernel', function () {
  this.timeout(30_000);
  let server: WebServer;
  let backend: LinuxBackend;
  let restoreLoopback = () => undefined as void;

  before(async () => {
    restoreLoopback = sandboxLoopbackUp();
    run('ns a\nns b\nveth a.v0 10.7.0.1/24 <-> b.v0 10.7.0.2/24\nveth a.up <-> host.w0');
    backend = new LinuxBackend({ stdout: process.stdout, stderr: process.stderr, inheritStdin: false, color: false });
    server = await startWebServer(await labSource('w', backend), { lab: 'w', port: 0, pollMs: 60_000 });
  });

  after(async () => {
    await server.close();
    backend.close();
    nsh(['down', 'w']);
    restoreLoopback();
  });

  /** Runs nsh text in the lab once the event stream is open; the events until `until`. */
  async function changing(text: string, until: (evs: readonly ServerEvent[]) => boolean): Promise<ServerEvent[]> {
    let opened = false;
    const seen = events(server.port, evs => {
      if (!opened && evs.length > 0) {
        opened = true;
        setImmediate(() => run(text));
      }
      return until(evs);
    });
    return seen;
  }

  it('a link set down in the lab, and one set down in the host, reach the page', async () => {
    let evs = await changing('down a.v0', evs => topologies(evs).some(t => upIn(t, 'a', 'v0') === false));
    assert.equal(upIn(topologies(evs)[0]!, 'a', 'v0'), true);
    evs = await changing('down host.w0', evs => topologies(evs).some(t => upIn(t, 'host', 'w0') === false));
    assert.equal(upIn(topologies(evs)[0]!, 'host', 'w0'), true);
    await changing('up a.v0 host.w0', evs => topologies(evs).some(t => upIn(t, 'a', 'v0') === true && upIn(t, 'host', 'w0') === true && upIn(t, 'b', 'v0') === true));
  });

  it('an address added to a link of the lab, and taken away, reach the page', async () => {
    const addressesOf = (evs: readonly ServerEvent[]) =>
      topologies(evs).map(t => t.edges.flatMap(e => [e.a, e.b]).find(x => x.ns === 'b' && x.ifname === 'v0')?.addresses ?? []);
    let evs = await changing('addr b.v0 10.7.9.2/24', evs => addressesOf(evs).some(a => a.includes('10.7.9.2/24')));
    assert.deepEqual(addressesOf(evs)[0], ['10.7.0.2/24']);
    evs = await changing('addr b.v0 del 10.7.9.2/24', evs => addressesOf(evs).some(a => !a.includes('10.7.9.2/24')));
    assert.deepEqual(addressesOf(evs).at(-1), ['10.7.0.2/24']);
  });

  it('a namespace added to the lab appears, and its links are watched too', async () => {
    await changing('ns z\nveth z.v0 <-> b.v1', evs => topologies(evs).some(t => upIn(t, 'z', 'v0') === true));
    await changing('down z.v0', evs => topologies(evs).some(t => upIn(t, 'z', 'v0') === false));
  });

  it('the lab taken down: the page is told it is gone, and the watch keeps no namespace alive', async () => {
    const gone = events(server.port, evs => evs.some(e => e.event === 'gone'));
    assert.equal(nsh(['down', 'w']).code, 0);
    const last = (await gone).find(e => e.event === 'gone')!;
    assert.match(JSON.parse(last.data) as string, /the lab cannot be read: there is no lab "w"/);
    assertClean();
  });
});
