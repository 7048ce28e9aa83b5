/** Tab completion against a fixed world. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { complete, type CompletionWorld } from '../../src/repl/complete.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-complete-'));
fs.mkdirSync(path.join(dir, 'labs'));
fs.writeFileSync(path.join(dir, 'labs', 'router.ns'), '');
fs.writeFileSync(path.join(dir, 'lab.ns'), '');

const world: CompletionWorld = {
  namespaces: () => ['alpha', 'beta'],
  interfaces: ns => ({ alpha: ['eth0', 'lo', 'v0'], beta: ['lo', 'br0', 'p1'], host: ['lo', 'v1'] })[ns] ?? [],
  variables: () => ['net', 'n'],
  defs: () => ['router'],
  cwd: dir,
};
const c = (line: string) => complete(line, world)[0];

describe('REPL completion', () => {
  it('completes statement keywords and def names at the start of a statement', () => {
    assert.deepEqual(c('ve'), ['veth ']);
    assert.deepEqual(c('ro'), ['route ', 'router ']);
    assert.deepEqual(c('ns a; p'), ['pin ', 'pingall ', 'publish ']);
    assert.deepEqual(c('for i in 1..2 { ec'), ['echo ']);
    assert.deepEqual(c('! in'), ['in ', 'include ', 'info ']);
    assert.deepEqual(c('!ve'), ['!veth ']);
  });

  it('completes namespaces and the interfaces after NS.', () => {
    assert.deepEqual(c('veth '), ['alpha.', 'beta.', 'host.']);
    assert.deepEqual(c('veth alpha.'), ['alpha.eth0', 'alpha.lo', 'alpha.v0']);
    assert.deepEqual(c('veth alpha.v0 '), ['<-> ']);
    assert.deepEqual(c('veth alpha.v0 <-> host.'), ['host.lo', 'host.v1']);
    assert.deepEqual(c('up *.'), ['*.br0', '*.eth0', '*.lo', '*.p1', '*.v0']);
    assert.deepEqual(c('in b'), ['beta']);
    assert.deepEqual(c('in '), ['alpha', 'beta', 'host', 'pid ']);
    assert.deepEqual(c('in pid '), []);
    assert.ok(c('in pid 1 ').includes('ping'));
    assert.ok(c('in alpha pi').includes('ping'));
    assert.deepEqual(c('in alpha '), ['hostname', 'ip', 'nc', 'ping', 'sh', 'ss', 'tcpdump']);
    assert.deepEqual(c('route alpha '), ['default ', 'del ']);
    assert.deepEqual(c('route alpha default '), ['dev ', 'via ']);
    assert.deepEqual(c('route alpha del '), ['default ']);
    assert.deepEqual(c('route alpha default dev '), ['eth0', 'lo', 'v0']);
    assert.deepEqual(c('bridge beta.br0 '), ['br0', 'p1', 'vlan ']);
    assert.deepEqual(c('bridge beta.br0 vlan '), ['br0', 'p1']);
    assert.deepEqual(c('move alpha.v0 -> '), ['alpha', 'beta', 'host', 'pid ']);
    assert.deepEqual(c('show '), ['--json ', 'addrs ', 'alpha', 'beta', 'host', 'links ', 'routes ']);
    assert.deepEqual(c('ns x '), ['hostname ', 'on ']);
  });

  it('offers option words where they may stand, each once', () => {
    const shaping = ['corrupt ', 'delay ', 'duplicate ', 'jitter ', 'limit ', 'loss ', 'rate ', 'reorder '];
    assert.deepEqual(c('veth alpha.v0 <-> beta.v0 '), [...shaping.slice(0, 6), 'mtu ', ...shaping.slice(6)]);
    assert.deepEqual(c('veth alpha.v0 <-> beta.v0 mtu '), []);
    assert.deepEqual(c('veth alpha.v0 <-> beta.v0 mtu 9000 '), shaping);
    assert.deepEqual(c('veth alpha.v0 <-> beta.v0 mtu 9000 delay 1ms lo'), ['loss ']);
    assert.deepEqual(c('shape alpha.v0 '), ['alpha.', 'beta.', 'host.', ...shaping, 'off '].sort());
    assert.deepEqual(c('macvlan host.eth0 -> alpha.mv0 mode '), ['bridge ', 'passthru ', 'private ', 'vepa ']);
    assert.deepEqual(c('await alpha '), ['reach ', 'tcp ', 'udp ']);
    assert.deepEqual(c('await alpha tcp 80 '), ['timeout ']);
    assert.deepEqual(c('publish alpha '), ['tcp ', 'udp ']);
    assert.deepEqual(c('attach beta.p1 -> beta.br0 '), ['vlan ']);
    assert.deepEqual(c('attach beta.p1 -> beta.br0 vlan 10 '), ['untagged ']);
    assert.deepEqual(c('capture alpha.v0 '), ['count ', 'for ', 'to ']);
    assert.deepEqual(c('capture alpha.v0 to "la'), ['"lab.ns', '"labs/']);
    assert.deepEqual(c('machine m2 '), ['ssh ']);
    assert.deepEqual(c('ns a '), ['hostname ', 'on ']);
    assert.deepEqual(c('move alpha.v0 -> beta '), ['as ']);
    assert.deepEqual(c('spawn uts '), ['as ', 'hostname', 'hostname ', 'ip', 'ipc ', 'mnt ', 'nc', 'net ', 'pid ', 'ping', 'sh', 'ss', 'tcpdump', 'user ']);
    assert.deepEqual(c('spawn sh '), []);
    assert.deepEqual(c('pin pid 7 '), ['as ']);
    assert.deepEqual(c('addr alpha.v0 '), ['del ']);
  });

  it('completes variables', () => {
    assert.deepEqual(c('echo $n'), ['$n', '$net']);
    assert.deepEqual(c('addr alpha.v0 ${ne'), ['${net}']);
  });

  it('completes file paths after include and .save, and REPL commands', () => {
    assert.deepEqual(c('include "la'), ['"lab.ns', '"labs/']);
    assert.deepEqual(c('include "labs/'), ['"labs/router.ns']);
    assert.deepEqual(c('.save la'), ['lab.ns', 'labs/']);
    assert.deepEqual(c('.ex'), ['.exit', '.explain']);
    assert.deepEqual(c('.help ro'), ['route']);
    assert.deepEqual(c('.help .s'), ['.save', '.show']);
  });

  it('returns the part of the line it replaces', () => {
    assert.deepEqual(complete('veth alpha.e', world), [['alpha.eth0'], 'alpha.e']);
    assert.deepEqual(complete('veth ', world)[1], '');
  });
});
