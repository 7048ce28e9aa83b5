/**
 * The built-in capture against the kernel (in the sandbox), with tcpdump as the oracle: a pcap
 * file nsh writes is read back with `tcpdump -r`, its packet count compared with nsh's own, and
 * nsh's printed lines compared with tcpdump's (-S: absolute sequence numbers, as nsh prints
 * them) for ICMP, TCP, UDP, ARP and IPv6 neighbour discovery. The file is whole after stop() and
 * after SIGKILL of a process that was capturing; count, for, loopback, 802.1Q tags, an interface
 * that goes down and comes back, and one that goes away.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NsHandles } from '../../src/backend/linux/handles.js';
import { SOCK_RAW, sendto } from '../../src/backend/linux/libc.js';
import { AF_PACKET } from '../../src/backend/linux/libc-packet.js';
import { ncConnect, ncListen } from '../../src/backend/linux/nc.js';
import { deleteNamedNetns } from '../../src/backend/linux/netns.js';
import { CaptureError, type CaptureStats, startCapture } from '../../src/backend/linux/packet-capture.js';
import { packetSockaddr } from '../../src/backend/linux/packet-ring.js';
import { ping } from '../../src/backend/linux/ping.js';
import { closeQuietly, socketIn } from '../../src/backend/linux/sockets.js';
import { Capture } from '../helpers/capture.js';
import { describeKernel, ip, vethBetween } from './kernel-sandbox.js';

/** What an fd of this process points at ('' when it closed meanwhile). */
function fdTarget(fd: string): string {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return '';
  }
}


const sink = new Capture();

/** `tcpdump -n -S -tttt -r FILE [-e]`: its lines, and whether it read the file to its end without complaint. */
function tcpdumpRead(file: string, ...extra: string[]): { lines: string[]; ok: boolean; stderr: string } {
  const r = spawnSync('tcpdump', ['-n', '-S', '-tttt', ...extra, '-r', file], { encoding: 'utf8' });
  return { lines: r.stdout.trim().split('\n').filter(Boolean), ok: r.status === 0 && !/truncated|error/i.test(r.stderr), stderr: r.stderr };
}

/** The records of a pcap file, checking that it ends where a record ends. */
function records(file: string): { count: number; whole: boolean; times: bigint[] } {
  const b = readFileSync(file);
  const times: bigint[] = [];
  let at = 24;
  while (at + 16 <= b.length) {
    times.push(BigInt(b.readUInt32LE(at)) * 1_000_000_000n + BigInt(b.readUInt32LE(at + 4)));
    at += 16 + b.readUInt32LE(at + 8);
  }
  return { count: times.length, whole: at === b.length, times };
}

/** nsh's line without the direction word (tcpdump -r has none), and tcpdump's, both without the time. */
const body = (line: string, ours: boolean) => line.replace(ours ? /^\S+ \S+ \S+ / : /^\S+ \S+ /, '');

