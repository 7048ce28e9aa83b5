/**
 * The VM tier works: the booted kernel is Debian 12's 6.1 LTS (a second kernel version for nsh),
 * test/vm/modules was loaded, and a lab built by bin/nsh pings and takes netem, 802.1Q VLANs
 * and a VLAN-filtering bridge, which the kernel the other tiers run on may lack. iproute2 and
 * tc are the oracles.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { assertClean, ip, ipJson, nsh, scrub } from '../cli-kernel/harness.js';
import { describeVm } from './vm.js';

/** The kernel series the tier is for: Debian 12's, installed by .ci/run as linux-image-amd64. */
const SERIES = '6.1';

describeVm('the VM tier', function () {
  this.timeout(120_000);
  afterEach(scrub);

  it(`boots the installed Debian kernel, ${SERIES}`, () => {
    assert.equal(os.release(), process.env['NSH_VM_KERNEL']);
    assert.ok(os.release().startsWith(`${SERIES}.`), `kernel ${os.release()} is not ${SERIES}`);
  });

  it('lets a process create a user namespace, as nsh --rootless does (the root is not a chroot)', () => {
    const r = spawnSync('unshare', ['--user', '--map-root-user', 'id', '-u'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '0');
  });

  it('has the modules of test/vm/modules loaded, netem and 802.1Q among them', () => {
    for (const m of ['sch_netem', '8021q']) assert.ok(fs.existsSync(`/sys/module/${m}`), `${m} is not loaded`);
  });

  it('runs an nsh lab that pings, and takes netem, a VLAN and a VLAN-filtering bridge', () => {
    const r = nsh(['--name', 'smoke', '-e', 'ns a b; veth a.v0 <-> b.v0 10.0.0.1/24; in a ping -c 1 10.0.0.2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1 packets transmitted, 1 received, 0% packet loss/m);

    ip('-n', 'a', 'link', 'add', 'link', 'v0', 'name', 'v0.10', 'type', 'vlan', 'id', '10');
    const vlan = ipJson<{ linkinfo: { info_kind: string; info_data: { id: number } } }[]>('-n', 'a', '-d', 'link', 'show', 'v0.10');
    assert.deepEqual([vlan[0]?.linkinfo.info_kind, vlan[0]?.linkinfo.info_data.id], ['vlan', 10]);

    ip('-n', 'b', 'link', 'add', 'br0', 'type', 'bridge', 'vlan_filtering', '1');
    const br = ipJson<{ linkinfo: { info_data: { vlan_filtering: number } } }[]>('-n', 'b', '-d', 'link', 'show', 'br0');
    assert.equal(br[0]?.linkinfo.info_data.vlan_filtering, 1);

    ip('netns', 'exec', 'a', 'tc', 'qdisc', 'add', 'dev', 'v0', 'root', 'netem', 'delay', '50ms');
    const qdisc = ip('netns', 'exec', 'a', 'tc', 'qdisc', 'show', 'dev', 'v0');
    assert.match(qdisc, /^qdisc netem \S+ root .*delay 50ms/m);

    assert.equal(nsh(['down', 'smoke']).code, 0);
    assertClean();
  });
});
