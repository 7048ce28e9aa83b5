/**
 * How nsh numbers and groups the links it makes (see src/backend/linux/rtnl-pool.ts and
 * link-groups.ts), on the real kernel with `ip -j` as the oracle: chosen ifindexes that never
 * equal the peer's, a chosen index taken behind nsh's back, a name that changed meaning after a
 * program ran, and teardown by link group that never takes a link nsh did not record.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { assertClean, describeKernel, hostLinks, ip, ipJson, linkStates, nsh, scrub } from './harness.js';

interface IpLink { ifindex: number; ifname: string; link_index?: number; group?: string; flags: string[] }

const links = (ns?: string) => ipJson<IpLink[]>(...(ns ? ['-n', ns] : []), 'link', 'show');
const link = (name: string, ns?: string) => links(ns).find(l => l.ifname === name);

describeKernel('link indexes and link groups', function () {
  this.timeout(60_000);
  afterEach(scrub);

  it('numbers the two ends of a veth between new namespaces apart, both up', () => {
    const ok = nsh(['-e', 'ns c d; veth c.v0 fd00:1::1/64 <-> d.v0 fd00:1::2/64; in c ping fd00:1::2 -c 1 -W 1']);
    assert.equal(ok.code, 0, ok.stderr);
    const c = link('v0', 'c')!;
    const d = link('v0', 'd')!;
    assert.notEqual(c.ifindex, d.ifindex);
    assert.equal(c.link_index, d.ifindex);
    assert.ok(c.flags.includes('UP') && d.flags.includes('UP'));
    assert.equal(nsh(['down', '--all']).code, 0);
    assertClean();
  });

  it('gives the first free index of a new namespace when the first link comes after several namespaces', () => {
    const r = nsh(['-e', 'ns a b c; veth b.v0 <-> c.v0; veth a.v0 <-> host.h7; veth c.v1 <-> a.v1']);
    assert.equal(r.code, 0, r.stderr);
    // the devices every new namespace starts with (lo, and the tunnels of the modules loaded)
    const first = Math.max(...links('a').filter(l => !/^v\d$/.test(l.ifname)).map(l => l.ifindex)) + 1;
    assert.equal(link('v0', 'b')!.ifindex, first);
    assert.equal(link('v0', 'c')!.ifindex, first + 1, 'never the index of its peer');
    assert.equal(link('v0', 'a')!.ifindex, first);
    assert.equal(link('v1', 'c')!.ifindex, first + 2);
    assert.equal(link('v1', 'a')!.ifindex, first + 1);
    assert.equal(link('v0', 'b')!.link_index, first + 1);
    assert.equal(nsh(['down', '--all']).code, 0);
    assertClean();
  });

  it('takes another index when a program took the one nsh meant to give', () => {
    const r = nsh(['-e', [
      'ns a b',
      'in a ip link add d1 type veth peer name d2',
      'veth a.v0 10.5.0.1/30 <-> b.v0 10.5.0.2/30',
      'veth a.h0 10.5.1.1/30 <-> host.h5 10.5.1.2/30',
      'in a ping 10.5.0.2 -c 1 -W 1',
      'in a ping 10.5.1.2 -c 1 -W 1',
    ].join('; ')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(linkStates('a').find(l => l.ifname === 'v0')?.addrs, ['10.5.0.1/30']);
    assert.deepEqual(linkStates('a').find(l => l.ifname === 'h0')?.addrs, ['10.5.1.1/30']);
    assert.deepEqual(linkStates('a').find(l => l.ifname === 'd2')?.addrs, []);
    assert.equal(nsh(['down', '--all']).code, 0);
    assertClean();
  });

  it('looks a name up again after a program renamed the link it stood for', () => {
    const r = nsh(['-e', [
      'ns a',
      'veth a.v0 <-> host.h6',
      'in a ip link set v0 name old',
      'in a ip link add v0 type veth peer name v0p',
      'addr a.v0 10.6.0.1/24',
    ].join('; ')]);
    assert.equal(r.code, 0, r.stderr);
    const a = linkStates('a');
    assert.deepEqual(a.find(l => l.ifname === 'v0')?.addrs, ['10.6.0.1/24']);
    assert.deepEqual(a.find(l => l.ifname === 'old')?.addrs ?? [], []);
    assert.equal(nsh(['down', '--all']).code, 0);
    assertClean();
  });

  it('puts host ends in one link group, recorded in the journal, and removes them by it', () => {
    const r = nsh(['--name', 'g', '-e', 'ns a b c; veth a.v0 <-> host.ga; veth b.v0 <-> host.gb; veth c.v0 <-> host.gc; bridge host.gbr']);
    assert.equal(r.code, 0, r.stderr);
    const groups = new Set(['ga', 'gb', 'gc', 'gbr'].map(n => link(n)?.group));
    assert.equal(groups.size, 1, 'one group for the run');
    const group = [...groups][0]!;
    assert.match(group, /^\d+$/);
    const journal = fs.readFileSync('/run/nsh/labs/g.journal', 'utf8');
    assert.match(journal, new RegExp(`"ifname":"ga","group":${group}`));
    assert.equal(nsh(['down', 'g']).code, 0);
    assertClean();
  });

  it('deletes links one by one when the group holds a link nsh did not record', () => {
    assert.equal(nsh(['--name', 'g', '-e', 'ns a b; veth a.v0 <-> host.ga; veth b.v0 <-> host.gb']).code, 0);
    const group = link('ga')!.group!;
    ip('link', 'add', 'theirs', 'group', group, 'type', 'veth', 'peer', 'name', 'theirs1');
    assert.equal(nsh(['down', 'g']).code, 0);
    assert.deepEqual(hostLinks().sort(), ['theirs', 'theirs1']);
    ip('link', 'del', 'theirs');
    assertClean();
  });
});
