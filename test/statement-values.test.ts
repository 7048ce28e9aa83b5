/** The v2 statements: their tree, and the typed values of their words (src/runtime/statement-values.ts). */
import * as assert from 'node:assert/strict';
import type * as A from '../src/syntax/ast.js';
import { error } from '../src/syntax/diagnostics.js';
import { parseSource } from '../src/syntax/parse.js';
import { makeSource } from '../src/syntax/source.js';
import * as V from '../src/syntax/values.js';
import { Scope } from '../src/runtime/environment.js';
import { DiagnosticError } from '../src/runtime/errors.js';
import { expandWord } from '../src/runtime/expand.js';
import * as S from '../src/runtime/statement-values.js';

function parse(text: string): A.Statement {
  const r = parseSource(makeSource('t.ns', text));
  assert.deepEqual(r.diagnostics.map(d => d.message), []);
  return r.program.statements[r.program.statements.length - 1]!;
}

const scope = new Scope();
scope.set('d', '10ms');
scope.set('id', '4095');
const value: S.CheckWord = (w, check) => {
  const r = check(expandWord(w, { scope, env: {} }));
  if (V.isProblem(r)) throw new DiagnosticError(error(r.problem, w.span, r.hint));
  return r;
};

describe('v2 statements', () => {
  it('shape: endpoints, options by name, or off', () => {
    const s = parse('shape a.v0 *.v1 delay 10ms jitter 1ms loss 0.5% rate 1mbit limit 100') as A.ShapeStmt;
    assert.equal(s.kind, 'shape');
    assert.deepEqual(S.shapeValues(s, value), {
      endpoints: [{ ns: 'a', ifname: 'v0' }, { ns: '*', ifname: 'v1' }],
      shaping: { delay: 0.01, jitter: 0.001, loss: 0.5, rate: 1_000_000, limit: 100 },
    });
    const off = parse('shape a.v0 off') as A.ShapeStmt;
    assert.equal(off.shaping.kind, 'off');
    assert.equal(S.shapeValues(off, value).shaping, undefined);
  });

  it('veth: mtu and shaping options in any order', () => {
    const s = parse('veth a.v0 <-> b.v0 10.0.0.1/30 delay $d mtu 1400 rate 10mbit') as A.VethStmt;
    assert.deepEqual(s.rightAddrs.map(w => w.raw), ['10.0.0.1/30']);
    assert.equal(s.mtu?.raw, '1400');
    assert.deepEqual(S.shapingValues(s.shape!, value), { delay: 0.01, rate: 10_000_000 });
    assert.equal((parse('veth a.v0 <-> b.v0') as A.VethStmt).shape, undefined);
  });

  it('a value in a variable is checked after expansion, at the word', () => {
    const s = parse('vlan a.eth0 $id') as A.VlanStmt;
    assert.throws(() => S.vlanValues(s, value), (e: DiagnosticError) => {
      assert.match(e.diagnostic.message, /VLAN ID 4095 is out of range/);
      assert.equal(e.diagnostic.span?.col, 13);
      return true;
    });
  });

  it('capture, await, vlan, macvlan', () => {
    assert.deepEqual(S.captureValues(parse('capture a.v0 to "x.pcap" count 5 for 2s &') as A.CaptureStmt, value), {
      endpoint: { ns: 'a', ifname: 'v0' }, file: 'x.pcap', count: 5, duration: 2, background: true,
    });
    assert.deepEqual(S.awaitValues(parse('await a udp 53') as A.AwaitStmt, value), { target: { kind: 'listen', protocol: 'udp', port: 53 }, timeout: 10 });
    assert.deepEqual(S.awaitValues(parse('await pid 1 reach fd00::2 timeout 500ms') as A.AwaitStmt, value), {
      target: { kind: 'reach', family: 6, address: 'fd00::2' }, timeout: 0.5,
    });
    assert.deepEqual(S.vlanValues(parse('vlan a.eth0 10 10.0.10.1/24') as A.VlanStmt, value), {
      endpoint: { ns: 'a', ifname: 'eth0' }, id: 10, name: 'eth0.10', addrs: [{ family: 4, address: '10.0.10.1', prefix: 24 }],
    });
    assert.equal(S.vlanValues(parse('vlan a.eth0 10 as mgmt') as A.VlanStmt, value).name, 'mgmt');
    assert.deepEqual(S.macvlanValues(parse('macvlan host@m2.eth0 -> a.mv0 mode vepa') as A.MacvlanStmt, value), {
      parent: { ns: 'host', ifname: 'eth0', machine: 'm2' }, endpoint: { ns: 'a', ifname: 'mv0' }, mode: 'vepa', addrs: [],
    });
  });

  it('bridge vlan, attach vlan: access and trunk ports', () => {
    assert.equal((parse('bridge s.br vlan p1') as A.BridgeStmt).vlanFiltering, true);
    const port = parse('bridge s.br p1 vlan') as A.BridgeStmt;
    assert.deepEqual([port.vlanFiltering, port.ports.map(w => w.raw)], [false, ['p1', 'vlan']]);
    const access = parse('attach s.p1 s.p2 -> s.br vlan 10 untagged') as A.AttachStmt;
    assert.deepEqual(S.portVlanValues(access.vlans!, value), { kind: 'access', id: 10 });
    const trunk = parse('attach s.p3 -> s.br vlan 10,20') as A.AttachStmt;
    assert.deepEqual(S.portVlanValues(trunk.vlans!, value), { kind: 'trunk', ids: [10, 20] });
    assert.equal((parse('attach s.p3 -> s.br') as A.AttachStmt).vlans, undefined);
  });

  it('nat, publish, machine, ns on', () => {
    assert.deepEqual(S.natValues(parse('nat r') as A.NatStmt, value), { ns: 'r' });
    assert.deepEqual(S.publishValues(parse('publish host 8080 -> 10.0.0.2') as A.PublishStmt, value), {
      ns: 'host', protocol: 'tcp', port: 8080, target: { family: 4, address: '10.0.0.2', port: 8080 },
    });
    assert.deepEqual(S.publishValues(parse('publish host udp 53 -> [fd00::2]:5353') as A.PublishStmt, value).target, { family: 6, address: 'fd00::2', port: 5353 });
    assert.deepEqual(S.machineValues(parse('machine m2 ssh root@10.0.0.5') as A.MachineStmt, value), { name: 'm2', user: 'root', host: '10.0.0.5', port: 22 });
    const ns = parse('ns a b on m2 hostname h') as A.NsStmt;
    assert.deepEqual([ns.names.map(w => w.raw), ns.machine?.raw, ns.hostname?.raw], [['a', 'b'], 'm2', 'h']);
  });

  it('a word that is a keyword elsewhere is a word here', () => {
    const s = parse('def count n { echo $n }\ncount delay') as A.CallStmt;
    assert.deepEqual([s.kind, s.name.raw, s.args[0]!.raw], ['call', 'count', 'delay']);
  });
});
