/**
 * `nsh graph` of the labs that need the VM's kernel: examples/labs/vlans.ns (802.1Q, bridge VLAN
 * filtering) and examples/labs/wan.ns (netem). Each live graph equals its file's graph (the dry
 * run's picture) plus state, so the ports' VLANs, the router's sub-interfaces and the WAN's
 * shaping are read back from the kernel as the file says them; the DOT writes them on the links.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toJson } from '../../src/graph/json.js';
import type { Topology } from '../../src/graph/topology.js';
import { assertClean, nsh, root, scrub } from '../cli-kernel/harness.js';
import { withoutState } from '../graph/live-state.js';
import { describeVm } from './vm.js';

/** The live graph of `lab` (up), checked against the graph of `file`; its DOT. */
function liveAgainstFile(lab: string, file: string, dir: string): string {
  const live = path.join(dir, `${lab}-live.json`);
  const g = nsh(['graph', lab, '-o', live]);
  assert.equal(g.code, 0, g.stderr);
  const drawn = path.join(dir, `${lab}-file.json`);
  const f = nsh(['graph', file, '-o', drawn]);
  assert.equal(f.code, 0, f.stderr);
  const t = JSON.parse(fs.readFileSync(live, 'utf8')) as Topology;
  assert.equal(toJson(withoutState(t)), fs.readFileSync(drawn, 'utf8'), 'the live graph is the file\'s graph plus state');
  const dot = nsh(['graph', lab]);
  assert.equal(dot.code, 0, dot.stderr);
  return dot.stdout;
}

describeVm('graph: live labs that need 802.1Q and netem', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => {
    scrub();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-vm-graph-'));
  });
  after(() => {
    scrub();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('examples/labs/vlans.ns: the switch\'s ports with their VLANs, the router\'s sub-interfaces on its trunk', () => {
    const file = path.join(root, 'examples/labs/vlans.ns');
    const r = nsh([file], { timeoutMs: 240_000 });
    assert.equal(r.code, 0, r.stderr);
    try {
      const dot = liveAgainstFile('vlans', file, dir);
      assert.match(dot, /bridge, vlan filtering/);
      assert.match(dot, /<b>sw\.h3<\/b><br\/>vlan 20 untagged/);
      assert.match(dot, /t0\.10 \(vlan 10\) 10\.0\.10\.1\/24<br\/>t0\.20 \(vlan 20\) 10\.0\.20\.1\/24<br\/><b>sw\.up<\/b><br\/>vlan 10,20/);
    } finally {
      assert.equal(nsh(['down', 'vlans']).code, 0);
    }
    assertClean();
  });

  it('examples/labs/wan.ns: the WAN link\'s shaping, which both ends share', () => {
    const file = path.join(root, 'examples/labs/wan.ns');
    const r = nsh([file], { cwd: dir, timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    try {
      const dot = liveAgainstFile('wan', file, dir);
      assert.match(dot, /<b>r1\.wan<\/b><br\/>192\.0\.2\.1\/30<br\/><i>delay 40ms loss 1% rate 10mbit<\/i><br\/><b>r2\.wan<\/b>/);
    } finally {
      assert.equal(nsh(['down', 'wan']).code, 0);
    }
    assertClean();
  });
});
