/**
 * The coordinator's side of the protocol: a machine's output split into what programs printed and
 * the answers, wherever chunks end; the tunnels claimed with VNIs drawn again when one is refused.
 */
import * as assert from 'node:assert/strict';
import type { Span } from '../../src/core/span.js';
import { claimTunnels } from '../../src/machines/claims.js';
import type { TunnelAt } from '../../src/machines/plan.js';
import { Demux, LinePrefixer, type Answer, type Hello } from '../../src/machines/protocol.js';
import type { Part, RequestBody } from '../../src/machines/remote.js';
import { Session, StepFailed } from '../../src/machines/session.js';

const TOKEN = '\u001eabc123';

function demux() {
  const got = { output: '', hellos: [] as Hello[], answers: [] as Answer[], unexpected: [] as string[] };
  const d = new Demux({
    output: t => (got.output += t),
    hello: h => got.hellos.push(h),
    answer: a => got.answers.push(a),
    unexpected: l => got.unexpected.push(l),
  });
  return { d, got };
}

const stream = [
  `nsh-serve ${JSON.stringify({ protocol: 1, nsh: '0.1.0', token: TOKEN })}\n`,
  'PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n',
  'no newline yet',
  `${TOKEN} {"id":1,"ok":true}\n`,
  `[1] 42\n${TOKEN} {"id":2,"ok":false,"error":{"message":"no reply from 10.0.0.2","line":3}}\n`,
  'a line that mentions \u001eabc but is not an answer\n',
].join('');

describe('machines: the protocol', () => {
  it('splits output from answers, however the stream is cut into chunks', () => {
    for (const size of [1, 2, 3, 7, 16, stream.length]) {
      const { d, got } = demux();
      for (let i = 0; i < stream.length; i += size) d.push(stream.slice(i, i + size));
      d.end();
      assert.deepEqual(got.hellos.map(h => h.nsh), ['0.1.0'], `chunks of ${size}`);
      assert.deepEqual(got.answers.map(a => [a.id, a.ok, a.error?.line]), [[1, true, undefined], [2, false, 3]]);
      assert.equal(got.output, 'PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\nno newline yet[1] 42\na line that mentions \u001eabc but is not an answer\n');
      assert.deepEqual(got.unexpected, []);
    }
  });

  it('a first line that is not a hello is said (an nsh that does not know --serve)', () => {
    const { d, got } = demux();
    d.push("nsh: unknown option --serve\nTry 'nsh --help'.\n");
    d.end();
    assert.deepEqual(got.unexpected, ['nsh: unknown option --serve']);
    assert.deepEqual(got.hellos, []);
  });

  it('prefixes each line of a machine\'s standard error with its name', () => {
    let out = '';
    const p = new LinePrefixer('m2: ', t => (out += t));
    p.push('first\nsec');
    p.push('ond\n');
    p.push('last without end');
    p.end();
    assert.equal(out, 'm2: first\nm2: second\nm2: last without end\n');
  });
});

/** A part that answers each vxlan statement as `decide` says, and records what it was told. */
class FakePart implements Part {
  readonly told: string[] = [];
  private id = 0;
  constructor(
    readonly machine: string,
    private readonly refuse: (vni: number) => boolean,
  ) {}
  async request(body: RequestBody): Promise<Answer> {
    if (!('run' in body)) return { id: ++this.id, ok: true };
    const lines = body.run.split('\n');
    this.told.push(...lines);
    const results = lines.map(l => {
      const vni = /^vxlan \S+ (\d+) /.exec(l)?.[1];
      return vni && this.refuse(Number(vni)) ? { ok: false, error: { message: `VNI ${vni} is taken`, reason: 'vni-taken' } } : { ok: true };
    });
    return { id: ++this.id, ok: results.every(r => r.ok), results };
  }
  interrupt(): void {}
  async close(): Promise<void> {}
}

const span = { line: 3 } as Span;

function tunnel(vni: number): TunnelAt {
  const ends = [
    { machine: 'm1', ns: 'a', ifname: 'v0', addrs: [{ address: '10.0.0.1', prefix: 30, family: 4 as const }] },
    { machine: 'm2', ns: 'b', ifname: 'v0', addrs: [] },
  ] as const;
  return { tunnel: { span, link: 'a.v0 <-> b.v0', vni, mtu: 1450, ends }, ends };
}

describe('machines: tunnels made in their namespaces', () => {
  it('a VNI refused as taken on one machine: the other end goes, both are made again under a new VNI', async () => {
    const session = new Session({ verbose: false, log: () => {} });
    const m1 = new FakePart('m1', () => false);
    const m2 = new FakePart('m2', vni => vni === 100);
    session.parts.set('m1', m1);
    session.parts.set('m2', m2);
    const at = tunnel(100);
    const t = at.tunnel;
    const drawn: [number, number][] = [];
    await claimTunnels(session, [at], { address: (_, to) => (to === 'm1' ? '192.0.2.1' : '192.0.2.2'), redraw: () => 200, drawn: (x, old) => drawn.push([old, x.vni]) });
    assert.equal(t.vni, 200);
    assert.deepEqual(drawn, [[100, 200]]);
    assert.deepEqual(m1.told, [
      'vxlan a.v0 100 remote 192.0.2.2 port 4789 mtu 1450 10.0.0.1/30',
      'del a.v0',
      'vxlan a.v0 200 remote 192.0.2.2 port 4789 mtu 1450 10.0.0.1/30',
    ]);
    assert.deepEqual(m2.told, ['vxlan b.v0 100 remote 192.0.2.1 port 4789 mtu 1450', 'vxlan b.v0 200 remote 192.0.2.1 port 4789 mtu 1450']);
  });

  it('any other refusal fails the run at the veth that asked for the tunnel', async () => {
    const session = new Session({ verbose: false, log: () => {} });
    session.parts.set('m1', new FakePart('m1', () => false));
    const m2 = new FakePart('m2', () => false);
    m2.request = async () => ({ id: 1, ok: false, results: [{ ok: false, error: { message: 'UDP port 4789 is in use on this machine', reason: 'port-taken' } }] });
    session.parts.set('m2', m2);
    await assert.rejects(
      claimTunnels(session, [tunnel(5)], { address: () => '192.0.2.9', redraw: () => 6, drawn: () => {} }),
      (e: unknown) => e instanceof StepFailed && e.machine === 'm2' && e.span === span && /UDP port 4789/.test(e.message),
    );
  });

  it('gives up after eight draws, with a sentence', async () => {
    const session = new Session({ verbose: false, log: () => {} });
    session.parts.set('m1', new FakePart('m1', () => true));
    session.parts.set('m2', new FakePart('m2', () => false));
    let next = 10;
    await assert.rejects(
      claimTunnels(session, [tunnel(9)], { address: () => '192.0.2.9', redraw: () => next++, drawn: () => {} }),
      /no VNI was free for the tunnel a\.v0 <-> b\.v0 after 8 draws/,
    );
  });
});