describeKernel('linux/capture: the built-in packet capture (kernel)', () => {
  const handles = new NsHandles();
  let fa: number;
  let fb: number;
  let ia: number;
  let dir: string;

  before(async () => {
    await vethBetween('ca', 'cb', { va: 'cva', vb: 'cvb', net: '10.12.0', prefix: 'fd12' });
    fa = handles.netFd('ca');
    fb = handles.netFd('cb');
    ia = handles.index('ca', 'cva');
    dir = mkdtempSync(join(tmpdir(), 'nsh-capture-'));
  });

  after(() => {
    handles.closeAll();
    for (const n of ['ca', 'cb']) deleteNamedNetns(n);
    rmSync(dir, { recursive: true, force: true });
  });

  /** TCP (a connection carrying data, and one refused), UDP (answered by a port unreachable), from ca to cb. */
  async function traffic(address: string): Promise<void> {
    let listening!: () => void;
    const up = new Promise<void>(r => (listening = r));
    const done = ncListen({ netFd: fb, udp: false, port: 8080, out: sink, onListening: listening });
    await up;
    await ncConnect({ netFd: fa, udp: false, address, port: 8080, input: 'hello\n', out: sink });
    await done;
    await ncConnect({ netFd: fa, udp: true, address, port: 9, input: 'x\n', out: sink });
    await ncConnect({ netFd: fa, udp: false, address, port: 8081, input: 'x\n', out: sink }).catch(() => {});
  }

  it('a file tcpdump reads; the same packets nsh prints, decoded as tcpdump decodes them', async () => {
    ip('-n', 'ca', 'neigh', 'flush', 'dev', 'cva'); // so that ARP and neighbour discovery are seen
    const file = join(dir, 'mixed.pcap');
    const text = new Capture();
    const toFile = startCapture({ netFd: fa, ifindex: ia, file, out: sink });
    const printed = startCapture({ netFd: fa, ifindex: ia, out: text });
    await ping({ netFd: fa, address: '10.12.0.2', family: 4, count: 1, interval: 0.1, timeout: 1, out: sink });
    await ping({ netFd: fa, address: 'fd12::2', family: 6, count: 1, interval: 0.1, timeout: 1, out: sink });
    await traffic('10.12.0.2');
    await traffic('fd12::2');
    toFile.stop();
    printed.stop();
    const [fileStats, textStats] = await Promise.all([toFile.done, printed.done]);

    const read = tcpdumpRead(file);
    assert.ok(read.ok, read.stderr);
    assert.equal(read.lines.length, fileStats.captured, 'tcpdump reads every packet nsh wrote');
    assert.equal(records(file).whole, true);
    const ours = text.text.trim().split('\n').map(l => body(l, true));
    const theirs = read.lines.map(l => body(l, false).replace(/: HTTP$/, ''));
    assert.equal(textStats.captured, ours.length);
    // the two sockets saw the same packets (a stop may cut them a packet apart): every kind is in both
    const kinds = [
      /^ARP, Request who-has 10\.12\.0\.2 tell 10\.12\.0\.1, length 28$/,
      /^ARP, Reply 10\.12\.0\.2 is-at [0-9a-f:]{17}, length 28$/,
      /^IP 10\.12\.0\.1 > 10\.12\.0\.2: ICMP echo request, id \d+, seq 1, length 64$/,
      /^IP6 fd12::1 > ff02::1:ff00:2: ICMP6, neighbor solicitation, who has fd12::2, length 32$/,
      /^IP6 fd12::2 > fd12::1: ICMP6, neighbor advertisement, tgt is fd12::2, length 32$/,
      /^IP6 fd12::1 > fd12::2: ICMP6, echo request, id \d+, seq 1, length 64$/,
      /^IP 10\.12\.0\.1\.\d+ > 10\.12\.0\.2\.8080: Flags \[S\], seq \d+, win \d+, options \[mss 1460,sackOK,TS val \d+ ecr 0,nop,wscale \d+\], length 0$/,
      /^IP 10\.12\.0\.2\.8080 > 10\.12\.0\.1\.\d+: Flags \[S\.\], seq \d+, ack \d+, win \d+, options \[.*\], length 0$/,
      /^IP 10\.12\.0\.1\.\d+ > 10\.12\.0\.2\.8080: Flags \[P\.\], seq \d+:\d+, ack \d+, win \d+, options \[nop,nop,TS val \d+ ecr \d+\], length 6$/,
      /^IP 10\.12\.0\.1\.\d+ > 10\.12\.0\.2\.8080: Flags \[F\.\], seq \d+, ack \d+, win \d+, options \[.*\], length 0$/,
      /^IP 10\.12\.0\.2\.8081 > 10\.12\.0\.1\.\d+: Flags \[R\.\], seq 0, ack \d+, win 0, length 0$/,
      /^IP 10\.12\.0\.1\.\d+ > 10\.12\.0\.2\.9: UDP, length 2$/,
      /^IP 10\.12\.0\.2 > 10\.12\.0\.1: ICMP 10\.12\.0\.2 udp port 9 unreachable, length 38$/,
      /^IP6 fd12::1\.\d+ > fd12::2\.8080: Flags \[S\], seq \d+, win \d+, options \[mss 1440,.*\], length 0$/,
      /^IP6 fd12::2 > fd12::1: ICMP6, destination unreachable, unreachable port, fd12::2 udp port 9, length 58$/,
    ];
    for (const k of kinds) {
      const line = theirs.find(l => k.test(l));
      assert.ok(line, `tcpdump shows ${k}`);
      assert.ok(ours.includes(line), `nsh prints, as tcpdump does: ${line}`);
    }
    // and every line of one is a line of the other, where both saw the packet
    const common = theirs.filter(l => ours.includes(l));
    assert.ok(common.length >= Math.min(ours.length, theirs.length) - 2, `lines differ:\nnsh:\n${ours.join('\n')}\ntcpdump:\n${theirs.join('\n')}`);
  });

  it('count N: ends after N packets, with N records in the file', async () => {
    const file = join(dir, 'count.pcap');
    const c = startCapture({ netFd: fa, ifindex: ia, file, count: 3, out: sink });
    const pings = ping({ netFd: fa, address: '10.12.0.2', family: 4, count: 10, interval: 0.02, timeout: 1, out: sink });
    const stats = await c.done;
    await pings;
    assert.equal(stats.captured, 3);
    assert.deepEqual([records(file).count, records(file).whole], [3, true]);
    assert.equal(tcpdumpRead(file).lines.length, 3);
  });

  it('for TIME: ends by itself, with no packet stamped after the end', async () => {
    const file = join(dir, 'for.pcap');
    const start = BigInt(Date.now()) * 1_000_000n;
    const c = startCapture({ netFd: fa, ifindex: ia, file, seconds: 0.3, out: sink });
    const pings = ping({ netFd: fa, address: '10.12.0.2', family: 4, count: 30, interval: 0.02, timeout: 1, out: sink });
    const stats = await c.done;
    await pings;
    const r = records(file);
    assert.ok(stats.captured > 0 && r.count === stats.captured && r.whole);
    for (const t of r.times) assert.ok(t <= start + 400_000_000n, 'stamped within the capture (and the clock read before it)');
  });

  it('stop() while packets flow: the file ends at a record, and tcpdump reads it', async () => {
    const file = join(dir, 'stop.pcap');
    const c = startCapture({ netFd: fa, ifindex: ia, file, out: sink });
    const pings = ping({ netFd: fa, address: '10.12.0.2', family: 4, count: 40, interval: 0.005, timeout: 1, out: sink });
    await new Promise(r => setTimeout(r, 100));
    c.stop();
    const stats = await c.done;
    await pings;
    const r = records(file);
    assert.ok(r.whole);
    assert.equal(r.count, stats.captured);
    const read = tcpdumpRead(file);
    assert.ok(read.ok, read.stderr);
    assert.equal(read.lines.length, stats.captured);
  });

  it('SIGKILL of a process that was capturing: the file ends at a record, and tcpdump reads it', async () => {
    const file = join(dir, 'killed.pcap');
    const engine = new URL('../../src/backend/linux/packet-capture.js', import.meta.url).href;
    const handlesUrl = new URL('../../src/backend/linux/handles.js', import.meta.url).href;
    const child = spawn(process.execPath, ['--input-type=module', '-e', `
      const { startCapture } = await import(${JSON.stringify(engine)});
      const { NsHandles } = await import(${JSON.stringify(handlesUrl)});
      const h = new NsHandles();
      const c = startCapture({ netFd: h.netFd('ca'), ifindex: h.index('ca', 'cva'), file: ${JSON.stringify(file)}, out: process.stdout });
      await c.reading;
      process.stdout.write('reading\\n');
      setInterval(() => {}, 1000);
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('reading') && resolve());
      child.on('exit', code => reject(new Error(`the capturing process ended (${code})`)));
    });
    const pings = ping({ netFd: fa, address: '10.12.0.2', family: 4, count: 200, interval: 0.002, timeout: 1, out: sink });
    // kill it while the pings go on and it writes: once the file holds some records
    for (let i = 0; i < 2000 && statSync(file).size < 24 + 10 * 114; i++) await new Promise(r => setTimeout(r, 5));
    child.kill('SIGKILL');
    await new Promise(r => child.on('close', r));
    await pings;
    const r = records(file);
    assert.ok(r.count >= 10 && r.whole, `${r.count} records, whole: ${r.whole}`);
    const read = tcpdumpRead(file);
    assert.ok(read.ok, read.stderr);
    assert.equal(read.lines.length, r.count);
  });

  it('loopback: each packet once (the kernel shows it leaving and arriving)', async () => {
    ip('-n', 'ca', 'link', 'set', 'lo', 'up');
    const text = new Capture();
    const c = startCapture({ netFd: fa, ifindex: handles.index('ca', 'lo'), out: text });
    await ping({ netFd: fa, address: '127.0.0.1', family: 4, count: 2, interval: 0.05, timeout: 1, out: sink });
    c.stop();
    const stats = await c.done;
    const lines = text.text.trim().split('\n');
    assert.equal(lines.filter(l => / In IP 127\.0\.0\.1 > 127\.0\.0\.1: ICMP echo request/.test(l)).length, 2, text.text);
    assert.equal(lines.filter(l => /ICMP echo reply/.test(l)).length, 2, text.text);
    assert.equal(stats.captured, 4);
  });

  it('802.1Q: a tag in the frame (leaving) and one the kernel took out (arriving) are shown, and written back into the file', async () => {
    const ib = handles.index('cb', 'cvb');
    const file = join(dir, 'vlan.pcap');
    const sent = new Capture();
    const got = new Capture();
    const leaving = startCapture({ netFd: fb, ifindex: ib, out: sent });
    const arriving = startCapture({ netFd: fa, ifindex: ia, out: got });
    const toFile = startCapture({ netFd: fa, ifindex: ia, file, out: sink });
    // a UDP datagram to the broadcast MAC, tagged VLAN 10, sent raw from cb
    const udp = [0x13, 0x88, 0x17, 0x70, 0, 13, 0, 0, 1, 2, 3, 4, 5];
    const ipHdr = [0x45, 0, 0, 20 + udp.length, 0, 1, 0, 0, 64, 17, 0, 0, 10, 12, 0, 2, 10, 12, 0, 1];
    const frame = Buffer.from([...Array(6).fill(0xff), 2, 0, 0, 0, 0, 0xbb, 0x81, 0x00, 0x00, 10, 0x08, 0x00, ...ipHdr, ...udp]);
    const raw = socketIn(fb, AF_PACKET, SOCK_RAW, 0);
    try {
      sendto(raw, frame, 0, packetSockaddr(ib, AF_PACKET, 0));
    } finally {
      closeQuietly(raw);
    }
    await ping({ netFd: fa, address: '10.12.0.2', family: 4, count: 1, interval: 0.1, timeout: 1, out: sink });
    for (const c of [leaving, arriving, toFile]) c.stop();
    await Promise.all([leaving.done, arriving.done, toFile.done]);
    const want = 'vlan 10, IP 10.12.0.2.5000 > 10.12.0.1.6000: UDP, length 5';
    assert.ok(sent.text.includes(` Out ${want}`), sent.text);
    assert.ok(got.text.includes(` M ${want}`) || got.text.includes(` B ${want}`), got.text);
    const read = tcpdumpRead(file, '-e');
    assert.ok(read.ok, read.stderr);
    assert.ok(read.lines.some(l => /ethertype 802\.1Q \(0x8100\), length 51: vlan 10, p 0, ethertype IPv4 \(0x0800\), 10\.12\.0\.2\.5000 > 10\.12\.0\.1\.6000: UDP, length 5/.test(l)), read.lines.join('\n'));
  });

  it('an interface that goes down and up again: the capture goes on; one that goes away ends it with a sentence', async () => {
    ip('-n', 'cb', 'link', 'add', 'tmp0', 'type', 'veth', 'peer', 'name', 'tmp1');
    ip('-n', 'cb', 'addr', 'add', '10.13.0.1/24', 'dev', 'tmp0');
    ip('-n', 'cb', 'link', 'set', 'tmp1', 'up');
    const text = new Capture();
    const c = startCapture({ netFd: fb, ifindex: handles.index('cb', 'tmp0'), out: text }); // while it is down
    ip('-n', 'cb', 'link', 'set', 'tmp0', 'up');
    await ping({ netFd: fb, address: '10.13.0.2', family: 4, count: 1, interval: 0.1, timeout: 0.2, out: sink });
    ip('-n', 'cb', 'link', 'set', 'tmp0', 'down');
    ip('-n', 'cb', 'link', 'set', 'tmp0', 'up');
    await ping({ netFd: fb, address: '10.13.0.3', family: 4, count: 1, interval: 0.1, timeout: 0.2, out: sink });
    ip('-n', 'cb', 'link', 'del', 'tmp0');
    let stats: CaptureStats | undefined;
    const e = await c.done.then(s => (stats = s), (x: unknown) => x);
    assert.equal(stats, undefined, 'it ends with an error');
    assert.ok(e instanceof CaptureError && e.message === 'the interface went away', String(e));
    assert.match(text.text, /who-has 10\.13\.0\.2 tell 10\.13\.0\.1/);
    assert.match(text.text, /who-has 10\.13\.0\.3 tell 10\.13\.0\.1/, 'packets after down and up');
  });

  it('a file that cannot be written: a sentence, and nothing left open', () => {
    // (what the fds point at: workers of earlier tests may close theirs meanwhile, so a count would
    // not do; an fd gone before it could be read was not left open)
    const open = () => new Set(readdirSync('/proc/self/fd').map(fd => `${fd} ${fdTarget(fd)}`).filter(f => !f.endsWith(' ')));
    const fds = open();
    assert.throws(
      () => startCapture({ netFd: fa, ifindex: ia, file: join(dir, 'no/such/dir.pcap'), out: sink }),
      (e: unknown) => e instanceof CaptureError && /^cannot write .*no\/such\/dir\.pcap: no such file or directory$/.test(e.message),
    );
    assert.deepEqual([...open()].filter(f => !fds.has(f)), [], 'no fd opened and left open');
  });
});
