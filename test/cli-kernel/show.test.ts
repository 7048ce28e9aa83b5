/** `show` on the kernel: veth peers, checked against `ip -d link`, in labs whose interfaces share indexes. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { assertClean, describeKernel, ipJson, nsh, scrub } from './harness.js';

interface IpDetail {
  ifindex: number;
  ifname: string;
  /** the peer's name, when it is in the same namespace */
  link?: string;
  link_index?: number;
  link_netnsid?: number;
  linkinfo?: { info_kind?: string };
}

/**
 * Each veth's peer as iproute2 tells it: by name in the same namespace; otherwise IFLA_LINK is the
 * index in the namespace that IFLA_LINK_NETNSID names (`ip netns list-id` maps those ids to
 * names; the host has none).
 */
function peersByIp(namespaces: readonly string[]): Map<string, string> {
  const n = (ns: string) => (ns === 'host' ? [] : ['-n', ns]);
  const links = new Map(namespaces.map(ns => [ns, ipJson<IpDetail[]>(...n(ns), '-d', 'link')]));
  const peers = new Map<string, string>();
  for (const ns of namespaces) {
    const ids = new Map(ipJson<{ nsid: number; name?: string }[]>(...n(ns), 'netns', 'list-id').map(e => [e.nsid, e.name ?? 'host']));
    for (const l of links.get(ns)!) {
      if (l.linkinfo?.info_kind !== 'veth') continue;
      if (l.link !== undefined) peers.set(`${ns}.${l.ifname}`, `${ns}.${l.link}`);
      if (l.link_index === undefined) continue;
      const other = l.link_netnsid === undefined ? ns : ids.get(l.link_netnsid) ?? 'host';
      const peer = links.get(other)?.find(x => x.ifindex === l.link_index);
      if (peer) peers.set(`${ns}.${l.ifname}`, `${other}.${peer.ifname}`);
    }
  }
  return peers;
}

interface ShownNs {
  name: string;
  links: { name: string; index: number; kind: string; peer?: string }[];
}

