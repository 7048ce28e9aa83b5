/**
 * Namespaces made ahead by a worker thread (src/backend/linux/netns-pool.ts), on the real kernel:
 * each one named by its `ns` statement is its own and as fresh as one `ip netns add` makes, a
 * failing run leaves none behind (named or not), and the hint that starts the worker counts
 * what a script's text says.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseSource } from '../../src/syntax/parse.js';
import { makeSource } from '../../src/syntax/source.js';
import { namespacesIn } from '../../src/runtime/lab.js';
import { assertClean, describeKernel, ipJson, netnsList, nsh, scrub, writeScript } from './harness.js';

function madeAhead(stderr: string): { used: number; unused: number } {
  const m = /(\d+) namespaces made ahead were used, (\d+) not/.exec(stderr);
  assert.ok(m, `no pool report in: ${stderr}`);
  return { used: Number(m[1]), unused: Number(m[2]) };
}

/** Network namespaces alive in the sandbox: those of processes, and those pinned by a mount. */
function liveNetns(): Set<string> {
  const seen = new Set<string>();
  for (const pid of fs.readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    try {
      seen.add(fs.readlinkSync(`/proc/${pid}/ns/net`));
    } catch {
      /* gone */
    }
  }
  for (const n of netnsList()) seen.add(`net:[${fs.statSync(`/run/netns/${n}`).ino}]`);
  return seen;
}

describeKernel('namespaces made ahead', function () {
  this.timeout(120_000);
  afterEach(scrub);

  it('names each made-ahead namespace once, each its own and fresh (lo down), and links work through them', () => {
    const r = nsh(['--name', 'pool', writeScript('pool.ns', [
      // written out, not a loop: a text of that many `ns` lines has the worker started while it is
      // parsed and checked, so it is ready when the first `ns` runs (a loop's pool starts then, and
      // a worker takes 100 ms and more to start, in which nsh may make all 120 itself)
      ...Array.from({ length: 120 }, (_, k) => `ns p${k + 1}; veth p${k + 1}.v0 <-> host.hp${k + 1}`),
      'addr p1.v0 10.7.0.1/30; addr host.hp1 10.7.0.2/30',
      'veth p120.a 10.7.0.5/30 <-> p119.a 10.7.0.6/30',
      'in p1 ping 10.7.0.2 -c 1 -W 2',
      'in p120 ping 10.7.0.6 -c 1 -W 2',
    ].join('\n'))], { env: { NSH_DEBUG: '1' } });
    assert.equal(r.code, 0, r.stderr);
    const { used } = madeAhead(r.stderr);
    assert.ok(used > 0, 'the worker made none that were used');
    const names = netnsList();
    assert.equal(names.length, 120);
    const inodes = new Set(names.map(n => fs.statSync(`/run/netns/${n}`).ino));
    assert.equal(inodes.size, 120, 'two names share a namespace');
    assert.ok(!inodes.has(fs.statSync('/proc/self/ns/net').ino), 'a name holds the sandbox namespace');
    for (const n of ['p2', 'p60', 'p118']) {
      const links = ipJson<{ ifname: string; ifindex: number; flags: string[] }[]>('-n', n, 'link');
      assert.deepEqual(links.map(l => `${l.ifname}:${l.ifindex}`), ['lo:1', 'v0:2'], `${n} is not as fresh as ip netns add makes it`);
      assert.ok(!links[0]!.flags.includes('UP'), `${n}: lo is up`);
    }
    assert.equal(nsh(['down', 'pool']).code, 0);
    assertClean();
  });

  it('leaves no namespace behind, named or made ahead, when a run fails half-way', () => {
    const alive = liveNetns();
    const r = nsh([writeScript('half.ns', [
      'for i in 1..60 {',
      '  ns h$i',
      '  veth h$i.v0 <-> host.hh$i',
      '  in h$i test $i -lt 30',
      '}',
    ].join('\n'))]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /half\.ns:4:3: error: test exited with status 1/);
    assertClean();
    // the kernel frees an unnamed namespace when its last fd closes: none outlives nsh
    assert.deepEqual([...liveNetns()].filter(n => !alive.has(n)), []);
  });

  it('a script of many `ns` lines, whose worker starts before it is checked, leaves no namespace made ahead unused; one that fails its check makes none', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `ns s${i + 1}`);
    const ok = nsh(['--name', 'standby', writeScript('standby.ns', lines.join('\n'))], { env: { NSH_DEBUG: '1' } });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(madeAhead(ok.stderr).unused, 0, 'the worker made namespaces nobody took');
    assert.equal(netnsList().length, 40);
    assert.equal(nsh(['down', 'standby']).code, 0);
    const alive = liveNetns();
    const bad = nsh([writeScript('standby-bad.ns', [...lines, 'frobnicate s1'].join('\n'))], { env: { NSH_DEBUG: '1' } });
    assert.equal(bad.code, 2, bad.stderr);
    assertClean();
    assert.deepEqual([...liveNetns()].filter(n => !alive.has(n)), []);
  });
});

describe('the namespace hint', () => {
  const count = (text: string) => {
    const r = parseSource(makeSource('t.ns', text));
    assert.deepEqual(r.diagnostics, []);
    return namespacesIn(r.program.statements);
  };
  it('counts ns names, loops over literal ranges and word lists, nested', () => {
    assert.equal(count('ns a b c'), 3);
    assert.equal(count('for i in 1..10 { ns n$i }'), 10);
    assert.equal(count('for i in 10..1 { ns n$i }'), 10);
    assert.equal(count('for i in a b { for j in 1..5 { ns x$i$j } }'), 10);
    assert.equal(count('ns a; for i in 1..3 { veth a.v$i <-> host.h$i }'), 1);
  });
  it('counts a loop over a computed range once', () => {
    assert.equal(count('let n = 5; for i in 1..$n { ns n$i }'), 1);
  });
});
