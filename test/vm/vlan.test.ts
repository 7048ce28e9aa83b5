/**
 * VLANs on a kernel that has 802.1Q and bridge VLAN filtering (the VM tier): bin/nsh runs
 * examples/labs/vlans.ns — a VLAN-aware switch with two access ports in VLAN 10 and one in VLAN
 * 20, and a trunk to a router on a stick (`vlan r.t0 10`, `vlan r.t0 20`). Hosts of one VLAN
 * reach each other through the switch alone; across VLANs only through the router, whose trunk
 * carries the frames tagged (the built-in capture prints the tags), and not at all once it stops
 * forwarding. iproute2 (`bridge -j vlan show`, `ip -d -j link`) is the oracle of what show says.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { Job } from '../../src/backend/backend.js';
import { LinuxBackend } from '../../src/backend/linux/linux-backend.js';
import type { Span } from '../../src/core/span.js';
import { Capture } from '../helpers/capture.js';
import { assertClean, ipJson, nsh, root, scrub } from '../cli-kernel/harness.js';
import { describeVm } from './vm.js';

const span: Span = { source: { name: 'vlan.test', text: '' }, start: 0, end: 0, line: 1, col: 1 };

interface ShownLink {
  name: string;
  vlan?: { id: number; parent: string };
  vlanFiltering?: boolean;
  vlans?: { id: number; pvid: boolean; untagged: boolean }[];
}

/** `nsh show vlans NS --json`: the namespace's links. */
function shown(ns: string): ShownLink[] {
  const r = nsh(['show', 'vlans', ns, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { links: ShownLink[] }[])[0]!.links;
}

describeVm('VLANs: a VLAN-aware switch and a router on a stick (examples/labs/vlans.ns)', function () {
  this.timeout(300_000);
  before(scrub);
  after(scrub);

  it('runs: a host reaches the other host of its VLAN, and the host of the other VLAN through the router', () => {
    const r = nsh([path.join(root, 'examples/labs/vlans.ns')], { timeoutMs: 240_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^12\/12 reachable$/m);
  });

  it('show --json says what bridge -j vlan show and ip -d link say: access ports, the trunk without VLAN 1, the router\'s vlans', () => {
    const out = spawnSync('bridge', ['-n', 'sw', '-j', 'vlan', 'show'], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const theirs = JSON.parse(out.stdout) as { ifname: string; vlans: { vlan: number; flags?: string[] }[] }[];
    const ours = shown('sw');
    for (const port of ['h1', 'h2', 'h3', 'up']) {
      const kernel = theirs.find(p => p.ifname === port)?.vlans.map(v => ({
        id: v.vlan, pvid: v.flags?.includes('PVID') ?? false, untagged: v.flags?.includes('Egress Untagged') ?? false,
      }));
      assert.deepEqual(ours.find(l => l.name === port)?.vlans, kernel, port);
    }
    assert.deepEqual(ours.find(l => l.name === 'h3')?.vlans, [{ id: 20, pvid: true, untagged: true }]);
    assert.deepEqual(ours.find(l => l.name === 'up')?.vlans, [{ id: 10, pvid: false, untagged: false }, { id: 20, pvid: false, untagged: false }]);
    assert.equal(ours.find(l => l.name === 'br0')?.vlanFiltering, true);

    const router = shown('r');
    const links = ipJson<{ ifname: string; linkinfo?: { info_kind?: string; info_data?: { id?: number } } }[]>('-n', 'r', '-d', 'link');
    for (const name of ['t0.10', 't0.20']) {
      const l = links.find(x => x.ifname === name);
      assert.equal(l?.linkinfo?.info_kind, 'vlan');
      assert.deepEqual(router.find(x => x.name === name)?.vlan, { id: l.linkinfo.info_data?.id, parent: 't0' });
    }
  });

  it('a capture on the trunk shows a ping across VLANs tagged: VLAN 10 to the router, VLAN 20 back to the switch', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const b = new LinuxBackend({ stdout, stderr, inheritStdin: false, color: false });
    try {
      const job = (await b.apply({ kind: 'capture', span, ep: { ns: 'sw', ifname: 'up' }, background: true })) as Job;
      const ping = { kind: 'ping', span, ref: { kind: 'name', name: 'h1' }, address: '10.0.20.13', family: 4, count: 2, interval: 0.2, timeout: 2 } as const;
      await b.apply({ ...ping, background: false });
      await b.apply({ kind: 'kill', span, targets: [{ kind: 'job', id: job.id }] });
      for (let i = 0; i < 500 && !/captured/.test(stderr.text); i++) await new Promise(r => setTimeout(r, 10));
      const lines = stdout.text.split('\n');
      const has = (re: RegExp) => assert.ok(lines.some(l => re.test(l)), `no line matches ${re}:\n${stdout.text}`);
      has(/ Out vlan 10, IP 10\.0\.10\.11 > 10\.0\.20\.13: ICMP echo request/);
      has(/ (In|P) vlan 20, IP 10\.0\.10\.11 > 10\.0\.20\.13: ICMP echo request/);
      has(/ Out vlan 20, IP 10\.0\.20\.13 > 10\.0\.10\.11: ICMP echo reply/);
      has(/ (In|P) vlan 10, IP 10\.0\.20\.13 > 10\.0\.10\.11: ICMP echo reply/);
    } finally {
      b.close();
    }
  });

  it('with the router\'s forwarding off, VLAN 20 cannot reach VLAN 10, even from an address of it; VLAN 10 still reaches itself; a trunk attached again keeps the VLANs given only', () => {
    const r = nsh(['--name', 'vlans', '-e', [
      'sysctl r net.ipv4.ip_forward=0',
      'in h1 ping 10.0.10.12 -c 1',
      '! in h3 ping 10.0.10.11 -c 1 -W 1',
      // an address of VLAN 10 on a port of VLAN 20: the switch keeps the two apart
      'addr h3.eth0 10.0.10.13/24',
      '! in h3 ping 10.0.10.11 -c 1 -W 1',
      // the trunk given VLAN 10 alone is a member of VLAN 10 alone
      'attach sw.up -> sw.br0 vlan 10',
    ].join('\n')], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    const up = spawnSync('bridge', ['-n', 'sw', '-j', 'vlan', 'show', 'dev', 'up'], { encoding: 'utf8' });
    assert.deepEqual((JSON.parse(up.stdout) as { vlans: unknown[] }[])[0]?.vlans, [{ vlan: 10 }]);
  });

  it('down removes it all', () => {
    const r = nsh(['down', 'vlans']);
    assert.equal(r.code, 0, r.stderr);
    assertClean();
  });
});
