/**
 * `shape` on the kernel the tests run on, which may lack netem (sch_netem): a rate alone is a
 * token bucket (tbf) and works, as a TCP transfer's time shows; the other options fail with the
 * contract's sentence and change nothing (a veth with them is removed); shaping a link the lab did
 * not make is recorded and undone by every teardown. `tc -j` is the oracle. (With netem: test/vm.)
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { TCP_TRANSFER, transferred } from '../helpers/tcp-transfer.js';
import { assertClean, describeKernel, hostLinks, ip, nsh, scrub, writeScript } from './harness.js';

interface Qdisc {
  kind: string;
  handle: string;
  root?: boolean;
  options?: Record<string, unknown>;
}

/** `tc -j qdisc show dev DEV` in a namespace (`host`: the test's own): the root qdisc, or undefined. */
function rootQdisc(ns: string, dev: string): Qdisc | undefined {
  const r = spawnSync('tc', [...(ns === 'host' ? [] : ['-n', ns]), '-j', 'qdisc', 'show', 'dev', dev], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout || '[]') as Qdisc[]).find(q => q.root);
}

/** What a root qdisc is, without its refcount: what "as it was" compares. */
function qdiscOf(ns: string, dev: string): unknown {
  const q = rootQdisc(ns, dev);
  return q && { kind: q.kind, handle: q.handle, options: q.options };
}

const NO_NETEM = /error: the kernel has no netem \(module sch_netem\), which every shaping option but rate needs; rate alone works without it/;

/** Whether this kernel has netem: the tests of its absence run where it is absent. */
function hasNetem(): boolean {
  ip('link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1');
  try {
    return spawnSync('tc', ['qdisc', 'add', 'dev', 'probe0', 'root', 'netem', 'delay', '1ms']).status === 0;
  } finally {
    ip('link', 'del', 'probe0');
  }
}

/** Two links of the test's own namespace that no lab made, the second with a qdisc of its own (pfifo, handle 5:). */
function hostPair(): void {
  ip('link', 'add', 'hx', 'type', 'veth', 'peer', 'name', 'hy');
  ip('link', 'set', 'hx', 'up');
  ip('link', 'set', 'hy', 'up');
  const r = spawnSync('tc', ['qdisc', 'add', 'dev', 'hy', 'root', 'handle', '5:', 'pfifo', 'limit', '50']);
  assert.equal(r.status, 0, String(r.stderr));
}

