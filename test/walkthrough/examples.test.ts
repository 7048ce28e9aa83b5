/**
 * The walkthrough scripts (examples/walkthrough) and the labs (examples/labs) on the kernel,
 * inside the test sandbox: each runs green and shows what its step is about, and leaves nothing.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertClean, describeKernel, linkStates, netnsList, nsh, nshBin, root, scrub, type Ran } from '../cli-kernel/harness.js';
import { infoBlocks, lsBlocks } from './outputs.js';

const walk = path.join(root, 'examples/walkthrough');

function run(file: string, extra: string[] = []): Ran {
  const r = nsh([...extra, file]);
  assert.equal(r.code, 0, `${file} failed:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Runs iptables in the test's own network namespace (the sandbox's); fails the test if it fails. */
function iptables(...args: string[]): string {
  const r = spawnSync('iptables', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `iptables ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

const hasIptables = spawnSync('sh', ['-c', 'command -v iptables'], { encoding: 'utf8' }).status === 0;

/** `iptables -L -n` listings in `out`: chain name → [policy, rules as lines]. */
function chains(out: string): Map<string, { policy: string; rules: string[] }> {
  const found = new Map<string, { policy: string; rules: string[] }>();
  for (const m of out.matchAll(/^Chain (\w+) \(policy (\w+)\)\ntarget .*\n((?:.+\n)*)/gm)) {
    found.set(m[1]!, { policy: m[2]!, rules: m[3]!.split('\n').filter(l => l.trim() !== '' && !l.startsWith('Chain ')) });
  }
  return found;
}

describeKernel('the walkthrough scripts', function () {
  this.timeout(120_000);
  before(scrub);
  afterEach(scrub);

  it('every step has a script, numbered 01 to 09', () => {
    const files = fs.readdirSync(walk).filter(f => f.endsWith('.ns')).sort();
    assert.deepEqual(files.map(f => f.slice(0, 3)), ['01-', '02-', '03-', '04-', '05-', '06-', '07-', '08-', '09-']);
  });

  it('01 shows the namespace identities of nsh and of PID 1, and a veth pair', () => {
    const r = run(path.join(walk, '01-namespaces.ns'), ['--rm']);
    const [host, pid1] = infoBlocks(r.stdout);
    for (const t of ['net', 'uts', 'ipc', 'pid', 'mnt', 'user']) assert.ok(host?.[t], `info host shows ${t}`);
    assert.deepEqual(pid1, host, 'in the sandbox nsh shares every namespace with its PID 1');
    assert.match(r.stdout, /veth1 .*<-> right\.veth0/);
    assert.match(r.stdout, /veth0 .*<-> left\.veth1/);
    assertClean();
  });

  it('02 adds, lists, looks into and deletes netns1', () => {
    const r = run(path.join(walk, '02-netns-add-del.ns'));
    const lines = r.stdout.split('\n');
    // ls /var/run/netns, then ip netns list: both name netns1 while it exists
    assert.equal(lines.filter(l => l === 'netns1').length, 2, r.stdout);
    assert.match(r.stdout, /^1: lo: <LOOPBACK> .* state DOWN/m);
    // the last ip netns list prints nothing
    assert.match(r.stdout, /^netns1\n$/m);
    assert.deepEqual(netnsList(), [], 'del netns1 removed it');
    assertClean();
  });

  it('03: ping 127.0.0.1 is unreachable while lo is down, and answers once it is up', () => {
    const r = run(path.join(walk, '03-loopback.ns'), ['--rm']);
    const unreachable = r.stdout.indexOf('Network is unreachable');
    const reply = r.stdout.search(/^64 bytes from 127\.0\.0\.1: icmp_seq=1/m);
    assert.ok(unreachable >= 0, `no "Network is unreachable" in:\n${r.stdout}`);
    assert.ok(reply > unreachable, 'the reply comes after lo is up');
    assert.match(r.stdout, /^1: lo: <LOOPBACK,UP,LOWER_UP>/m);
    assertClean();
  });

  it('04 pings across the veth pair both ways and shows the routing table inside', function () {
    if (!hasIptables) this.skip(); // its last statement lists the firewall with iptables
    const file = path.join(walk, '04-veth.ns');
    const r = run(file, ['--name', 'walk4']);
    assert.match(r.stdout, /^64 bytes from 10\.1\.1\.1: icmp_seq=1/m);
    assert.match(r.stdout, /^64 bytes from 10\.1\.1\.2: icmp_seq=1/m);
    assert.match(r.stdout, /^10\.1\.1\.0\/24 dev veth1 proto kernel scope link src 10\.1\.1\.1/m);
    assert.deepEqual(linkStates('netns1').find(l => l.ifname === 'veth1')?.addrs, ['10.1.1.1/24']);
    assert.deepEqual(linkStates().find(l => l.ifname === 'veth0')?.addrs, ['10.1.1.2/24']);
    assert.equal(nsh(['down', 'walk4']).code, 0);
    assertClean();
  });

  it('04 lists the firewall of netns1 with iptables: its own, empty, whatever the host has', function () {
    if (!hasIptables) this.skip(); // CI installs iptables (.ci/run); this step needs it
    // a rule in the host namespace (the sandbox's) that netns1 must not show
    iptables('-A', 'INPUT', '-s', '192.0.2.99', '-j', 'DROP');
    try {
      const r = run(path.join(walk, '04-veth.ns'), ['--rm']);
      assert.doesNotMatch(r.stdout, /not installed/);
      const inside = chains(r.stdout);
      assert.deepEqual([...inside.keys()], ['INPUT', 'FORWARD', 'OUTPUT'], r.stdout);
      for (const [name, chain] of inside) {
        assert.equal(chain.policy, 'ACCEPT', `${name} policy`);
        assert.deepEqual(chain.rules, [], `netns1's ${name} chain is empty`);
      }
      assert.match(iptables('-S', 'INPUT'), /^-A INPUT -s 192\.0\.2\.99\/32 -j DROP$/m, 'the host keeps its rule');
    } finally {
      iptables('-D', 'INPUT', '-s', '192.0.2.99', '-j', 'DROP');
    }
    assertClean();
  });

  it('05 moves veth1 to the namespace of PID 1, and a pid+mnt namespace keeps its device', () => {
    const r = run(path.join(walk, '05-move-to-pid1.ns'), ['--name', 'walk5']);
    // the device is back in the root namespace (the sandbox's), without its address, and gone from netns1
    const host = linkStates().find(l => l.ifname === 'veth1');
    assert.ok(host, 'veth1 is in the root namespace');
    assert.deepEqual(host.addrs, []);
    assert.deepEqual(linkStates('netns1').map(l => l.ifname), ['lo']);
    assert.match(r.stdout, /the host namespace and process 1 share their net/);
    // inside the new PID namespace the process is PID 1 itself; esc0 never reached the root
    assert.match(r.stdout, /^inside: I am PID 1$/m);
    assert.match(r.stdout, /^esc0@esc1\s/m);
    assert.ok(!linkStates().some(l => l.ifname.startsWith('esc')), 'esc0 did not escape');
    assert.equal(nsh(['down', 'walk5']).code, 0);
    assertClean();
  });

  it('06 tells shared from separate namespaces by the inode in brackets', () => {
    const r = run(path.join(walk, '06-proc-pid-ns.ns'), ['--rm']);
    const [lsHost, lsNetns1] = lsBlocks(r.stdout);
    const [host, netns1] = infoBlocks(r.stdout);
    assert.ok(lsHost && lsNetns1 && host && netns1, r.stdout);
    // ls -l /proc/$$/ns agrees with info, kind by kind
    assert.equal(lsHost.net, host.net);
    assert.equal(lsNetns1.net, netns1.net);
    assert.notEqual(host.net, netns1.net, 'netns1 has its own network namespace');
    for (const t of ['uts', 'ipc', 'pid', 'mnt', 'user']) assert.equal(netns1[t], host[t], `netns1 shares ${t} with the host`);
    assert.match(r.stdout, /the host namespace and process 1 share their namespaces/);
    assert.match(r.stdout, /share their uts/);
    assertClean();
  });

  it('07 keeps a namespace alive after its process ends and after its name is deleted', () => {
    const r = run(path.join(walk, '07-pin.ns'), ['--name', 'walk7']);
    assert.match(r.stdout, /^\/run\/nsh-walkthrough-net\s+nsfs\[net:\[\d+\]\]/m);
    const blocks = infoBlocks(r.stdout);
    assert.equal(blocks.length, 2);
    assert.equal(blocks[0]!.net, blocks[1]!.net, 'the same namespace before and after del');
    // `kept` is deleted; the two files still hold namespaces until the lab goes
    assert.deepEqual(netnsList(), []);
    assert.ok(fs.existsSync('/run/nsh-walkthrough-kept'));
    assert.equal(nsh(['down', 'walk7']).code, 0);
    assert.ok(!fs.existsSync('/run/nsh-walkthrough-kept'), 'down removed the pin');
    assert.ok(!fs.existsSync('/run/nsh-walkthrough-net'));
    assertClean();
  });

  it('08 runs programs inside a namespace known only by its file', () => {
    const r = run(path.join(walk, '08-setns.ns'), ['--rm']);
    assert.match(r.stdout, /^veth1@\S+\s+UP\s+10\.1\.1\.1\/24/m);
    assert.match(r.stdout, /^64 bytes from 10\.1\.1\.2: icmp_seq=1/m);
    assert.ok(!fs.existsSync('/run/nsh-walkthrough-netns1'));
    assertClean();
  });

  it('09: the clone() child is PID 1 of new namespaces, named in-namespace, and receives "haha"', () => {
    const r = run(path.join(walk, '09-clone.ns'), ['--rm']);
    assert.match(r.stdout, /^child: my PID is 1, my hostname is in-namespace$/m);
    const [host] = infoBlocks(r.stdout);
    const [child] = lsBlocks(r.stdout);
    assert.ok(host && child, r.stdout);
    for (const t of ['net', 'uts', 'ipc', 'pid', 'mnt']) assert.notEqual(child[t], host[t], `the child has its own ${t} namespace`);
    assert.equal(child.user, host.user, 'no new user namespace');
    assert.match(r.stdout, /^veth1@\S+\s+UP\s+169\.254\.1\.2\/30/m);
    assert.match(r.stdout, /^haha$/m);
    assertClean();
  });
});

