/**
 * Requests written behind (src/backend/linux/write-behind.ts) in a large lab, on the real kernel:
 * the links are up with their addresses when anything looks or sends, and at the end; a request
 * that fails late is reported at its own statement, stops the run before the statement that
 * sent it, and the run leaves nothing; `!` still sees the failure of its own statement.
 */
import * as assert from 'node:assert/strict';
import { assertClean, describeKernel, ipJson, nsh, scrub, writeScript } from './harness.js';

// 40 namespaces: above the count (POOL_MIN) from which the backend writes behind
const lab = ['for i in 1..40 {', '  ns n$i', '  veth n$i.v0 <-> host.h$i 10.1.$i.1/24', '  up n$i.lo', '}'];

interface Addr {
  ifname: string;
  flags: string[];
  addr_info: { family: string; local: string; prefixlen: number }[];
}

function inet(ns: string | undefined, ifname: string): { up: boolean; addrs: string[] } {
  const [l] = ipJson<Addr[]>(...(ns ? ['-n', ns] : []), 'addr', 'show', 'dev', ifname);
  assert.ok(l, `no ${ifname} in ${ns ?? 'the host'}`);
  return { up: l.flags.includes('UP'), addrs: l.addr_info.filter(a => a.family === 'inet').map(a => `${a.local}/${a.prefixlen}`) };
}

describeKernel('write-behind in a large lab', function () {
  this.timeout(120_000);
  afterEach(scrub);

  it('has every link up with its addresses at the end, and before a statement that sends traffic', () => {
    const r = nsh(['--name', 'wb', writeScript('wb.ns', [
      ...lab.slice(0, 3),
      '  ! up n$i.nosuch', // a `!` statement sees its own statement fail, at once
      ...lab.slice(3),
      'in n7 ping -c 1 -W 2 10.1.7.2',
      'veth n40.w <-> n39.w',
      'down n40.lo',
    ].join('\n'))], { env: { NSH_DEBUG: '1' } });
    assert.equal(r.code, 0, r.stderr);
    // 40 x (v0: address + up, h: address + up, lo up), the pair w's peer up, n40.lo down
    assert.match(r.stderr, /nsh: debug: 202 requests written behind, in \d+ batches/);
    assert.match(r.stdout, /1 received/);
    for (const i of [1, 7, 40]) {
      assert.deepEqual(inet(`n${i}`, 'v0'), { up: true, addrs: [`10.1.${i}.1/24`] });
      assert.deepEqual(inet(undefined, `h${i}`), { up: true, addrs: [`10.1.${i}.2/24`] });
    }
    assert.equal(inet('n39', 'lo').up, true);
    assert.equal(inet('n40', 'lo').up, false, '`down` after `up`: the order of one namespace is kept');
    assert.deepEqual(inet('n40', 'w'), { up: true, addrs: [] });
    assert.equal(nsh(['down', 'wb']).code, 0);
    assertClean();
  });

  // (an interface of the host: the check cannot know that it is missing, the kernel says so)
  it('reports a request that fails late at its own statement, runs no statement that needs it, and leaves nothing', () => {
    const file = writeScript('late.ns', [...lab, 'up host.nosuch', 'ns extra', 'echo never printed'].join('\n'));
    const r = nsh([file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${file}:6:1: error: there is no interface "nosuch" in namespace "host"`));
    assert.doesNotMatch(r.stdout, /never printed/);
    assertClean();
  });

  it('reports it at the end of the run when no later statement sends anything', () => {
    const file = writeScript('end.ns', [...lab, 'up host.nosuch', 'ns extra'].join('\n'));
    const r = nsh([file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${file}:6:1: error: there is no interface "nosuch" in namespace "host"`));
    assertClean();
  });
});
