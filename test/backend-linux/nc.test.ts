/**
 * The built-in nc against the kernel (in the sandbox): a listener in namespace nb, a client in
 * na, joined by a veth pair; IPv4 and IPv6, TCP and UDP.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readlinkSync } from 'node:fs';
import { ncConnect, ncListen } from '../../src/backend/linux/nc.js';
import { deleteNamedNetns } from '../../src/backend/linux/netns.js';
import { describeKernel, ip, vethBetween } from './kernel-sandbox.js';
import { Capture } from '../helpers/capture.js';
import { NsHandles } from '../../src/backend/linux/handles.js';

const handles = new NsHandles();

const fdCount = (): number => readdirSync('/proc/self/fd').length;

/** What the process's fds point at, for a failure message. */
function fdTargets(): string {
  return readdirSync('/proc/self/fd').map(fd => {
    try {
      return `${fd}:${readlinkSync(`/proc/self/fd/${fd}`)}`;
    } catch {
      return `${fd}:?`;
    }
  }).join(' ');
}

/**
 * The process's fd count once it is back to `n`: the suite shares one process, and an fd that an
 * earlier test's child or socket holds may close a moment later (up to 2 s are waited for).
 */
async function fdsBackTo(n: number): Promise<number> {
  for (let i = 0; i < 100 && fdCount() !== n; i++) await new Promise(r => setTimeout(r, 20));
  return fdCount();
}

describeKernel('linux/nc: built-in netcat (kernel)', () => {
  let fa: number;
  let fb: number;

  /** Starts a listener in nb and resolves once it listens; `done` is its end. */
  async function listener(udp: boolean, port: number, signal?: AbortSignal): Promise<{ out: Capture; done: Promise<void> }> {
    const out = new Capture();
    let done!: Promise<void>;
    await new Promise<void>((listening, fail) => {
      done = ncListen({ netFd: fb, udp, port, out, onListening: listening, ...(signal ? { signal } : {}) });
      done.catch(fail);
    });
    return { out, done };
  }

  before(async () => {
    await vethBetween('na', 'nb', { va: 'nva', vb: 'nvb', net: '10.8.0', prefix: 'fd08' });
    fa = handles.netFd('na');
    fb = handles.netFd('nb');
    // one exchange first: what node opens once per process on first use (a /dev/null for a
    // worker's standard input was seen) is not an fd an nc left open
    const { done } = await listener(false, 1233);
    await ncConnect({ netFd: fa, udp: false, address: '10.8.0.2', port: 1233, input: 'warm\n', out: new Capture() });
    await done;
  });

  after(() => {
    for (const n of ['na', 'nb']) deleteNamedNetns(n);
  });

  for (const address of ['10.8.0.2', 'fd08::2']) {
    it(`TCP to ${address}: the listener prints what the client sends, both end`, async () => {
      const before = fdCount();
      const was = fdTargets();
      const { out, done } = await listener(false, 1234);
      const back = new Capture();
      await ncConnect({ netFd: fa, udp: false, address, port: 1234, input: 'haha\n', out: back });
      await done;
      assert.equal(out.text, 'haha\n');
      assert.equal(back.text, '');
      assert.equal(await fdsBackTo(before), before, `no fd left open (before: ${was}; after: ${fdTargets()})`);
    });

    it(`UDP to ${address}: the datagram is printed; the listener ends after 1 s of quiet`, async () => {
      const before = fdCount();
      const { out, done } = await listener(true, 1235);
      const t = performance.now();
      await ncConnect({ netFd: fa, udp: true, address, port: 1235, input: 'haha\n', out: new Capture() });
      await ncConnect({ netFd: fa, udp: true, address, port: 1235, input: 'hoho\n', out: new Capture() });
      await done;
      const took = performance.now() - t;
      assert.equal(out.text, 'haha\n', 'a second sender (another source port) is ignored');
      assert.ok(took >= 900 && took < 1500, `ended after ${took} ms`);
      assert.equal(await fdsBackTo(before), before);
    });
  }

  it('a refused connection is a sentence', async () => {
    await assert.rejects(
      ncConnect({ netFd: fa, udp: false, address: '10.8.0.2', port: 1236, input: 'x\n', out: new Capture() }),
      (e: unknown) => e instanceof Error && e.message === 'connection to 10.8.0.2 port 1236 refused',
    );
    await assert.rejects(
      ncConnect({ netFd: fa, udp: false, address: 'fd08::2', port: 1236, out: new Capture() }),
      /^Error: connection to fd08::2 port 1236 refused$/,
    );
  });

  it('the listener is inside its namespace only', async () => {
    const { done } = await listener(false, 1237);
    // nothing listens on 1237 in na itself (its own address, over its lo): refused there
    ip('-n', 'na', 'link', 'set', 'lo', 'up');
    await assert.rejects(ncConnect({ netFd: fa, udp: false, address: '10.8.0.1', port: 1237, out: new Capture() }), /refused/);
    await ncConnect({ netFd: fa, udp: false, address: '10.8.0.2', port: 1237, input: 'ok\n', out: new Capture() });
    await done;
  });

  it('a port in use is a sentence', async () => {
    const ac = new AbortController();
    const { done } = await listener(false, 1238, ac.signal);
    await assert.rejects(listener(false, 1238), /^Error: port 1238 is already in use$/);
    ac.abort();
    await done;
  });

  it('an abort ends a waiting listener (TCP, UDP) and a pending connect promptly, leaving no fd open', async () => {
    const before = fdCount();
    for (const udp of [false, true]) {
      const ac = new AbortController();
      const { done } = await listener(udp, 1239, ac.signal);
      const t = performance.now();
      ac.abort();
      await done;
      assert.ok(performance.now() - t < 100);
    }
    // a connect that cannot complete: pva's peer drops everything while nvb is down
    ip('-n', 'nb', 'link', 'set', 'nvb', 'down');
    try {
      const ac = new AbortController();
      const p = ncConnect({ netFd: fa, udp: false, address: '10.8.0.2', port: 1240, out: new Capture(), signal: ac.signal });
      await new Promise((r) => setTimeout(r, 200));
      const t = performance.now();
      ac.abort();
      await p;
      assert.ok(performance.now() - t < 100);
    } finally {
      ip('-n', 'nb', 'link', 'set', 'nvb', 'up');
    }
    assert.equal(await fdsBackTo(before), before);
  });
});
