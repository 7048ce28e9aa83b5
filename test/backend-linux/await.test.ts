/**
 * `await`'s engine against the kernel (in the sandbox): sock_diag's listeners against `ss -ltn`
 * and `ss -lun` (the oracle), waiting for a listener that comes later, for an address that
 * answers, running out of time, and an abort that ends the wait at once.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { listeners, listensOn, openDiag } from '../../src/backend/linux/netlink/index.js';
import { NsHandles } from '../../src/backend/linux/handles.js';
import { ncListen } from '../../src/backend/linux/nc.js';
import { deleteNamedNetns } from '../../src/backend/linux/netns.js';
import { untilAnswers, untilListening } from '../../src/backend/linux/readiness.js';
import { Capture } from '../helpers/capture.js';
import { describeKernel, vethBetween } from './kernel-sandbox.js';

/** `ip netns exec NS ss -Hl{t,u}n`: the local ports, sorted. */
function ssPorts(ns: string, proto: 'tcp' | 'udp'): number[] {
  const out = spawnSync('ip', ['netns', 'exec', ns, 'ss', '-Hln', proto === 'tcp' ? '-t' : '-u'], { encoding: 'utf8' }).stdout;
  return out.trim().split('\n').filter(Boolean).map(l => Number(/:(\d+)\s/.exec(l.split(/\s+/)[3]! + ' ')![1])).sort((a, b) => a - b);
}

describeKernel('linux/await: until a port listens, until an address answers (kernel)', () => {
  const handles = new NsHandles();
  let fa: number;
  let fb: number;

  before(async () => {
    await vethBetween('wa', 'wb', { va: 'wva', vb: 'wvb', net: '10.14.0', prefix: 'fd14' });
    fa = handles.netFd('wa');
    fb = handles.netFd('wb');
  });

  after(() => {
    handles.closeAll();
    for (const n of ['wa', 'wb']) deleteNamedNetns(n);
  });

  /** A listener of the built-in nc in wb, ended by the returned controller. */
  async function listen(udp: boolean, port: number): Promise<AbortController> {
    const stop = new AbortController();
    await new Promise<void>(resolve => void ncListen({ netFd: fb, udp, port, out: new Capture(), signal: stop.signal, onListening: resolve }));
    return stop;
  }

  it('sock_diag finds the listeners ss finds: TCP (IPv4, IPv6, dual-stack) and UDP', async () => {
    const stops = [await listen(false, 7001), await listen(true, 7002)];
    const sock = openDiag(fb);
    try {
      for (const proto of ['tcp', 'udp'] as const) {
        const ours = [...new Set(listeners(sock, proto).map(s => s.port))].sort((a, b) => a - b);
        assert.deepEqual(ours, [...new Set(ssPorts('wb', proto))], proto);
      }
      assert.equal(listensOn(sock, 'tcp', 7001), true);
      assert.equal(listensOn(sock, 'udp', 7001), false);
      assert.equal(listensOn(sock, 'udp', 7002), true);
      assert.equal(listensOn(sock, 'tcp', 7003), false);
    } finally {
      sock.close();
      for (const s of stops) s.abort();
    }
  });

  it('until a listener that comes later: ready as soon as it listens', async () => {
    let stop: AbortController | undefined;
    const later = new Promise<void>(r => setTimeout(async () => {
      stop = await listen(false, 7010);
      r();
    }, 150));
    const r = await untilListening({ netFd: fb, proto: 'tcp', port: 7010, timeoutMs: 10_000 });
    await later;
    stop?.abort();
    assert.equal(r, 'ready');
  });

  it('a port nothing listens on: timeout; an abort ends the wait at once', async () => {
    assert.equal(await untilListening({ netFd: fb, proto: 'udp', port: 7020, timeoutMs: 100 }), 'timeout');
    const abort = new AbortController();
    const waiting = untilListening({ netFd: fb, proto: 'tcp', port: 7020, timeoutMs: 60_000, signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    assert.equal(await waiting, 'aborted');
  });

  it('until an address answers a ping from the namespace; one that never does runs out of time', async () => {
    assert.equal(await untilAnswers({ netFd: fa, address: '10.14.0.2', family: 4, timeoutMs: 10_000 }), 'ready');
    assert.equal(await untilAnswers({ netFd: fa, address: 'fd14::2', family: 6, timeoutMs: 10_000 }), 'ready');
    assert.equal(await untilAnswers({ netFd: fa, address: '10.14.0.99', family: 4, timeoutMs: 300 }), 'timeout');
    assert.equal(await untilAnswers({ netFd: fa, address: '192.0.2.1', family: 4, timeoutMs: 100 }), 'timeout', 'no route: probes are retried, not sent');
    const abort = new AbortController();
    const waiting = untilAnswers({ netFd: fa, address: '10.14.0.99', family: 4, timeoutMs: 60_000, signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    assert.equal(await waiting, 'aborted');
  });
});
