/**
 * capture and await as a script writes them, through bin/nsh: a capture to a file (relative to
 * nsh's directory) that `tcpdump -r` reads, a capture in the background ended by `kill %1`, one
 * in the foreground ended by its count; await on a TCP and a UDP port and on an address, one that
 * runs out of time with its sentence; Ctrl-C in an await and in a capture (exit 130 at once).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertClean, describeKernel, netnsList, nsh, nshAsync, scrub } from './harness.js';

const LAB = 'ns a b\nveth a.v0 <-> b.v0 10.9.0.1/24\n';

/** Runs `text` with nsh in the background; resolves once its output holds `mark`, then sends SIGINT and gives its end. */
async function interruptAfter(text: string, mark: string): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  const child = nshAsync(['-e', text]);
  let out = '';
  let err = '';
  child.stdout.on('data', d => (out += d));
  child.stderr.on('data', d => (err += d));
  const exited = new Promise<number | null>(r => child.once('exit', r));
  const t0 = Date.now();
  while (!out.includes(mark)) {
    if (Date.now() - t0 > 30_000) assert.fail(`no "${mark}" in: ${out}${err}`);
    await new Promise(r => setTimeout(r, 20));
  }
  await new Promise(r => setTimeout(r, 300)); // into the statement after the mark
  const sent = Date.now();
  child.kill('SIGINT');
  const code = await exited;
  return { code, out, err, ms: Date.now() - sent };
}

describeKernel('capture and await', function () {
  this.timeout(60_000);
  afterEach(scrub);

  it('a capture to a file, named as written (from nsh\'s directory), holds the handshake: tcpdump -r reads it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-capture-'));
    try {
      const r = nsh(['--rm', '-e', `${LAB}capture b.v0 to "hs.pcap" &\necho job $!\nin b nc -l 8080 &\nawait b tcp 8080\n` +
        'in a nc 10.9.0.2 8080 <<< "hello"\nwait %2\nkill %1\njobs'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^\[1\] \d+\njob \d+$/m, '$! is the capture job\'s');
      assert.match(r.stdout, /^hello$/m);
      const captured = /^(\d+) packets captured$/m.exec(r.stderr);
      assert.ok(captured, `kill %1 ends the capture with its count: ${r.stderr}`);
      const read = spawnSync('tcpdump', ['-n', '-r', path.join(dir, 'hs.pcap')], { encoding: 'utf8' });
      assert.equal(read.status, 0, read.stderr);
      const lines = read.stdout.trim().split('\n');
      assert.equal(lines.length, Number(captured[1]), 'tcpdump reads as many packets as nsh counted');
      assert.ok(lines.some(l => /IP 10\.9\.0\.1\.\d+ > 10\.9\.0\.2\.8080: Flags \[S\]/.test(l)), read.stdout);
      assert.ok(lines.some(l => /IP 10\.9\.0\.2\.8080 > 10\.9\.0\.1\.\d+: Flags \[S\.\]/.test(l)), read.stdout);
      assert.ok(lines.some(l => /> 10\.9\.0\.2\.8080: Flags \[P\.\].* length 6/.test(l)), 'the 6 bytes of "hello\\n"');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assertClean();
  });

  it('a capture in the foreground prints tcpdump-style lines and ends after its count', () => {
    // (on loopback: a veth carries IPv6 multicast reports of its own now and then)
    const r = nsh(['--rm', '-e', 'ns a\nup a.lo\nin a ping 127.0.0.1 -c 3 -i 0.3 &\ncapture a.lo count 2\nwait']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\S+ \S+ In IP 127\.0\.0\.1 > 127\.0\.0\.1: ICMP echo request, id \d+, seq \d, length 64$/m);
    assert.match(r.stdout, /^\S+ \S+ In IP 127\.0\.0\.1 > 127\.0\.0\.1: ICMP echo reply, id \d+, seq \d, length 64$/m);
    assert.match(r.stderr, /^2 packets captured$/m);
    assertClean();
  });

  it('await: a TCP and a UDP port once something listens there, an address once it answers', () => {
    const r = nsh(['--rm', '-e', `${LAB}in a nc -l 8080 &\nawait a tcp 8080\nin b nc 10.9.0.1 8080 <<< "over tcp"\nwait %1\n` +
      'in b nc -l -u -w 1 5353 &\nawait b udp 5353 timeout 5s\nin a nc -u 10.9.0.2 5353 <<< "over udp"\nwait %2\nawait a reach 10.9.0.2 timeout 2s']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^over tcp$/m);
    assert.match(r.stdout, /^over udp$/m);
    assertClean();
  });

  it('an await that runs out of time fails with its sentence', () => {
    let r = nsh(['-e', `${LAB}await b tcp 9 timeout 1s`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^-e:3:1: error: nothing listens on tcp 9 in "b" after 1 s$/m);
    r = nsh(['-e', `${LAB}await a reach 10.9.0.3 timeout 0.5s`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^-e:3:1: error: 10\.9\.0\.3 does not answer from "a" after 500 ms$/m);
    assertClean();
  });

  it('Ctrl-C in an await ends the run at once: exit 130, the lab removed', async () => {
    const r = await interruptAfter(`${LAB}echo waiting\nawait b tcp 9 timeout 60s\necho after`, 'waiting');
    assert.equal(r.code, 130, r.err);
    assert.ok(r.ms < 10_000, `nsh ended ${r.ms} ms after SIGINT, not at once`);
    assert.match(r.err, /^-e:4:1: error: await was interrupted$/m);
    assert.doesNotMatch(r.out, /after/);
    assert.deepEqual(netnsList(), []);
    assertClean();
  });

  it('Ctrl-C in a capture ends it, says what it captured, and interrupts the script (exit 130)', async () => {
    const r = await interruptAfter(`${LAB}echo capturing\ncapture b.v0\necho after`, 'capturing');
    assert.equal(r.code, 130, r.err);
    assert.match(r.err, /^\d+ packets? captured$/m);
    assert.doesNotMatch(r.out, /after/);
    assert.deepEqual(netnsList(), []);
    assertClean();
  });
});
