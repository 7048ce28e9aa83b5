/**
 * What a program run in a namespace sees, as under `ip netns exec`: /sys mounted for that network
 * namespace, and the files of /etc/netns/NS over those of /etc, in a mount namespace of its own
 * that leaves nsh's own mounts as they were.
 *
 * /etc/netns is made here over an overlay of /etc in the sandbox's private mount namespace: the
 * machine's real /etc is never written.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertClean, describeKernel, nsh, scrub, writeScript } from './harness.js';

/** The sandbox's mounts (nsh's own mount namespace), as findmnt lists them. */
const mounts = () => execFileSync('findmnt', ['-rn', '-o', 'TARGET,SOURCE,FSTYPE,OPTIONS,PROPAGATION'], { encoding: 'utf8' }).trim().split('\n').sort();

/** /etc with a writable layer on top, in this (the sandbox's) mount namespace only; undone by the returned function. */
function writableEtc(): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-etc-'));
  execFileSync('mount', ['-t', 'tmpfs', 'nsh-etc', dir]);
  fs.mkdirSync(path.join(dir, 'upper'));
  fs.mkdirSync(path.join(dir, 'work'));
  execFileSync('mount', ['-t', 'overlay', 'nsh-etc', '-o', `lowerdir=/etc,upperdir=${dir}/upper,workdir=${dir}/work`, '/etc']);
  return () => {
    execFileSync('umount', ['/etc']);
    execFileSync('umount', [dir]);
    fs.rmdirSync(dir);
  };
}

describeKernel('programs see their namespace\'s /sys and /etc/netns files', function () {
  this.timeout(60_000);
  afterEach(scrub);

  it('in NS: /sys/class/net lists exactly the namespace\'s links; so do a background program, spawn net and the REPL\'s bare commands', () => {
    const r = nsh(['--rm', '-e', [
      'ns a b',
      'veth a.v0 <-> b.w0',
      'veth a.v1 <-> host.hv1',
      'echo "--- a"',
      'in a ls /sys/class/net',
      'echo "--- b"',
      'in b ls /sys/class/net',
      'echo "--- a in the background"',
      'in a ls /sys/class/net &',
      'wait',
      'echo "--- spawn net"',
      'spawn net ls /sys/class/net',
      'echo "--- end"',
    ].join('\n')]);
    assert.equal(r.code, 0, r.stderr);
    const part = (title: string) => {
      const from = r.stdout.indexOf(`--- ${title}\n`) + title.length + 5;
      return r.stdout.slice(from, r.stdout.indexOf('---', from)).split('\n').filter(l => l && !/^\[\d+\] \d+$/.test(l));
    };
    assert.deepEqual(part('a'), ['lo', 'v0', 'v1']);
    assert.deepEqual(part('b'), ['lo', 'w0']);
    assert.deepEqual(part('a in the background'), ['lo', 'v0', 'v1']);
    assert.deepEqual(part('spawn net'), ['lo']);
    assertClean();

    const file = writeScript('view.ns', 'ns a\nveth a.e0 <-> host.he0\n');
    const i = nsh(['-i', file], { input: 'in a\nls /sys/class/net\n' });
    assert.equal(i.code, 0, i.stderr);
    assert.match(i.stdout, /e0\nlo\n/);
    assertClean();
  });

  it('in NS: /etc/netns/NS/hosts is /etc/hosts; nothing of it is left in nsh\'s mounts', () => {
    const restore = writableEtc();
    try {
      // /run/netns becomes a mount point with the first namespace: make it one before looking
      assert.equal(nsh(['--rm', '-e', 'ns warm']).code, 0);
      fs.mkdirSync('/etc/netns/a', { recursive: true });
      fs.writeFileSync('/etc/netns/a/hosts', '10.9.9.9 only-in-a\n');
      fs.writeFileSync('/etc/netns/a/no-such-file-in-etc', 'x\n');
      const hostHosts = fs.readFileSync('/etc/hosts', 'utf8');
      const before = mounts();
      const r = nsh(['--rm', '-e', 'ns a b\nin a cat /etc/hosts\necho ---\nin b cat /etc/hosts\nin a sh -c "findmnt -rn -o TARGET,FSTYPE,SOURCE /sys; findmnt -rn -o TARGET /etc/hosts"']);
      assert.equal(r.code, 0, r.stderr);
      const [inA, inB] = r.stdout.split('---\n');
      assert.equal(inA, '10.9.9.9 only-in-a\n');
      assert.ok(inB!.startsWith(hostHosts), 'b sees the host\'s /etc/hosts');
      assert.match(r.stdout, /^\/sys sysfs a$/m);
      assert.match(r.stdout, /^\/etc\/hosts$/m);
      // an entry with nothing of that name in /etc: said, and the program runs anyway (as ip netns exec)
      assert.match(r.stderr, /cannot bind \/etc\/netns\/a\/no-such-file-in-etc over \/etc\/no-such-file-in-etc/);
      assert.deepEqual(mounts(), before, 'nsh\'s own mounts changed');
      assert.equal(fs.readFileSync('/etc/hosts', 'utf8'), hostHosts);
      assertClean();
    } finally {
      restore();
    }
  });

  it('a program that is not there is said as before, and its status is the program\'s', () => {
    let r = nsh(['--rm', '-e', 'ns a\nin a no-such-program']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: command not found: no-such-program/);
    r = nsh(['--rm', '-e', 'ns a\nin a sh -c "exit 7"']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /sh exited with status 7/);
    const plain = writeScript('plain.txt', 'not a program\n');
    fs.chmodSync(plain, 0o644);
    r = nsh(['--rm', '-e', `ns a\nin a ${plain}`]);
    assert.match(r.stderr, /plain\.txt cannot be run: permission denied/);
    assertClean();
  });
});
