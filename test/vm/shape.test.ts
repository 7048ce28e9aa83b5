/**
 * `shape` with netem, in the VM (Debian's kernel has sch_netem): what each option does to
 * traffic, as the built-in ping and capture see it — delay, loss, jitter, duplicates, a rate, off
 * — and `tc -j qdisc show` agreeing with `show --json`; and examples/labs/wan.ns, which needs
 * netem, run to its end. Each script is one nsh run: every command starts slowly here.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { rateText, timeText } from '../../src/core/shape.js';
import { assertClean, nsh, root, scrub } from '../cli-kernel/harness.js';
import { TCP_TRANSFER, transferred } from '../helpers/tcp-transfer.js';
import { describeVm } from './vm.js';

/** The output after each `echo =NAME` line, up to the next one. */
function sections(out: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const part of out.split(/^=/m).slice(1)) {
    const nl = part.indexOf('\n');
    found[part.slice(0, nl)] = part.slice(nl + 1);
  }
  return found;
}

/** The round-trip times (ms) a ping printed, and its counts. */
function pingOf(text: string | undefined): { rtts: number[]; dups: number; sent: number; received: number } {
  assert.ok(text !== undefined, 'no such section');
  const rtts = [...text.matchAll(/^\d+ bytes from .* time=([\d.]+) ms(?: \(DUP!\))?$/gm)].map(m => Number(m[1]));
  const stats = /^(\d+) packets transmitted, (\d+) received/m.exec(text);
  assert.ok(stats, `no statistics in:\n${text}`);
  return { rtts, dups: (text.match(/\(DUP!\)/g) ?? []).length, sent: Number(stats[1]), received: Number(stats[2]) };
}

interface TcQdisc {
  kind: string;
  root?: boolean;
  options: Record<string, unknown>;
}

/** The root qdisc of a link, by `tc -j` inside its namespace. */
function tcRoot(ns: string, dev: string): TcQdisc {
  const r = spawnSync('tc', ['-n', ns, '-j', 'qdisc', 'show', 'dev', dev], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as TcQdisc[]).find(q => q.root)!;
}

/** What tc shows, in `shape`'s words (as show --json gives them): times, percentages (tc: fractions), rates (tc: bytes/s). */
function tcShape(q: TcQdisc): Record<string, string | number> {
  const o = q.options;
  const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);
  const field = (key: string, inner: string): number | undefined => {
    const v = o[key] as Record<string, unknown> | undefined;
    return v && v[inner] ? num(v[inner]) : undefined;
  };
  const pct = (f: number) => `${Number((f * 100).toPrecision(6))}%`;
  if (q.kind === 'tbf') return { rate: rateText(num(o['rate']) * 8) };
  assert.equal(q.kind, 'netem', JSON.stringify(q));
  const out: Record<string, string | number> = {};
  const delay = field('delay', 'delay');
  const jitter = field('delay', 'jitter');
  if (delay !== undefined) out['delay'] = timeText(delay);
  if (jitter !== undefined) out['jitter'] = timeText(jitter);
  for (const [key, tc] of [['loss', 'loss-random'], ['duplicate', 'duplicate'], ['reorder', 'reorder'], ['corrupt', 'corrupt']] as const) {
    const f = field(tc, key);
    if (f !== undefined) out[key] = pct(f);
  }
  const rate = field('rate', 'rate');
  if (rate !== undefined) out['rate'] = rateText(rate * 8);
  if (o['limit'] !== 1000) out['limit'] = num(o['limit']);
  return out;
}