describeKernel('the lab examples', function () {
  this.timeout(120_000);
  before(scrub);
  afterEach(scrub);

  it('hello.ns, as the README runs it (--rootless), pings as root and as nobody, and leaves nothing', () => {
    const hello = path.join(root, 'examples/hello.ns');
    const links = linkStates();
    const nobody = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', nshBin, '--rootless', hello], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', HOME: '/tmp' },
      timeout: 60_000,
    });
    const runs: [string, Ran][] = [['root', nsh(['--rootless', hello])], ['nobody', { code: nobody.status, stdout: nobody.stdout, stderr: nobody.stderr }]];
    for (const [who, r] of runs) {
      assert.equal(r.code, 0, `as ${who}: ${r.stderr}`);
      assert.match(r.stdout, /^3 packets transmitted, 3 received, 0% packet loss/m, `as ${who}`);
    }
    assert.deepEqual(linkStates(), links, 'the links of the host namespace and their addresses are as they were');
    assertClean();
  });

  it('hello.ns touches only the namespaces it makes', () => {
    const links = linkStates();
    run(path.join(root, 'examples/hello.ns'), ['--rm']);
    assert.deepEqual(linkStates(), links, 'the links of the host namespace and their addresses are as they were');
    assertClean();
  });

  // (vlans.ns needs 802.1Q: it runs in the VM tier, test/vm/vlan.test.ts)
  for (const name of ['router.ns', 'star.ns', 'dualstack.ns', 'nat.ns']) {
    it(`${name} runs green and leaves nothing with --rm`, () => {
      const r = run(path.join(root, 'examples/labs', name), ['--rm']);
      if (name === 'nat.ns') assert.match(r.stdout, /^hello through the published port$/m);
      else if (name !== 'dualstack.ns') assert.match(r.stdout, /^(\d+)\/\1 reachable$/m);
      assertClean();
    });
  }
});
