/**
 * The capture and await operations through the Linux backend (in the sandbox), as the
 * interpreter will hand them over: a capture in the foreground and as a job (which a bare
 * `wait` passes by and `kill %N` ends), the sentences of what fails, an await that succeeds,
 * runs out of time or is interrupted; and --explain's await line run by sh against the kernel.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpError, type Job } from '../../src/backend/backend.js';
import { ExplainBackend } from '../../src/backend/explain/explain.js';
import { LinuxBackend } from '../../src/backend/linux/linux-backend.js';
import { deleteNamedNetns } from '../../src/backend/linux/netns.js';
import type { Span } from '../../src/core/span.js';
import { Capture } from '../helpers/capture.js';
import { describeKernel, vethBetween } from './kernel-sandbox.js';

const span: Span = { source: { name: 'test.ns', text: '' }, start: 0, end: 0, line: 1, col: 1 };
const ns = (name: string) => ({ kind: 'name', name }) as const;

const rejectsWith = (p: Promise<unknown>, message: string | RegExp) =>
  assert.rejects(p, (e: unknown) => e instanceof OpError && (typeof message === 'string' ? e.message === message : message.test(e.message)));

describeKernel('linux/capture and await operations (kernel)', () => {
  const stdout = new Capture();
  const stderr = new Capture();
  let b: LinuxBackend;
  let dir: string;

  before(async () => {
    await vethBetween('oa', 'ob', { va: 'ova', vb: 'ovb', net: '10.15.0', prefix: 'fd15' });
    b = new LinuxBackend({ stdout, stderr, inheritStdin: false, color: false });
    dir = mkdtempSync(join(tmpdir(), 'nsh-capture-ops-'));
  });

  after(async () => {
    await b.apply({ kind: 'kill', span, targets: [] }).catch(() => {});
    b.close();
    for (const n of ['oa', 'ob']) deleteNamedNetns(n);
    rmSync(dir, { recursive: true, force: true });
  });

  it('capture count N in the foreground: N lines, and what tcpdump says at its end', async () => {
    stdout.text = stderr.text = '';
    const pings = await b.apply({ kind: 'ping', span, ref: ns('oa'), address: '10.15.0.2', family: 4, count: 20, interval: 0.02, timeout: 1, background: true });
    await b.apply({ kind: 'capture', span, ep: { ns: 'oa', ifname: 'ova' }, count: 4, background: false });
    const lines = stdout.text.split('\n').filter(l => / (In|Out|B|M) /.test(l));
    assert.equal(lines.length, 4, stdout.text);
    assert.match(stderr.text, /^4 packets captured\n$/);
    await b.apply({ kind: 'wait', span, targets: [{ kind: 'job', id: (pings as Job).id }] });
  });

  it('capture as a job: a bare wait passes it by, jobs lists it, kill %N ends it and the file is whole', async () => {
    stdout.text = stderr.text = '';
    const file = join(dir, 'job.pcap');
    const job = (await b.apply({ kind: 'capture', span, ep: { ns: 'oa', ifname: 'ova' }, file, background: true })) as Job;
    assert.equal(job.pid, process.pid, 'a built-in job: $! is nsh');
    await b.apply({ kind: 'ping', span, ref: ns('oa'), address: '10.15.0.2', family: 4, count: 2, interval: 0.05, timeout: 1, background: false });
    await b.apply({ kind: 'wait', span, targets: [] }); // returns although the capture runs on
    await b.apply({ kind: 'jobs', span });
    assert.match(stdout.text, new RegExp(`\\[${job.id}\\] \\d+ running  capture oa\\.ova to "${file.replace(/[.]/g, '\\.')}"`));
    await b.apply({ kind: 'kill', span, targets: [{ kind: 'job', id: job.id }] });
    for (let i = 0; i < 200 && !/captured/.test(stderr.text); i++) await new Promise(r => setTimeout(r, 10));
    assert.match(stderr.text, /^\d+ packets captured\n$/);
    const read = spawnSync('tcpdump', ['-n', '-r', file], { encoding: 'utf8' });
    assert.equal(read.status, 0, read.stderr);
    assert.ok(read.stdout.split('\n').filter(l => /ICMP echo request/.test(l)).length === 2, read.stdout);
  });

  it('capture: sentences for an interface that is not there and a file that cannot be written', async () => {
    await rejectsWith(b.apply({ kind: 'capture', span, ep: { ns: 'oa', ifname: 'nope0' }, count: 1, background: false }), 'there is no interface "nope0" in namespace "oa"');
    await rejectsWith(
      b.apply({ kind: 'capture', span, ep: { ns: 'oa', ifname: 'ova' }, file: join(dir, 'no', 'x.pcap'), count: 1, background: true }),
      /^cannot write .*\/no\/x\.pcap: no such file or directory$/,
    );
  });

  it('capture in the foreground until Ctrl-C: the statement succeeds', async () => {
    stderr.text = '';
    const running = b.apply({ kind: 'capture', span, ep: { ns: 'oa', ifname: 'ova' }, background: false });
    setTimeout(() => b.interrupt(), 100);
    await running;
    assert.match(stderr.text, /packets? captured/);
  });

  it('await tcp|udp PORT: until something listens; the sentence when nothing does', async () => {
    const listener = (await b.apply({ kind: 'nc', span, ref: ns('ob'), listen: true, udp: false, port: 8080, background: true })) as Job;
    await b.apply({ kind: 'await', span, ref: ns('ob'), what: 'tcp', port: 8080, timeout: 10 });
    await rejectsWith(b.apply({ kind: 'await', span, ref: ns('ob'), what: 'udp', port: 8080, timeout: 0.2 }), 'nothing listens on udp 8080 in "ob" after 200 ms');
    await rejectsWith(b.apply({ kind: 'await', span, ref: ns('oa'), what: 'tcp', port: 8080, timeout: 0.1 }), 'nothing listens on tcp 8080 in "oa" after 100 ms');
    await b.apply({ kind: 'kill', span, targets: [{ kind: 'job', id: listener.id }] });
  });

  it('await reach ADDR: until it answers; the sentence when it does not; Ctrl-C ends it', async () => {
    await b.apply({ kind: 'await', span, ref: ns('oa'), what: 'reach', address: 'fd15::2', family: 6, timeout: 10 });
    await rejectsWith(b.apply({ kind: 'await', span, ref: ns('oa'), what: 'reach', address: '10.15.0.9', family: 4, timeout: 0.3 }), '10.15.0.9 does not answer from "oa" after 300 ms');
    const waiting = b.apply({ kind: 'await', span, ref: ns('oa'), what: 'reach', address: '10.15.0.9', family: 4, timeout: 60 });
    setTimeout(() => b.interrupt(), 50);
    await rejectsWith(waiting, 'await was interrupted');
  });

  it("--explain's await line, run by sh: returns once the port listens, fails with nsh's sentence otherwise", async () => {
    const text: string[] = [];
    const explain = new ExplainBackend({ write: t => text.push(t) });
    await explain.apply({ kind: 'await', span, ref: ns('ob'), what: 'tcp', port: 8081, timeout: 0.3 });
    await explain.apply({ kind: 'await', span, ref: ns('ob'), what: 'reach', address: '10.15.0.1', family: 4, timeout: 5 });
    const [listenLine, reachLine] = text;
    const before = spawnSync('sh', ['-c', listenLine!], { encoding: 'utf8' });
    assert.notEqual(before.status, 0);
    assert.equal(before.stderr, 'nsh: nothing listens on tcp 8081 in "ob" after 300 ms\n');
    const listener = (await b.apply({ kind: 'nc', span, ref: ns('ob'), listen: true, udp: false, port: 8081, background: true })) as Job;
    const after = spawnSync('sh', ['-c', listenLine!], { encoding: 'utf8' });
    assert.equal(after.status, 0, after.stderr);
    assert.equal(spawnSync('sh', ['-c', reachLine!], { encoding: 'utf8' }).status, 0);
    await b.apply({ kind: 'kill', span, targets: [{ kind: 'job', id: listener.id }] });
  });
});
