/**
 * The capture and await operations in the backends that touch nothing: the shell text of
 * --explain (tcpdump; `until` loops over ss and ping under `timeout`), the dry run's model (a
 * capture needs its interface), the unprivileged backend (refuses), and the sentence an await
 * that runs out of time says, the same everywhere.
 */
import { strict as assert } from 'node:assert';
import { awaitTimeoutText, secondsText } from '../src/backend/await-text.js';
import { OpError, type AwaitOp } from '../src/backend/backend.js';
import { DryRunBackend } from '../src/backend/dry-run/dry-run.js';
import { ExplainBackend } from '../src/backend/explain/explain.js';
import { UnprivilegedBackend } from '../src/backend/unprivileged.js';
import type { Span } from '../src/core/span.js';
import { Capture } from './helpers/capture.js';

const span: Span = { source: { name: 'lab.ns', text: '' }, start: 0, end: 0, line: 1, col: 1 };
const a = { kind: 'name', name: 'a' } as const;

async function explained(...ops: Parameters<ExplainBackend['apply']>[0][]): Promise<string[]> {
  const out: string[] = [];
  const b = new ExplainBackend({ write: t => out.push(t) });
  for (const op of ops) await b.apply(op);
  return out.join('\n').split('\n');
}

describe('capture and await in explain, the dry run and without privileges', () => {
  it('explain: capture as tcpdump inside the namespace; `for` under timeout (124 is its end); a job keeps its pid', async () => {
    assert.deepEqual(await explained({ kind: 'capture', span, ep: { ns: 'a', ifname: 'v0' }, file: 'out.pcap', count: 10, background: false }), [
      'ip netns exec a tcpdump -n -i v0 -w out.pcap -c 10',
    ]);
    assert.deepEqual(await explained({ kind: 'capture', span, ep: { ns: 'a', ifname: 'v0' }, seconds: 2.5, background: false }), [
      'ip netns exec a timeout 2.5 tcpdump -n -i v0 -tttt || [ $? -eq 124 ]',
    ]);
    assert.deepEqual(await explained({ kind: 'capture', span, ep: { ns: 'host', ifname: 'eth0' }, file: 'my file.pcap', background: true }), [
      "tcpdump -n -i eth0 -w 'my file.pcap' &",
      'nsh_job1=$!',
    ]);
  });

  it('explain: await as an `until` loop over ss or ping, under timeout, failing with nsh\'s sentence', async () => {
    assert.deepEqual(await explained({ kind: 'await', span, ref: a, what: 'tcp', port: 8080, timeout: 10 }), [
      "ip netns exec a timeout 10 sh -c 'until ss -Hltn sport = :8080 | grep -q .; do sleep 0.01; done' || { echo 'nsh: nothing listens on tcp 8080 in \"a\" after 10 s' >&2; false; }",
    ]);
    assert.deepEqual(await explained({ kind: 'await', span, ref: a, what: 'udp', port: 53, timeout: 1.5 }), [
      "ip netns exec a timeout 1.5 sh -c 'until ss -Hlun sport = :53 | grep -q .; do sleep 0.01; done' || { echo 'nsh: nothing listens on udp 53 in \"a\" after 1.5 s' >&2; false; }",
    ]);
    assert.deepEqual(await explained({ kind: 'await', span, ref: { kind: 'pid', pid: 42 }, what: 'reach', address: 'fd00::2', family: 6, timeout: 10 }), [
      "nsenter -t 42 -n -u -- timeout 10 sh -c 'until ping -c1 -W1 fd00::2 > /dev/null 2>&1; do sleep 0.01; done' || { echo 'nsh: fd00::2 does not answer from the namespace of process 42 after 10 s' >&2; false; }",
    ]);
  });

  it('the dry run: a capture needs an interface the lab has (a namespace it does not know may have anything); await needs nothing', async () => {
    const d = new DryRunBackend();
    await d.apply({ kind: 'ns-add', span, name: 'a' });
    const ep = { ns: 'a', ifname: 'v0', span };
    await assert.rejects(d.apply({ kind: 'capture', span, ep, background: false }), (e: unknown) =>
      e instanceof OpError && e.message === 'there is no interface "v0" in namespace "a"' && e.at === span);
    await d.apply({ kind: 'veth', span, left: ep, right: { ns: 'host', ifname: 'h0' }, leftAddrs: [], rightAddrs: [] });
    assert.equal(await d.apply({ kind: 'capture', span, ep, background: false }), undefined);
    assert.deepEqual(await d.apply({ kind: 'capture', span, ep, background: true }), { id: 1, pid: { kind: 'shell', name: 'job1' } });
    await d.apply({ kind: 'capture', span, ep: { ns: 'other', ifname: 'x' }, background: false });
    await d.apply({ kind: 'await', span, ref: a, what: 'tcp', port: 1, timeout: 1 });
  });

  it('without privileges: both are refused with the sentence of every kernel statement', async () => {
    const u = new UnprivilegedBackend(new Capture());
    for (const op of [
      { kind: 'capture', span, ep: { ns: 'a', ifname: 'v0' }, background: false } as const,
      { kind: 'await', span, ref: a, what: 'reach', address: '10.0.0.2', family: 4, timeout: 10 } as const,
    ]) {
      await assert.rejects(u.apply(op), (e: unknown) => e instanceof OpError && /needs root/.test(e.message));
    }
  });

  it('the sentence of an await that ran out of time', () => {
    const op = (o: Partial<AwaitOp>): AwaitOp => ({ kind: 'await', span, ref: a, what: 'tcp', port: 8080, timeout: 10, ...o }) as AwaitOp;
    assert.equal(awaitTimeoutText(op({})), 'nothing listens on tcp 8080 in "a" after 10 s');
    assert.equal(awaitTimeoutText(op({ what: 'reach', address: '10.0.0.2', family: 4 } as Partial<AwaitOp>)), '10.0.0.2 does not answer from "a" after 10 s');
    assert.equal(awaitTimeoutText(op({ ref: { kind: 'name', name: 'host' }, what: 'udp', timeout: 0.25 } as Partial<AwaitOp>)), 'nothing listens on udp 8080 in the host namespace after 250 ms');
    assert.deepEqual([secondsText(1.5), secondsText(0.001), secondsText(120)], ['1.5 s', '1 ms', '120 s']);
  });
});
