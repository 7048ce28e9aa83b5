/**
 * macvlan on the kernel (in the sandbox), through the Linux backend with the journal around it.
 * A namespace `mlan` with a bridge stands for the physical LAN; a veth into the sandbox's own
 * namespace (the host) is the host's NIC (`nic`); a third machine `m3` sits on the LAN. Two lab
 * namespaces get macvlans of the NIC and reach the third machine and each other.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import type { Op } from '../../src/backend/ops.js';
import { OpError } from '../../src/backend/backend.js';
import { LinuxBackend } from '../../src/backend/linux/linux-backend.js';
import { deleteNamedNetns } from '../../src/backend/linux/netns.js';
import { Journal } from '../../src/runtime/journal.js';
import { JournaledBackend } from '../../src/runtime/journaled.js';
import { describeKernel, ip, ipJson } from './kernel-sandbox.js';
import { Capture } from '../helpers/capture.js';

type Unspanned = Op extends infer T ? (T extends Op ? Omit<T, 'span'> : never) : never;

const cidr = (text: string) => {
  const [address, prefix] = text.split('/');
  return { family: address!.includes(':') ? (6 as const) : (4 as const), address: address!, prefix: Number(prefix) };
};

/** Whether `ns` gets an answer from `address` (the system's ping: the oracle stays outside nsh). */
function reaches(ns: string, address: string): boolean {
  try {
    execFileSync('ip', ['netns', 'exec', ns, 'ping', '-c', '1', '-W', '2', address], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describeKernel('linux/links: macvlan (kernel)', () => {
  const dir = '/run/nsh-macvlan-test';
  let linux: LinuxBackend;
  let journal: Journal;
  let backend: JournaledBackend;
  const apply = (op: Unspanned): Promise<unknown> => backend.apply(op as Op);

  before(() => {
    linux = new LinuxBackend({ stdout: new Capture(), stderr: new Capture(), inheritStdin: false, color: false });
    journal = Journal.open('m', dir);
    backend = new JournaledBackend(linux, journal);
    // the LAN: a bridge in mlan; the host's NIC and a third machine plugged into it
    for (const n of ['mlan', 'm3']) ip('netns', 'add', n);
    ip('-n', 'mlan', 'link', 'add', 'br0', 'type', 'bridge');
    ip('link', 'add', 'nic', 'type', 'veth', 'peer', 'name', 'p0', 'netns', 'mlan');
    ip('-n', 'm3', 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'p1', 'netns', 'mlan');
    ip('-n', 'm3', 'addr', 'add', '192.168.50.3/24', 'dev', 'eth0');
    for (const p of ['p0', 'p1']) ip('-n', 'mlan', 'link', 'set', p, 'master', 'br0', 'up');
    ip('-n', 'mlan', 'link', 'set', 'br0', 'up');
    ip('-n', 'm3', 'link', 'set', 'eth0', 'up');
    ip('link', 'set', 'nic', 'up');
  });

  after(() => {
    linux.close();
    journal.close();
    for (const n of ['mlan', 'm3', 'ma', 'mb']) {
      try {
        deleteNamedNetns(n);
      } catch {
        // gone already
      }
    }
    try {
      ip('link', 'del', 'nic');
    } catch {
      // went with mlan
    }
  });

  it('two lab namespaces on the host NIC reach a third machine on the LAN, and each other', async () => {
    await apply({ kind: 'ns-add', name: 'ma' });
    await apply({ kind: 'ns-add', name: 'mb' });
    await apply({ kind: 'macvlan', parent: { ns: 'host', ifname: 'nic' }, target: { ns: 'ma', ifname: 'mv0' }, mode: 'bridge', addrs: [cidr('192.168.50.10/24')] });
    await apply({ kind: 'macvlan', parent: { ns: 'host', ifname: 'nic' }, target: { ns: 'mb', ifname: 'mv0' }, mode: 'bridge', addrs: [cidr('192.168.50.11/24'), cidr('fd50::11/64')] });
    linux.close(); // settles the links' carrier, as the end of a run does
    const [mv] = ipJson<{ ifname: string; operstate: string; linkinfo: { info_kind: string; info_data: { mode: string } } }[]>('-n', 'ma', '-d', 'link', 'show', 'mv0');
    assert.equal(mv!.linkinfo.info_kind, 'macvlan');
    assert.equal(mv!.linkinfo.info_data.mode, 'bridge');
    assert.equal(mv!.operstate, 'UP');
    assert.deepEqual(
      ipJson<{ addr_info: { local: string; scope: string }[] }[]>('-n', 'mb', 'addr', 'show', 'mv0')[0]!.addr_info.filter(a => a.scope === 'global').map(a => a.local),
      ['192.168.50.11', 'fd50::11'],
    );
    assert.ok(reaches('ma', '192.168.50.3'));
    assert.ok(reaches('mb', '192.168.50.3'));
    assert.ok(reaches('ma', '192.168.50.11'), 'bridge mode: macvlans of one parent see each other');
    assert.deepEqual(journal.objects().filter(o => o.kind === 'link'), [], 'a macvlan in a lab namespace goes with it');
  });

  it('a macvlan in the host is recorded, in the lab\'s link group, and removed at teardown', async () => {
    await apply({ kind: 'macvlan', parent: { ns: 'host', ifname: 'nic' }, target: { ns: 'host', ifname: 'mvh' }, mode: 'private', addrs: [] });
    const links = journal.objects().filter(o => o.kind === 'link');
    assert.deepEqual(links, [{ kind: 'link', at: { kind: 'name', name: 'host' }, ifname: 'mvh', group: linux.linkGroup }]);
    const [mvh] = ipJson<{ group: string; linkinfo: { info_data: { mode: string } } }[]>('-d', 'link', 'show', 'mvh');
    assert.equal(mvh!.linkinfo.info_data.mode, 'private');
    assert.equal(mvh!.group, String(linux.linkGroup));
    const report = await linux.teardown(journal.objects());
    assert.deepEqual(report.failed, []);
    for (const o of journal.objects()) journal.forget(o);
    assert.deepEqual(ipJson<{ ifname: string }[]>('link', 'show').map(l => l.ifname).sort(), ['lo', 'nic']);
  });

  it('kernel refusals are sentences about the statement\'s objects', async () => {
    await apply({ kind: 'ns-add', name: 'ma' });
    const made = { kind: 'macvlan', parent: { ns: 'host', ifname: 'nic' }, target: { ns: 'ma', ifname: 'mv0' }, mode: 'bridge', addrs: [] } as const;
    await apply(made);
    await assert.rejects(apply(made), (e: unknown) => e instanceof OpError && e.message === 'interface "mv0" already exists in namespace "ma"');
    await assert.rejects(
      apply({ ...made, parent: { ns: 'host', ifname: 'eth9' } }),
      (e: unknown) => e instanceof OpError && e.message === 'there is no interface "eth9" in namespace "host"',
    );
    await assert.rejects(
      apply({ ...made, target: { ns: 'ma', ifname: 'mv1' }, mode: 'passthru' }),
      (e: unknown) => e instanceof OpError && e.message.startsWith('host.nic cannot take this macvlan'),
    );
    await assert.rejects(
      apply({ ...made, parent: { ns: 'mlan', ifname: 'p0' }, target: { ns: 'ma', ifname: 'mv2' } }),
      (e: unknown) => e instanceof OpError && e.message === 'mlan.p0 cannot take a macvlan: it is a port of a bridge (or of another device that takes its packets)',
    );
    await apply({ kind: 'ns-del', name: 'ma' });
  });
});
