/**
 * `.save` of VLANs, macvlans, NAT and published ports (src/repl/save.ts), no kernel needed: the
 * dry run's picture of a script is saved, and the saved script checks and pictures the same.
 */
import * as assert from 'node:assert/strict';
import { checkAndPicture, loadInline } from '../../src/pipeline.js';
import { renderSave } from '../../src/repl/save.js';
import type { LabSnapshot } from '../../src/core/snapshot.js';

const LAB = `
ns sw r h1 h2
bridge sw.br0 vlan
veth h1.eth0 10.0.10.11/24 <-> sw.p1
veth h2.eth0 10.0.20.12/24 <-> sw.p2
veth r.t0 <-> sw.up
veth r.x <-> sw.plain
attach sw.p1 -> sw.br0 vlan 10 untagged
attach sw.p2 -> sw.br0 vlan 20 untagged
attach sw.up -> sw.br0 vlan 10,20
attach sw.plain -> sw.br0
vlan r.t0 10 10.0.10.1/24
vlan r.t0 20 as office 10.0.20.1/24
macvlan host.eth0 -> h1.mv0 mode private 192.168.1.5/24
veth r.up <-> host.r0 10.9.0.2/24
nat r
publish host 8080 -> 10.0.10.11:80
publish r udp 53 -> [fd00::2]:5353
`;

/** The dry run's picture of a script, each namespace's links by name (.save writes them in another order). */
async function picture(text: string): Promise<LabSnapshot> {
  const { diagnostics, snapshot } = await checkAndPicture(loadInline('lab.ns', text), { env: {} });
  assert.deepEqual(diagnostics.map(d => d.message), []);
  return { namespaces: snapshot.namespaces.map(n => ({ ...n, links: [...n.links].sort((a, b) => a.name.localeCompare(b.name)) })) };
}

describe('.save: VLANs, macvlans, NAT and published ports', () => {
  it('writes the statements that make them, and the saved script pictures the same lab', async () => {
    const before = await picture(LAB);
    const saved = renderSave(before, { lab: 'lab', now: new Date(0) });
    assert.match(saved, /^bridge sw\.br0 vlan plain$/m);
    assert.match(saved, /^attach sw\.p1 -> sw\.br0 vlan 10 untagged$/m);
    assert.match(saved, /^attach sw\.up -> sw\.br0 vlan 10,20$/m);
    assert.match(saved, /^vlan r\.t0 10 10\.0\.10\.1\/24$/m);
    assert.match(saved, /^vlan r\.t0 20 as office 10\.0\.20\.1\/24$/m);
    assert.match(saved, /^macvlan host\.eth0 -> h1\.mv0 mode private 192\.168\.1\.5\/24$/m);
    assert.match(saved, /^nat r$/m);
    assert.match(saved, /^publish host tcp 8080 -> 10\.0\.10\.11:80$/m);
    assert.match(saved, /^publish r udp 53 -> \[fd00::2\]:5353$/m);
    assert.doesNotMatch(saved, /cannot make/);
    assert.deepEqual(await picture(saved), before);
  });
});
