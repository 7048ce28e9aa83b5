/**
 * The built-in ping against the kernel (in the sandbox): two namespaces pa and pb joined by a
 * veth pair, output compared with iputils' formats. Traffic goes only to addresses of these
 * namespaces (or their own loopback).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { openIcmpSocket } from '../../src/backend/linux/icmp.js';
import { close } from '../../src/backend/linux/libc.js';
import { deleteNamedNetns } from '../../src/backend/linux/netns.js';
import { Stats, ping, replyTime } from '../../src/backend/linux/ping.js';
import { describeKernel, ip, vethBetween } from './kernel-sandbox.js';
import { Capture } from '../helpers/capture.js';
import { NsHandles } from '../../src/backend/linux/handles.js';

const handles = new NsHandles();

const fdCount = (): number => readdirSync('/proc/self/fd').length;
const sysctl = (ns: string, kv: string): void => void execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', kv]);

const base = { count: 3, interval: 0.2, timeout: 1 } as const;

/** The statistics line of 3 probes 0.2 s apart: iputils' format; the time at least the two gaps, a little more on a busy machine. */
function assertTime(line: string): void {
  const m = /^3 packets transmitted, 3 received, 0% packet loss, time (\d+)ms$/.exec(line);
  assert.ok(m, line);
  assert.ok(Number(m[1]) >= 400 && Number(m[1]) < 450, line);
}

describe('linux/ping: iputils number formats', () => {
  it('prints reply times with 3, 2, 1 or 0 decimals as iputils does', () => {
    assert.deepEqual([43, 999, 1234, 9994, 12345, 99949, 123456].map(replyTime), ['0.043', '0.999', '1.23', '9.99', '12.3', '99.9', '123']);
  });

  it('summarizes like iputils: loss as %g, rtt in integer µs', () => {
    const s = new Stats();
    s.transmitted = 3;
    s.reply(1, 35);
    s.reply(2, 58);
    assert.equal(
      s.summary('10.1.1.2', 402),
      '\n--- 10.1.1.2 ping statistics ---\n3 packets transmitted, 2 received, 33.3333% packet loss, time 402ms\n' +
        'rtt min/avg/max/mdev = 0.035/0.046/0.058/0.013 ms\n',
    );
    const none = new Stats();
    none.transmitted = 1;
    assert.equal(none.summary('x', 0), '\n--- x ping statistics ---\n1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n');
  });
});

