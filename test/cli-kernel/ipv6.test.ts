/**
 * IPv6 is usable at once: the first ping of a routed IPv6 lab, sent right after the lab is built,
 * gets its reply. The links' link-local addresses skip duplicate address detection (a router
 * whose link-local address is tentative cannot solicit the next hop of what it forwards).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { assertClean, describeKernel, ip, nsh, scrub, writeScript } from './harness.js';

const routed = (gateway: (side: 1 | 2) => string) => [
  'ns h1 r h2',
  'veth h1.e0 2001:db8:1::10/64 <-> r.e1 2001:db8:1::1/64',
  'veth h2.e0 2001:db8:2::10/64 <-> r.e2 2001:db8:2::1/64',
  'forward r',
  `route h1 default via ${gateway(1)}`,
  `route h2 default via ${gateway(2)}`,
  'in h1 ping 2001:db8:2::10 -c 1',
];

const sysctl = (ns: string | undefined, key: string) =>
  (ns ? ip('netns', 'exec', ns, 'cat', `/proc/sys/${key.replace(/\./g, '/')}`) : fs.readFileSync(`/proc/sys/${key.replace(/\./g, '/')}`, 'utf8')).trim();

describeKernel('IPv6 at once', function () {
  this.timeout(120_000);
  afterEach(scrub);

  it('the first ping across a router gets its reply, every time', () => {
    for (let i = 0; i < 5; i++) {
      const r = nsh(['--rm', '-e', routed(s => `2001:db8:${s}::1`).join('\n')]);
      assert.equal(r.code, 0, `run ${i + 1}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /1 packets transmitted, 1 received/);
    }
    assertClean();
  });

  it('through a link-local gateway too', () => {
    const lab = routed(() => 'fe80::1 dev e0');
    lab.splice(3, 0, 'addr r.e1 fe80::1/64', 'addr r.e2 fe80::1/64');
    const r = nsh(['--rm', '-e', lab.join('\n')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assertClean();
  });

  it('through a router in the host: its links get DAD off one by one; the host\'s default stays', () => {
    const before = sysctl(undefined, 'net.ipv6.conf.default.accept_dad');
    const r = nsh(['--name', 'v6host', writeScript('v6host.ns', [
      'ns h1 h2',
      'veth h1.e0 2001:db8:1::10/64 <-> host.r1 2001:db8:1::1/64',
      'veth host.r2 2001:db8:2::1/64 <-> h2.e0 2001:db8:2::10/64',
      'bridge host.br9',
      'sysctl host net.ipv6.conf.all.forwarding=1',
      'route h1 default via 2001:db8:1::1',
      'route h2 default via 2001:db8:2::1',
      'in h1 ping 2001:db8:2::10 -c 1',
    ].join('\n'))]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const l of ['r1', 'r2', 'br9']) assert.equal(sysctl(undefined, `net.ipv6.conf.${l}.accept_dad`), '0', l);
    assert.equal(sysctl(undefined, 'net.ipv6.conf.default.accept_dad'), before, 'the host\'s default changed');
    // the lab's own namespaces: their default is off, so every link made there starts without DAD
    for (const ns of ['h1', 'h2']) assert.equal(sysctl(ns, 'net.ipv6.conf.default.accept_dad'), '0', ns);
    assert.equal(nsh(['down', 'v6host']).code, 0);
    fs.writeFileSync('/proc/sys/net/ipv6/conf/all/forwarding', '0\n');
    assertClean();
  });

  it('namespaces made ahead (a large lab) start without DAD too', () => {
    // (written out, and a veth each, as the pool's own test does: such a text has the worker
    // started while it is checked; in a loop nsh could make all 100 before the worker made one)
    const text = Array.from({ length: 100 }, (_, k) => `ns p${k + 1}; veth p${k + 1}.v0 <-> host.hp${k + 1}`).join('\n');
    const r = nsh(['--name', 'v6pool', writeScript('v6pool.ns', text)], { env: { NSH_DEBUG: '1' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /[1-9]\d* namespaces made ahead were used/);
    for (let i = 1; i <= 100; i++) assert.equal(sysctl(`p${i}`, 'net.ipv6.conf.default.accept_dad'), '0', `p${i}`);
    assert.equal(nsh(['down', 'v6pool']).code, 0);
    assertClean();
  });
});
