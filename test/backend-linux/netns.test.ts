/**
 * Named network and UTS namespaces against the real kernel (in the sandbox), checked with
 * iproute2 and nsenter.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, fstatSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { SysError, gethostname } from '../../src/backend/linux/libc.js';
import {
  createNamedNetns, createNamedUts, deleteNamedNetns, deleteNamedUts, listNamedNetns,
  openNetns, withNamespaces, withNetns,
} from '../../src/backend/linux/netns.js';
import { describeKernel, ip, ipJson } from './kernel-sandbox.js';
import { NsHandles } from '../../src/backend/linux/handles.js';

const handles = new NsHandles();

/** The inode of the network namespace this thread is in ('net:[4026531840]' → 4026531840). */
const selfNet = (): number => Number(/\[(\d+)\]/.exec(readlinkSync('/proc/thread-self/ns/net'))![1]);
const mountCount = (): number => readFileSync('/proc/self/mountinfo', 'utf8').trim().split('\n').length;

describeKernel('linux/netns: named namespaces (kernel)', () => {
  const home = selfNet();

  after(() => {
    handles.closeAll();
    for (const n of listNamedNetns()) deleteNamedNetns(n);
  });

  it('createNamedNetns persists a namespace that ip netns list / exec see', () => {
    closeSync(createNamedNetns('n1'));
    const names = ipJson<Array<{ name: string }>>('netns', 'list').map((n) => n.name);
    assert.ok(names.includes('n1'), `ip netns list: ${names.join(' ')}`);
    const links = JSON.parse(execFileSync('ip', ['netns', 'exec', 'n1', 'ip', '-j', 'link'], { encoding: 'utf8' }));
    assert.deepEqual(links.map((l: { ifname: string }) => l.ifname), ['lo']);
    assert.ok(!links[0].flags.includes('UP'), 'lo stays down, as the kernel makes it');
    assert.equal(selfNet(), home, 'the thread is back in its namespace');
    assert.notEqual(statSync('/run/netns/n1').ino, home);
  });

  it('/run/netns is a shared mount point, as ip netns add makes it', () => {
    const line = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === '/run/netns');
    assert.ok(line, 'a mount at /run/netns');
    assert.match(line, /shared:\d+/);
  });

  it('an existing name fails with EEXIST and leaves nothing behind', () => {
    const mounts = mountCount();
    assert.throws(() => createNamedNetns('n1'), (e: unknown) => e instanceof SysError && e.code === 'EEXIST' && e.errno === 17);
    assert.equal(mountCount(), mounts);
    assert.equal(selfNet(), home);
  });

  it('withNetns runs a block inside the namespace and returns, also on throw', () => {
    const fd = handles.netFd('n1');
    const inside = withNetns(fd, () => selfNet());
    assert.equal(inside, statSync('/run/netns/n1').ino);
    assert.equal(selfNet(), home);
    assert.throws(() => withNetns(fd, () => { throw new Error('boom'); }), /boom/);
    assert.equal(selfNet(), home);
    // nested calls return to the outer namespace, not to the first one
    closeSync(createNamedNetns('n2'));
    const n2 = handles.netFd('n2');
    const seen = withNetns(fd, () => [selfNet(), withNetns(n2, () => selfNet()), selfNet()]);
    assert.deepEqual(seen, [statSync('/run/netns/n1').ino, statSync('/run/netns/n2').ino, statSync('/run/netns/n1').ino]);
    assert.equal(selfNet(), home);
  });

  it('openNetns resolves host, name, pid and path', () => {
    const ino = (fd: number): number => fstatSync(fd).ino;
    const fds = [
      openNetns({ kind: 'host' }),
      openNetns({ kind: 'name', name: 'n1' }),
      openNetns({ kind: 'pid', pid: process.pid }),
      openNetns({ kind: 'path', path: '/run/netns/n2' }),
    ];
    assert.deepEqual(fds.map(ino), [home, statSync('/run/netns/n1').ino, home, statSync('/run/netns/n2').ino]);
    assert.throws(() => openNetns({ kind: 'name', name: 'nope' }), (e: unknown) => e instanceof SysError && e.code === 'ENOENT');
    for (const fd of fds) closeSync(fd);
  });

  it('the handle cache keeps one fd per name', () => {
    const h = new NsHandles();
    const a = h.netFd('n1');
    assert.equal(h.netFd('n1'), a);
    assert.equal(h.utsFd('n1'), undefined);
    h.closeAll();
  });

  it('deleteNamedNetns removes it as ip netns del does', () => {
    deleteNamedNetns('n1');
    deleteNamedNetns('n2');
    assert.deepEqual(ipJson('netns', 'list'), []);
    assert.ok(!existsSync('/run/netns/n1'));
    assert.throws(() => deleteNamedNetns('n1'), (e: unknown) => e instanceof SysError && e.code === 'ENOENT');
  });

  it('a named UTS namespace keeps its hostname', () => {
    const before = hostname();
    createNamedUts('u1', 'box-u1');
    assert.equal(execFileSync('nsenter', ['--uts=/run/nsh/uts/u1', 'hostname'], { encoding: 'utf8' }).trim(), 'box-u1');
    assert.equal(hostname(), before, 'our own hostname is untouched');
    const fd = handles.utsFd('u1')!;
    assert.equal(withNamespaces({ uts: fd }, () => gethostname()), 'box-u1');
    assert.equal(gethostname(), before);
    assert.throws(() => createNamedUts('u1', 'x'), (e: unknown) => e instanceof SysError && e.code === 'EEXIST');
    deleteNamedUts('u1');
    assert.deepEqual(readdirSync('/run/nsh/uts'), []);
  });

  it('leaves nothing behind', () => {
    handles.closeAll();
    assert.equal(ip('netns', 'list').trim(), '');
    assert.deepEqual(readdirSync('/run/nsh/uts'), []);
  });
});
