/** --rootless: an ordinary user (nobody) builds and pings a lab in a private user namespace. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { assertClean, describeKernel, nshBin, root } from './harness.js';

function asNobody(args: string[]) {
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', nshBin, ...args], {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', HOME: '/tmp' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describeKernel('--rootless', function () {
  this.timeout(60_000);

  it('without privileges nsh says what it needs in one line and exits 1, touching nothing', () => {
    const r = asNobody(['-e', 'ns a']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'nsh: building a lab needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN): run nsh with sudo, or with --rootless\n');
    assertClean();
  });

  it('as nobody, builds a lab with a hostname, pings across a veth, and leaves nothing', () => {
    const r = asNobody(['--rootless', '-e', 'ns a hostname lab\nveth a.v0 <-> host.v1 10.1.1.1/24\nin a ping 10.1.1.2 -c 2\nin a hostname']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^64 bytes from 10\.1\.1\.2: icmp_seq=1 /m);
    assert.match(r.stdout, /^lab$/m);
    assert.doesNotMatch(r.stderr, /nsh down/);
    assertClean();
  });

  it('nsh --rootless -- CMD runs CMD as root of the sandbox, not as its PID 1, and exits with its status', () => {
    const r = asNobody(['--rootless', '--', 'sh', '-c', 'id -u; echo "$NSH_ROOTLESS"; tr "\\0" " " < /proc/1/cmdline; echo; ls /run; exit 7']);
    assert.equal(r.code, 7, r.stderr);
    const [uid, inside, init] = r.stdout.split('\n');
    assert.equal(uid, '0');
    assert.equal(inside, '1');
    assert.match(init!, /nsh-run/, 'PID 1 is the launcher\'s shell');
    assert.equal(asNobody(['--rootless', '--']).code, 2);
    assert.equal(asNobody(['--rootless', '--name', 'x', '--', 'true']).code, 2);
  });

  it('a syntax error is reported before anything starts (exit 2)', () => {
    const r = asNobody(['--rootless', '-e', 'veth a.averyveryverylongname <-> host.v1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Linux allows at most 15/);
  });
});
