/** `nsh exec LAB NS CMD…` on the kernel: a program in a lab's namespace, nsh exiting with its status, as ip netns exec does. */
import * as assert from 'node:assert/strict';
import { assertClean, describeKernel, nsh, scrub } from './harness.js';

describeKernel('nsh exec', function () {
  this.timeout(60_000);
  afterEach(scrub);

  it('runs a program in the namespace (network, UTS, /sys), with nsh\'s streams, and exits with its status', () => {
    assert.equal(nsh(['--name', 'ex', '-e', 'ns a\nns b hostname bee\nveth a.v0 10.1.0.1/24 <-> b.v0 10.1.0.2/24']).code, 0);
    let r = nsh(['exec', 'ex', 'a', 'ls', '/sys/class/net']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'lo\nv0\n');
    r = nsh(['exec', 'ex', 'b', 'hostname']);
    assert.equal(r.stdout, 'bee\n');
    // options after NS are the program's
    r = nsh(['exec', 'ex', 'a', 'ip', '-4', '-o', 'addr', 'show', 'dev', 'v0']);
    assert.match(r.stdout, /inet 10\.1\.0\.1\/24/);
    r = nsh(['exec', 'ex', 'a', 'cat'], { input: 'through\n' });
    assert.equal(r.stdout, 'through\n');
    assert.equal(nsh(['exec', 'ex', 'a', 'sh', '-c', 'exit 7']).code, 7);
    assert.equal(nsh(['exec', 'ex', 'a', 'sh', '-c', 'kill -TERM $$']).code, 143);
    r = nsh(['exec', 'ex', 'a', 'no-such-program']);
    assert.equal(r.code, 127);
    assert.match(r.stderr, /^nsh: command not found: no-such-program$/m);
    assert.equal(nsh(['exec', 'ex', 'host', 'no-such-program']).code, 127, 'host: node starts it itself');
    r = nsh(['exec', 'ex', 'c', 'true']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^nsh: lab "ex" has no namespace "c" \(it has a, b\)$/m);
    assert.equal(nsh(['down', 'ex']).code, 0);
    assertClean();
  });
});