describeKernel('show', function () {
  this.timeout(60_000);
  afterEach(scrub);

  it('names each veth\'s peer by its namespace and index, as ip -d link does, where indexes repeat', () => {
    // every pair l$i.x <-> r$i.y has the same two indexes; cross links and a host link besides
    const lab = [
      'for i in 1..6 {',
      '  ns l$i r$i',
      '  veth l$i.x <-> r$i.y',
      '}',
      'veth l1.z <-> l2.z',
      'veth r3.w <-> l5.w',
      'veth r6.u <-> host.hr6',
      'veth l4.p <-> l4.q',
      'show --json',
      'show',
    ].join('\n');
    const r = nsh(['--name', 'peers', '-e', lab]);
    assert.equal(r.code, 0, r.stderr);
    const shown = JSON.parse(r.stdout.slice(r.stdout.indexOf('[\n'), r.stdout.indexOf('\n]\n') + 2)) as ShownNs[];
    const names = ['host', ...Array.from({ length: 6 }, (_, i) => [`l${i + 1}`, `r${i + 1}`]).flat()];
    const expected = peersByIp(names);
    assert.equal(expected.size, 20, `ip names ${expected.size} veth peers`);
    const got = new Map(shown.flatMap(ns => ns.links.filter(l => l.peer).map(l => [`${ns.name}.${l.name}`, l.peer!] as const)));
    assert.deepEqual(new Map([...got].sort()), new Map([...expected].sort()));
    // the indexes do repeat: the mistake of matching by index alone is possible here
    const x = shown.filter(ns => ns.name.startsWith('l')).map(ns => ns.links.find(l => l.name === 'x')!.index);
    assert.equal(new Set(x).size, 1, `l*.x share one index: ${x.join(' ')}`);
    // the tree says the same
    assert.match(r.stdout, /^l3\n(?:.*\n)*?└─ x\s+UP\s+veth\s+<-> r3\.y$/m);
    assert.match(r.stdout, /^r6\n(?:.*\n)*?(?:├|└)─ u\s+UP\s+veth\s+<-> host\.hr6$/m);
    assert.equal(nsh(['down', 'peers']).code, 0);
    assertClean();
  });

  it('the first example of the report: c.x is paired with d.y, not b.y', () => {
    const r = nsh(['--rm', '-e', 'ns a b c d\nveth a.x <-> b.y\nveth c.x <-> d.y\nshow']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^c\n(?:.*\n)*?└─ x\s+UP\s+veth\s+<-> d\.y$/m);
    assert.match(r.stdout, /^d\n(?:.*\n)*?└─ y\s+UP\s+veth\s+<-> c\.x$/m);
    assertClean();
  });

  it('show NS names the peers in other namespaces', () => {
    const r = nsh(['--rm', '-e', 'ns a b\nveth a.v0 10.1.0.1/24 <-> b.v0 10.1.0.2/24\nshow a\nshow links b --json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^└─ v0\s+UP\s+veth\s+<-> b\.v0\s+10\.1\.0\.1\/24$/m);
    const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('[\n'))) as ShownNs[];
    assert.deepEqual(json.map(n => n.name), ['b']);
    assert.equal(json[0]!.links.find(l => l.name === 'v0')!.peer, 'a.v0');
    assertClean();
  });

  it('show: the routes the lab added, in the tree; no host section when the lab has no link there', () => {
    const r = nsh(['--rm', '-e', 'ns a b\nveth a.v0 10.1.0.1/24 <-> b.v0 10.1.0.2/24\nroute a default via 10.1.0.2\nroute a 10.9.0.0/16 via 10.1.0.2\nshow']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, [
      'a',
      '├─ lo         DOWN',
      '├─ v0         UP  veth  <-> b.v0  10.1.0.1/24',
      '├─ route      default via 10.1.0.2 dev v0',
      '└─ route      10.9.0.0/16 via 10.1.0.2 dev v0',
      'b',
      '├─ lo         DOWN',
      '└─ v0         UP  veth  <-> a.v0  10.1.0.2/24',
      '',
    ].join('\n'));
    assertClean();
  });

  it('nsh show LAB [NS] [--json]: a running lab from another shell, without joining it', () => {
    assert.equal(nsh(['--name', 'looked', '-e', 'ns a b\nveth a.v0 10.1.0.1/24 <-> b.v0 10.1.0.2/24\nveth b.h <-> host.hb 10.2.0.1/24\nroute a default via 10.1.0.2']).code, 0);
    const journal = fs.readFileSync('/run/nsh/labs/looked.journal', 'utf8');
    let r = nsh(['show', 'looked']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^host\n└─ hb\s+UP\s+veth\s+<-> b\.h\s+10\.2\.0\.2\/24$/m);
    assert.match(r.stdout, /^a\n├─ lo\s+DOWN\n├─ v0\s+UP\s+veth\s+<-> b\.v0\s+10\.1\.0\.1\/24\n└─ route\s+default via 10\.1\.0\.2 dev v0$/m);
    r = nsh(['show', 'looked', 'b']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^b\n(?:[├└]─ .*\n){3}$/, 'b alone');
    assert.match(r.stdout, /─ v0\s+UP\s+veth\s+<-> a\.v0\s+10\.1\.0\.2\/24$/m);
    assert.match(r.stdout, /─ h\s+UP\s+veth\s+<-> host\.hb\s+10\.2\.0\.1\/24$/m);
    r = nsh(['show', 'looked', 'routes', 'a']);
    assert.match(r.stdout, /^a\s+default\s+10\.1\.0\.2\s+v0$/m);
    assert.match(r.stdout, /^a\s+10\.1\.0\.0\/24\s+v0$/m);
    r = nsh(['show', 'looked', '--json']);
    const json = JSON.parse(r.stdout) as ShownNs[];
    assert.deepEqual(json.map(n => n.name), ['host', 'a', 'b']);
    assert.equal(json[2]!.links.find(l => l.name === 'h')!.peer, 'host.hb');
    // a namespace or lab it does not have
    r = nsh(['show', 'looked', 'c']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^nsh: lab "looked" has no namespace "c" \(it has a, b\)$/m);
    r = nsh(['show', 'other']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^nsh: there is no lab "other" \(labs: looked\)$/m);
    assert.equal(fs.readFileSync('/run/nsh/labs/looked.journal', 'utf8'), journal, 'looking wrote to the journal');
    assert.equal(nsh(['down', 'looked']).code, 0);
    assertClean();
  });
});