describeKernel('linux/ping: ICMP echo from inside a namespace (kernel)', () => {
  let fa: number;

  before(async () => {
    const states = await vethBetween('pa', 'pb', { va: 'pva', vb: 'pvb', net: '10.7.0', prefix: 'fd07' });
    assert.deepEqual(states, [6, 6], 'both ends are operationally UP');
    fa = handles.netFd('pa');
  });

  after(() => {
    for (const n of ['pa', 'pb']) deleteNamedNetns(n);
  });

  const counts = (r: { transmitted: number; received: number }) => ({ transmitted: r.transmitted, received: r.received });

  it('pings over a veth pair (IPv4), printing what iputils prints', async () => {
    const out = new Capture();
    const r = await ping({ netFd: fa, address: '10.7.0.2', family: 4, ...base, out });
    assert.deepEqual(counts(r), { transmitted: 3, received: 3 });
    // the report holds what the lines print
    assert.deepEqual(r.replies.map(x => [x.seq, x.from, x.bytes, x.ttl, x.duplicate]), [1, 2, 3].map(i => [i, '10.7.0.2', 64, 64, false]));
    assert.equal(r.loss, 0);
    assert.ok(r.rtt && r.rtt.min <= r.rtt.avg && r.rtt.avg <= r.rtt.max);
    const lines = out.text.split('\n');
    assert.equal(lines[0], 'PING 10.7.0.2 (10.7.0.2) 56(84) bytes of data.');
    for (let i = 1; i <= 3; i++) assert.match(lines[i]!, new RegExp(`^64 bytes from 10\\.7\\.0\\.2: icmp_seq=${i} ttl=64 time=\\d+(\\.\\d+)? ms$`));
    assert.equal(lines[4], '');
    assert.equal(lines[5], '--- 10.7.0.2 ping statistics ---');
    assertTime(lines[6]!);
    assert.match(lines[7]!, /^rtt min\/avg\/max\/mdev = \d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3} ms$/);
    assert.equal(lines.length, 9, 'ends with the rtt line');
  });

  it('pings over a veth pair (IPv6), the first probe answered at once', async () => {
    const out = new Capture();
    const r = await ping({ netFd: fa, address: 'fd07::2', family: 6, ...base, out });
    assert.deepEqual(counts(r), { transmitted: 3, received: 3 });
    const lines = out.text.split('\n');
    assert.equal(lines[0], 'PING fd07::2(fd07::2) 56 data bytes');
    assert.match(lines[1]!, /^64 bytes from fd07::2: icmp_seq=1 ttl=64 time=\d+\.\d+ ms$/);
    assert.ok(Number(/time=([\d.]+)/.exec(lines[1]!)![1]) < 100, `first reply prompt: ${lines[1]}`);
    assertTime(lines[6]!);
  });

  it('127.0.0.1 with lo down: the iputils "connect" line, nothing received', async () => {
    const out = new Capture();
    const r = await ping({ netFd: fa, address: '127.0.0.1', family: 4, ...base, out });
    assert.deepEqual(counts(r), { transmitted: 0, received: 0 });
    assert.match(r.unreachable ?? '', /Network is unreachable$/);
    assert.equal(out.text, 'ping: connect: Network is unreachable\n');
    // ::1 fails with EADDRNOTAVAIL in an empty namespace, ENETUNREACH once it has other addresses
    const out6 = new Capture();
    assert.equal((await ping({ netFd: fa, address: '::1', family: 6, ...base, out: out6 })).received, 0);
    assert.match(out6.text, /^ping: connect: (Network is unreachable|Cannot assign requested address)\n$/);
  });

  it('127.0.0.1 and ::1 with lo up succeed', async () => {
    ip('-n', 'pa', 'link', 'set', 'lo', 'up');
    for (const [address, family] of [['127.0.0.1', 4], ['::1', 6]] as const) {
      const out = new Capture();
      const r = await ping({ netFd: fa, address, family, ...base, out });
      assert.equal(r.received, 3, out.text);
    }
  });

  it('no reply: 100% loss, ending `timeout` after the last probe', async () => {
    sysctl('pb', 'net.ipv4.icmp_echo_ignore_all=1');
    try {
      const out = new Capture();
      const t = performance.now();
      const r = await ping({ netFd: fa, address: '10.7.0.2', family: 4, count: 2, interval: 0.2, timeout: 0.3, out });
      const took = performance.now() - t;
      assert.deepEqual(counts(r), { transmitted: 2, received: 0 });
      assert.equal(r.loss, 100);
      assert.equal(r.rtt, undefined);
      assert.ok(took >= 480 && took < 700, `took ${took} ms`);
      assert.match(out.text, /\n2 packets transmitted, 0 received, 100% packet loss, time 2\d\dms\n\n$/);
      assert.ok(!out.text.includes('rtt'));
    } finally {
      sysctl('pb', 'net.ipv4.icmp_echo_ignore_all=0');
    }
  });

  it('quiet writes nothing', async () => {
    const out = new Capture();
    const r = await ping({ netFd: fa, address: '10.7.0.2', family: 4, count: 1, interval: 0.2, timeout: 1, out, quiet: true });
    assert.equal(r.received, 1);
    assert.equal(out.text, '');
  });

  it('an abort ends a long ping promptly, prints the statistics and leaves no fd open', async () => {
    const before = fdCount();
    const ac = new AbortController();
    const out = new Capture();
    const p = ping({ netFd: fa, address: '10.7.0.2', family: 4, count: 100, interval: 0.2, timeout: 1, out, signal: ac.signal });
    await new Promise((r) => setTimeout(r, 500));
    const t = performance.now();
    ac.abort();
    const r = await p;
    const took = performance.now() - t;
    assert.ok(took < 300, `ended ${took} ms after the abort`);
    assert.ok(r.transmitted >= 2 && r.transmitted <= 4, `transmitted ${r.transmitted}`);
    assert.match(out.text, /packets transmitted/);
    assert.equal(fdCount(), before);
  });

  it('keeps the event loop running while it waits', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      await ping({ netFd: fa, address: 'fd07::2', family: 6, ...base, out: new Capture() });
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks >= 25, `${ticks} ticks of 10 ms in ~400 ms`);
  });

  it('pings run concurrently (one shared poll) and keep their replies apart', async () => {
    const targets = ['10.7.0.2', 'fd07::2', '127.0.0.1', '10.7.0.2', 'fd07::2', '::1'];
    const t = performance.now();
    const rs = await Promise.all(
      targets.map((address) => ping({ netFd: fa, address, family: address.includes(':') ? 6 : 4, ...base, out: new Capture() })),
    );
    assert.deepEqual(rs.map((r) => r.received), targets.map(() => 3));
    assert.ok(performance.now() - t < 700, 'in parallel');
  });

  it('uses the unprivileged ping socket where ping_group_range allows it', async () => {
    const isRaw = (family: 4 | 6): boolean => {
      const s = openIcmpSocket(fa, family);
      close(s.fd);
      return s.raw;
    };
    assert.equal(isRaw(4), true, 'a new namespace allows no group ("1 0"): raw socket');
    sysctl('pa', 'net.ipv4.ping_group_range=0 2147483647');
    try {
      assert.equal(isRaw(4), false);
      assert.equal(isRaw(6), false);
      for (const [address, family] of [['10.7.0.2', 4], ['fd07::2', 6]] as const) {
        const out = new Capture();
        const r = await ping({ netFd: fa, address, family, ...base, out });
        assert.equal(r.received, 3, out.text);
        assert.match(out.text, /icmp_seq=1 ttl=64 time=/, 'TTL from IP_RECVTTL / IPV6_RECVHOPLIMIT');
      }
    } finally {
      sysctl('pa', 'net.ipv4.ping_group_range=1 0');
    }
  });

  it('the socket lives in the namespace: the host namespace has no route to 10.7.0.2', async () => {
    const out = new Capture();
    const r = await ping({ netFd: handles.netFd('host'), address: '10.7.0.2', family: 4, ...base, out });
    assert.equal(r.received, 0);
    assert.equal(out.text, 'ping: connect: Network is unreachable\n');
  });
});