describeVm('shape with netem', function () {
  this.timeout(240_000);
  afterEach(scrub);

  it('delay, loss, jitter and duplicates do to a ping what they say; off takes them away', () => {
    const r = nsh(['--rm', '-e', [
      'ns a b',
      // both ends: 50 ms each way
      'veth a.v0 <-> b.v0 10.0.0.1/24 delay 50ms',
      // (its ARP exchange, delayed too, would double the first round trip)
      'await a reach 10.0.0.2',
      'echo =delay',
      'in a ping 10.0.0.2 -c 3',
      'shape a.v0 b.v0 loss 100%',
      'echo =lost',
      '! in a ping 10.0.0.2 -c 2 -W 0.5',
      'shape b.v0 off',
      'shape a.v0 loss 30%',
      'echo =loss',
      'in a ping 10.0.0.2 -c 200 -i 0.01 -W 1',
      'shape a.v0 delay 20ms jitter 10ms',
      'echo =jitter',
      'in a ping 10.0.0.2 -c 20 -i 0.05',
      'shape a.v0 duplicate 100%',
      'echo =duplicate',
      'capture b.v0 &',
      'in a ping 10.0.0.2 -c 2',
      'kill %1',
      'shape a.v0 off',
      'echo =off',
      'in a tc -j qdisc show dev v0',
      'in a ping 10.0.0.2 -c 3',
    ].join('\n')], { timeoutMs: 180_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const s = sections(r.stdout);

    // 50 ms each way on both ends: a round trip of 100 ms and a little more
    const delay = pingOf(s['delay']);
    assert.equal(delay.rtts.length, 3, s['delay']);
    for (const t of delay.rtts) assert.ok(t >= 100 && t < 150, `RTT ${t} ms with 50 ms each way`);

    assert.equal(pingOf(s['lost']).received, 0, 'loss 100%: no reply');

    // 200 probes each lost with p = 0.3: the count lost is binomial, mean 60, sigma =
    // sqrt(200 × 0.3 × 0.7) = 6.48; six sigma either side is 60 ± 38.9, so between 22 and 98
    // lost (11% and 49%) fails once in about 10^9 runs
    const loss = pingOf(s['loss']);
    assert.equal(loss.sent, 200);
    const lost = loss.sent - loss.received;
    assert.ok(lost >= 22 && lost <= 98, `${lost} of 200 lost with loss 30%`);

    // delay 20 ms ± 10 ms on one end only: every round trip between 10 and 30 ms, and a little
    // more on a busy emulated CPU; 20 of them spread over more than 5 ms unless all 20 fell in
    // one quarter of the range (a chance of 20 × 0.25^19, about 10^-10)
    const jitter = pingOf(s['jitter']);
    assert.equal(jitter.rtts.length, 20, s['jitter']);
    const [min, max] = [Math.min(...jitter.rtts), Math.max(...jitter.rtts)];
    const said = `RTTs ${jitter.rtts.join(' ')} ms with delay 20ms jitter 10ms`;
    assert.ok(min >= 9 && max < 100, said);
    assert.ok(max - min > 5, said);

    // every request leaves twice: b sees each twice, and each is answered twice (DUP!); the
    // capture's last lines may come after `kill %1` has returned (as tcpdump's after a shell's
    // kill), so they are looked for in the whole output: it captured nothing but this ping
    const dup = pingOf(s['duplicate']);
    assert.equal(dup.dups, 2, s['duplicate']);
    for (const seq of [1, 2]) {
      const seen = (r.stdout.match(new RegExp(`In IP 10\\.0\\.0\\.1 > 10\\.0\\.0\\.2: ICMP echo request, id \\d+, seq ${seq},`, 'g')) ?? []).length;
      assert.equal(seen, 2, `the capture on b.v0 sees request ${seq} twice:\n${r.stdout}`);
    }

    // off: the veth's default qdisc back, and round trips of an unshaped veth
    const qdiscs = JSON.parse(/^\[.*\]$/m.exec(s['off']!)![0]) as TcQdisc[];
    assert.equal(qdiscs.find(q => q.root)?.kind, 'noqueue');
    for (const t of pingOf(s['off']).rtts) assert.ok(t < 50, `RTT ${t} ms after shape off`);
    assertClean();
  });

  it('rate 1mbit: a 1 MB TCP transfer takes 7-12 s; tc -j qdisc show agrees with show --json', () => {
    const node = process.execPath;
    const r = nsh(['--name', 'vmshape', '-e', [
      'ns a b',
      'veth a.v0 <-> b.v0 10.0.0.1/24',
      'shape a.v0 rate 1mbit',
      `in b ${node} ${TCP_TRANSFER} sink 5001 &`,
      'await b tcp 5001 timeout 30s',
      `in a ${node} ${TCP_TRANSFER} source 10.0.0.2 5001 1000000`,
      'wait %1',
      'shape b.v0 delay 50ms jitter 5ms loss 1% duplicate 2% reorder 10% corrupt 0.5% rate 10mbit limit 500',
    ].join('\n')], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // 1,000,000 bytes at 1 Mbit/s: 8 s, 8.4 s with the TCP/IP and Ethernet headers
    const [t] = transferred(r.stdout);
    assert.equal(t?.bytes, 1_000_000, r.stdout);
    assert.ok(t.seconds >= 7 && t.seconds <= 12, `1 MB at 1 Mbit/s took ${t.seconds} s`);

    const shown = nsh(['show', 'vmshape', '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    const json = JSON.parse(shown.stdout) as { name: string; links: { name: string; shape?: Record<string, unknown> }[] }[];
    const shapeOf = (ns: string) => json.find(n => n.name === ns)?.links.find(l => l.name === 'v0')?.shape;
    assert.deepEqual(shapeOf('a'), { rate: '1mbit' });
    assert.deepEqual(shapeOf('b'), { delay: '50ms', jitter: '5ms', loss: '1%', duplicate: '2%', reorder: '10%', corrupt: '0.5%', rate: '10mbit', limit: 500 });
    for (const ns of ['a', 'b']) {
      const tc = tcRoot(ns, 'v0');
      assert.deepEqual(tcShape(tc), shapeOf(ns), `tc -j in ${ns}: ${JSON.stringify(tc)}`);
    }
    assert.equal(nsh(['down', 'vmshape']).code, 0);
    assertClean();
  });

  it('examples/labs/wan.ns runs: the WAN\'s round trip is over 80 ms, the handshake is in its capture', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-wan-'));
    try {
      const r = nsh(['--rm', path.join(root, 'examples/labs/wan.ns')], { cwd: dir, timeoutMs: 120_000 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^hello across the WAN$/m);
      assert.match(r.stdout, /^[├└]─ wan\s+UP\s+veth\s+<-> r2\.wan\s+192\.0\.2\.1\/30\s+delay 40ms loss 1% rate 10mbit$/m);
      for (const t of pingOf(r.stdout.slice(r.stdout.indexOf('PING'))).rtts) assert.ok(t >= 80, `RTT ${t} ms across the WAN`);
      const read = spawnSync('tcpdump', ['-n', '-r', path.join(dir, 'wan.pcap')], { encoding: 'utf8' });
      assert.equal(read.status, 0, read.stderr);
      assert.match(read.stdout, /IP 10\.1\.0\.2\.\d+ > 10\.2\.0\.2\.8080: Flags \[S\]/);
      assert.match(read.stdout, /IP 10\.2\.0\.2\.8080 > 10\.1\.0\.2\.\d+: Flags \[S\.\]/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assertClean();
  });
});
