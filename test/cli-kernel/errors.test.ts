/**
 * Kernel errors become one sentence about the statement's objects, with the statement's place.
 * Where the dry run can tell that a statement will fail (`check`), the same sentence comes before
 * anything runs (exit 2), under the word at fault; after a program has run (`in a true`), the
 * dry run no longer knows the namespaces, and the kernel's refusal says it (exit 1).
 */
import * as assert from 'node:assert/strict';
import { assertClean, describeKernel, nsh, scrub } from './harness.js';

const cases: [string, string, RegExp][] = [
  ['link exists', 'ns a\nveth a.v0 <-> host.h0\nveth a.v0 <-> host.h1', /^-e:3:1: error: interface "v0" already exists in namespace "a"$/m],
  ['no such interface', 'ns a\naddr a.v9 10.0.0.1/24', /^-e:2:1: error: there is no interface "v9" in namespace "a"$/m],
  ['address exists', 'ns a\nveth a.v0 <-> host.h0 10.5.0.1/24\naddr a.v0 10.5.0.1/24', /^-e:3:1: error: a\.v0 already has address 10\.5\.0\.1\/24$/m],
  ['address missing', 'ns a\nveth a.v0 <-> host.h0\naddr a.v0 del 10.5.0.9/24', /^-e:3:1: error: a\.v0 has no address 10\.5\.0\.9\/24$/m],
  ['gateway unreachable', 'ns a\nroute a default via 10.7.0.1', /^-e:2:1: error: gateway 10\.7\.0\.1 is not on a network of namespace "a"$/m],
  ['route exists', 'ns a\nveth a.v0 <-> host.h0 10.6.0.1/24\nroute a 10.9.0.0/16 via 10.6.0.2\nroute a 10.9.0.0/16 via 10.6.0.2', /^-e:4:1: error: namespace "a" already has a route to 10\.9\.0\.0\/16$/m],
  ['namespace missing', 'del ghost', /^-e:1:1: error: namespace "ghost" does not exist$/m],
  ['port in use', 'ns a\nup a.lo\nin a nc -l 4000 &\nin a nc -l 4000', /^-e:4:1: error: port 4000 is already in use$/m],
  ['command not found', 'ns a\nin a no-such-program-here', /^-e:2:6: error: command not found: no-such-program-here$/m],
  ['no reply', 'ns a b\nveth a.v0 <-> b.v0 10.8.0.1/30\ndown b.v0\nin a ping 10.8.0.2 -c 1 -W 0.2', /^-e:4:1: error: no reply from 10\.8\.0\.2$/m],
  ['network unreachable', 'ns a\nin a ping 10.8.0.2 -c 1', /^-e:2:1: error: ping could not send to 10\.8\.0\.2$/m],
  ['sysctl missing', 'ns a\nsysctl a net.ipv4.no_such_key=1', /^-e:2:1: error: there is no sysctl net\.ipv4\.no_such_key$/m],
  ['attach to a non-bridge', 'ns a\nveth a.v0 <-> a.v1\nattach a.v0 -> a.v1', /^-e:3:1: error: a\.v1 is not a bridge$/m],
];

/** The cases the dry run catches first, with the column of the word at fault. */
const checked: Record<string, number> = {
  'link exists': 6, 'no such interface': 6, 'address exists': 6, 'address missing': 6, 'gateway unreachable': 21,
  'route exists': 1, 'attach to a non-bridge': 16,
};

describeKernel('kernel errors in words', function () {
  this.timeout(60_000);
  afterEach(scrub);
  for (const [name, text, expected] of cases) {
    const col = checked[name];
    // the line of the failing statement, once a program has run before it
    const blind = col === undefined ? text : text.replace(/^ns a\n/, 'ns a\nin a true\n');
    it(name, () => {
      const r = nsh(['-e', blind]);
      assert.equal(r.code, 1, r.stderr);
      const line = Number(/\^-e:(\d+)/.exec(expected.source)![1]) + (blind === text ? 0 : 1);
      assert.match(r.stderr, new RegExp(expected.source.replace(/\^-e:\d+:1:/, `^-e:${line}:1:`), 'm'));
      assert.doesNotMatch(r.stderr, /\bE[A-Z]{3,}\b|errno|\.js:\d+|Error:/, 'no raw errno or stack trace');
      assertClean();
    });
    if (col === undefined) continue;
    it(`${name}, found by the check before anything runs`, () => {
      const r = nsh(['-e', text]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(expected.source.replace(/:1:/, `:${col}:`), 'm'));
      assertClean();
    });
  }

  it('a mistyped program is met with the nearest name on PATH or of the built-ins, else the hint of a full path', () => {
    let r = nsh(['-e', 'ns a\nin a pign 10.8.0.2']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^-e:2:6: error: command not found: pign\n.*\n.*\n  hint: did you mean ping\?$/m);
    r = nsh(['-e', 'ns a\nin a slep 1']);
    assert.match(r.stderr, /command not found: slep\n.*\n.*\n  hint: did you mean sleep\?$/m);
    r = nsh(['-e', 'ns a\nin a no-such-program-here']);
    assert.match(r.stderr, /hint: give its full path if it is not on PATH$/m);
    assertClean();
  });

  it('an unreachable ping says so once (ping\'s own line), not followed by "no reply"', () => {
    const r = nsh(['-e', 'ns a\nin a ping 10.8.0.2 -c 1']);
    assert.equal(r.code, 1);
    const all = r.stdout + r.stderr;
    assert.equal(all.split('Network is unreachable').length - 1, 1, all);
    assert.match(r.stdout, /^ping: connect: Network is unreachable$/m);
    assert.doesNotMatch(all, /no reply/);
    assertClean();
  });
});
