/**
 * `nsh graph` of live labs, in the sandbox: each example lab is built with bin/nsh and drawn from
 * the kernel. Its JSON (without counters, which vary) and DOT match golden files, and its graph
 * equals the graph of its file (the dry run's picture) plus state: every link up has its
 * carrier, every interface its counters. What the kernel is asked for the picture includes the
 * host's NAT and published ports (nat.ns) and a link's shaping read back from its qdisc.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toJson } from '../../src/graph/json.js';
import type { Topology } from '../../src/graph/topology.js';
import { assertClean, describeKernel, nsh } from '../cli-kernel/harness.js';
import { matchesGolden } from './golden-files.js';
import { withoutState, withoutStats } from './live-state.js';

const EXAMPLES: Readonly<Record<string, string>> = {
  hello: 'examples/hello.ns',
  router: 'examples/labs/router.ns',
  star: 'examples/labs/star.ns',
  dualstack: 'examples/labs/dualstack.ns',
  nat: 'examples/labs/nat.ns',
};

/**
 * examples/labs/wan.ns's topology with its WAN shaped by rate alone (a token bucket): delay and
 * loss need netem, which a kernel may lack, so wan.ns itself runs in the VM tier.
 */
const WAN_RATE = `ns c r1 r2 s
forward r1 r2
veth c.eth0 10.1.0.2/24 <-> r1.lan 10.1.0.1/24
veth s.eth0 10.2.0.2/24 <-> r2.lan 10.2.0.1/24
veth r1.wan <-> r2.wan 192.0.2.1/30 rate 10mbit
route c default via 10.1.0.1
route s default via 10.2.0.1
`;

describeKernel('graph: live labs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-graph-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const wanRate = path.join(dir, 'wan-rate.ns');
  fs.writeFileSync(wanRate, WAN_RATE);

  for (const [lab, file] of [...Object.entries(EXAMPLES), ['wan-rate', wanRate] as const]) {
    it(`${file === wanRate ? 'wan.ns shaped by rate alone' : file}: the live graph is the lab's topology plus state, and matches the golden JSON and DOT`, () => {
      const run = nsh([file]);
      assert.equal(run.code, 0, run.stderr);
      try {
        const out = path.join(dir, `${lab}.json`);
        const g = nsh(['graph', lab, '-o', out]);
        assert.equal(g.code, 0, g.stderr);
        const live = JSON.parse(fs.readFileSync(out, 'utf8')) as Topology;
        // state: every end that is up has its carrier (its peer is up too) and its counters
        for (const e of live.edges) {
          for (const end of [e.a, e.b].filter(x => x.ifname !== undefined)) {
            assert.equal(end.carrier, end.up, `${e.key}: ${end.ns}.${end.ifname} carrier`);
            assert.equal(typeof end.stats?.rxPackets, 'number', `${e.key}: counters`);
          }
        }
        const drawn = path.join(dir, `${lab}-file.json`);
        const f = nsh(['graph', file, '-o', drawn]);
        assert.equal(f.code, 0, f.stderr);
        assert.equal(toJson(withoutState(live)), fs.readFileSync(drawn, 'utf8'), 'the live graph is the file\'s graph plus state');
        matchesGolden(`live-${lab}.json`, toJson(withoutStats(live)));
        const dot = nsh(['graph', lab]);
        assert.equal(dot.code, 0, dot.stderr);
        matchesGolden(`live-${lab}.dot`, dot.stdout);
      } finally {
        nsh(['down', lab]);
      }
    });
  }

  it('every format is written, and the SVG names the lab', () => {
    assert.equal(nsh(['examples/hello.ns']).code, 0);
    try {
      for (const ext of ['svg', 'dot', 'mmd', 'json', 'html']) {
        const out = path.join(dir, `hello.${ext}`);
        const g = nsh(['graph', 'hello', '-o', out]);
        assert.equal(g.code, 0, g.stderr);
        assert.ok(fs.statSync(out).size > 100, ext);
      }
      assert.match(fs.readFileSync(path.join(dir, 'hello.svg'), 'utf8'), /<svg[^]*<title>hello<\/title>/);
      assert.match(fs.readFileSync(path.join(dir, 'hello.html'), 'utf8'), /^<!doctype html>[^]*<svg[^]*id="topology"/);
    } finally {
      nsh(['down', 'hello']);
    }
  });

  it('says what is wrong: no such lab, an unknown extension, two arguments', () => {
    const none = nsh(['graph', 'nolab']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^nsh: there is no lab "nolab" \(no lab is up\); to draw a script, give its file\n$/);
    const ext = nsh(['graph', 'examples/hello.ns', '-o', path.join(dir, 'x.png')]);
    assert.equal(ext.code, 2);
    assert.match(ext.stderr, /cannot tell the format of .*x\.png: give it one of the extensions \.svg \.dot \.mmd \.json \.html/);
    const bad = nsh(['graph', 'a', 'b']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /graph takes one file or lab, got a b/);
    assertClean();
  });
});