describeKernel('shape on this kernel', function () {
  this.timeout(120_000);
  afterEach(() => {
    for (const l of ['hx', 'probe0']) if (hostLinks().includes(l)) ip('link', 'del', l);
    scrub();
  });

  it('rate alone is a token bucket: a TCP transfer takes as long as the rate says, and off takes it away', () => {
    const node = process.execPath;
    const transfer = (port: number) =>
      `in b ${node} ${TCP_TRANSFER} sink ${port} &\nawait b tcp ${port}\nin a ${node} ${TCP_TRANSFER} source 10.9.0.2 ${port} 500000\nwait %%\n`;
    const file = writeScript('rate.ns', [
      'ns a b',
      'veth a.v0 <-> b.v0 10.9.0.1/24',
      'shape a.v0 rate 2mbit',
      'show',
      transfer(5001).replace('%%', '%1'),
      'shape a.v0 off',
      'shape a.v0 off', // an unshaped link: nothing to do
      transfer(5002).replace('%%', '%2'),
    ].join('\n'));
    const r = nsh(['--name', 'rate', '--keep-on-error', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^└─ v0\s+UP\s+veth\s+<-> b\.v0\s+10\.9\.0\.1\/24\s+rate 2mbit$/m);
    const [shaped, plain] = transferred(r.stdout);
    assert.equal(shaped?.bytes, 500_000, r.stdout);
    assert.equal(plain?.bytes, 500_000, r.stdout);
    // 500,000 bytes at 2 Mbit/s take 2 s (2.1 s with the headers): more than 1.6 s, and far less
    // than 8; unshaped, a veth carries them in milliseconds (under 1.5 s on the busiest machine)
    assert.ok(shaped.seconds > 1.6 && shaped.seconds < 8, `shaped transfer took ${shaped.seconds} s`);
    assert.ok(plain.seconds < 1.5, `unshaped transfer took ${plain.seconds} s`);
    assert.equal(rootQdisc('a', 'v0')?.kind, 'noqueue', 'off gives the veth its default back');
    assert.equal(nsh(['down', 'rate']).code, 0);
    assertClean();
  });

  it('rate alone: tc sees tbf with nsh\'s burst and latency, and show --json the shaping', () => {
    const r = nsh(['--name', 'tbf', '-e', 'ns a b; veth a.v0 <-> b.v0; shape a.v0 rate 2mbit; shape b.v0 rate 1gbit']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(rootQdisc('a', 'v0')?.options, { rate: 250_000, burst: 3028, lat: 50_000 });
    assert.deepEqual(rootQdisc('b', 'v0')?.options, { rate: 125_000_000, burst: 1_250_000, lat: 50_000 });
    const shown = nsh(['show', 'tbf', '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    const json = JSON.parse(shown.stdout) as { name: string; links: { name: string; shape?: unknown }[] }[];
    const shape = (ns: string) => json.find(n => n.name === ns)?.links.find(l => l.name === 'v0')?.shape;
    assert.deepEqual([shape('a'), shape('b')], [{ rate: '2mbit' }, { rate: '1gbit' }]);
    assert.equal(nsh(['down', 'tbf']).code, 0);
    assertClean();
  });

  it('without netem, the other options fail with the sentence and change nothing', function () {
    if (hasNetem()) this.skip(); // (this kernel has netem: test/vm/shape.test.ts tests it)
    const lab = 'ns a b\nveth a.v0 <-> b.v0\nshape a.v0 rate 1mbit\n';
    let r = nsh(['--name', 'nonetem', '--keep-on-error', '-e', `${lab}shape a.v0 b.v0 delay 10ms loss 1%`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, NO_NETEM);
    assert.match(r.stderr, /hint: where the kernel has it as a module, load it: modprobe sch_netem/);
    assert.equal(rootQdisc('a', 'v0')?.kind, 'tbf', 'a.v0 keeps the shaping it had');
    assert.equal(rootQdisc('b', 'v0')?.kind, 'noqueue', 'b.v0 is not shaped');
    assert.equal(nsh(['down', 'nonetem']).code, 0);

    // a veth with shaping options: the pair is made, fails to be shaped, and is removed
    r = nsh(['--name', 'nonetem', '--keep-on-error', '-e', 'ns a b\nveth a.v1 <-> b.v1 10.9.1.1/24 delay 10ms']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, NO_NETEM);
    assert.match(r.stderr, /^-e:2:1: error/m);
    for (const ns of ['a', 'b']) assert.doesNotMatch(ip('-n', ns, 'link'), /v1/, `no v1 left in ${ns}`);
    assert.equal(nsh(['down', 'nonetem']).code, 0);

    // a link of the host: left as it was, and nothing recorded
    hostPair();
    const before = [qdiscOf('host', 'hx'), qdiscOf('host', 'hy')];
    r = nsh(['--name', 'nonetem', '-e', 'shape host.hx host.hy limit 100']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, NO_NETEM);
    assert.deepEqual([qdiscOf('host', 'hx'), qdiscOf('host', 'hy')], before);
    assert.ok(!fs.existsSync('/run/nsh/labs/nonetem.journal'), 'nothing to record');
    ip('link', 'del', 'hx');
    assertClean();
  });

  it('shaping links the lab did not make is recorded, and nsh down puts back the qdisc each had', () => {
    hostPair();
    const before = [qdiscOf('host', 'hx'), qdiscOf('host', 'hy')];
    assert.equal((before[1] as Qdisc).kind, 'pfifo');
    const r = nsh(['--name', 'hosts', '-e', 'shape host.hx host.hy rate 3mbit\nshape host.hy off\nshape host.hy rate 4mbit']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rootQdisc('host', 'hx')?.kind, 'tbf');
    assert.deepEqual(rootQdisc('host', 'hy')?.options, { rate: 500_000, burst: 5000, lat: 50_000 });
    const ls = nsh(['ls']);
    assert.match(ls.stdout, /shaping of host\.hx \(back to none\), shaping of host\.hy \(back to pfifo\)/);
    // the host's shaped links are shown, though they lead nowhere in the lab
    assert.match(nsh(['show', 'hosts']).stdout, /hy\s+UP\s+veth\s+<-> host\.hx\s+rate 4mbit/);
    const down = nsh(['down', 'hosts']);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual([qdiscOf('host', 'hx'), qdiscOf('host', 'hy')], before);
    ip('link', 'del', 'hx');
    assertClean();
  });

  it('a failed run and --rm put the host\'s qdiscs back too; a host end the lab made goes with its qdisc', () => {
    hostPair();
    const before = [qdiscOf('host', 'hx'), qdiscOf('host', 'hy')];
    let r = nsh(['-e', 'shape host.hx host.hy rate 3mbit\nshape host.hy off\nin host false']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /removed what this run made \(2 objects\)/);
    assert.deepEqual([qdiscOf('host', 'hx'), qdiscOf('host', 'hy')], before, 'rolled back');
    r = nsh(['--rm', '-e', 'shape host.hy rate 3mbit\nshape host.hx off']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([qdiscOf('host', 'hx'), qdiscOf('host', 'hy')], before, 'torn down by --rm');

    const links = hostLinks().sort();
    r = nsh(['--name', 'ends', '-e', 'ns a\nveth a.v0 <-> host.h0 rate 1mbit\nshape host.h0 rate 2mbit']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(nsh(['ls']).stdout, /shaping of host\.h0/, 'a qdisc on the lab\'s own link is not recorded');
    const down = nsh(['down', 'ends']);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(hostLinks().sort(), links, 'the host\'s links are as they were');
    assert.deepEqual([qdiscOf('host', 'hx'), qdiscOf('host', 'hy')], before);
    ip('link', 'del', 'hx');
    assertClean();
  });
});
