/**
 * nat and publish on the kernel (in the sandbox), driven through the Linux backend with the
 * journal around it, as a lab runs them. The sandbox's own namespace stands for the host; an
 * "outside" namespace behind it stands for the internet (172.16.9.0/24, fd09::/64); the lab is
 * namespace `la` (10.0.0.0/24, fd00::/64) joined to the host by a veth.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import type { Op } from '../../src/backend/ops.js';
import { ExplainBackend } from '../../src/backend/explain/explain.js';
import { LinuxBackend } from '../../src/backend/linux/linux-backend.js';
import { deleteNamedNetns } from '../../src/backend/linux/netns.js';
import { OpError } from '../../src/backend/backend.js';
import type { LabObject } from '../../src/core/lab.js';
import { Journal } from '../../src/runtime/journal.js';
import { JournaledBackend } from '../../src/runtime/journaled.js';
import { describeKernel, ip } from './kernel-sandbox.js';
import { Capture } from '../helpers/capture.js';
import { echoFrom as connect, echoServer as server } from '../helpers/tcp-echo.js';

const TABLE = 'nsh_t';
const OUT = 'nat-out';
const LAB = 'la';

type Unspanned = Op extends infer T ? (T extends Op ? Omit<T, 'span'> : never) : never;

const nft = (...args: string[]): string => execFileSync('nft', args, { encoding: 'utf8' });
const sysctl = (key: string): string => fs.readFileSync(`/proc/sys/${key.replace(/\./g, '/')}`, 'utf8').trim();

describeKernel('linux/nat: nat and publish through nftables (kernel)', () => {
  const dir = '/run/nsh-nat-test';
  let linux: LinuxBackend;
  let journal: Journal;
  let backend: JournaledBackend;
  let ruleset: string;
  const servers: ChildProcess[] = [];
  const apply = (op: Unspanned): Promise<unknown> => backend.apply(op as Op);

  before(async () => {
    linux = new LinuxBackend({ stdout: new Capture(), stderr: new Capture(), inheritStdin: false, color: false });
    journal = Journal.open('t', dir);
    backend = new JournaledBackend(linux, journal);
    // the outside, behind the host
    ip('netns', 'add', OUT);
    ip('link', 'add', 'ext', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', OUT);
    ip('addr', 'add', '172.16.9.1/24', 'dev', 'ext');
    ip('addr', 'add', 'fd09::1/64', 'dev', 'ext', 'nodad');
    ip('-n', OUT, 'addr', 'add', '172.16.9.2/24', 'dev', 'eth0');
    ip('-n', OUT, 'addr', 'add', 'fd09::2/64', 'dev', 'eth0', 'nodad');
    for (const [ns, dev] of [['host', 'ext'], [OUT, 'eth0'], [OUT, 'lo'], ['host', 'lo']] as const) {
      ip(...(ns === 'host' ? [] : ['-n', ns]), 'link', 'set', dev, 'up');
    }
    // tables of someone else's, which nsh must leave as they are
    nft('add table inet mine');
    nft('add chain inet mine forw { type filter hook forward priority 0; policy accept; }');
    nft('add rule inet mine forw ip saddr 192.0.2.1 drop');
    nft('add table ip mine4');
    nft('add chain ip mine4 post { type nat hook postrouting priority 50; policy accept; }');
    ruleset = nft('-j', 'list', 'ruleset');
    // the lab
    await apply({ kind: 'ns-add', name: LAB });
    await apply({
      kind: 'veth', left: { ns: LAB, ifname: 'v0' }, right: { ns: 'host', ifname: 'lv0' },
      leftAddrs: [{ family: 4, address: '10.0.0.2', prefix: 24 }, { family: 6, address: 'fd00::2', prefix: 64 }],
      rightAddrs: [{ family: 4, address: '10.0.0.1', prefix: 24 }, { family: 6, address: 'fd00::1', prefix: 64 }],
    });
    await apply({ kind: 'link-state', eps: [{ ns: LAB, ifname: 'lo' }], up: true });
    await apply({ kind: 'route', ns: LAB, del: false, dest: 'default', family: 4, via: '10.0.0.1' });
    await apply({ kind: 'route', ns: LAB, del: false, dest: 'default', family: 6, via: 'fd00::1' });
    servers.push(await server(OUT, 80), await server(LAB, 80));
  });

  after(() => {
    for (const s of servers) s.kill();
    linux.close();
    journal.close();
    for (const n of [LAB, OUT]) {
      try {
        deleteNamedNetns(n);
      } catch {
        // gone with the teardown
      }
    }
    ip('link', 'set', 'lo', 'down');
    for (const t of ['inet mine', 'ip mine4']) nft(`delete table ${t}`);
  });

  it('nat host: the lab reaches the outside, which sees the host\'s address (IPv4 and IPv6)', async () => {
    assert.equal(sysctl('net.ipv4.ip_forward'), '0');
    const r = await apply({ kind: 'nat', ns: 'host', table: TABLE, lan: ['lv0'] });
    assert.deepEqual(r, { replaced: [{ key: 'net.ipv4.ip_forward', value: '0' }, { key: 'net.ipv6.conf.all.forwarding', value: '0' }] });
    assert.equal(connect(LAB, '172.16.9.2', 80), '172.16.9.1');
    assert.equal(connect(LAB, 'fd09::2', 80), 'fd09::1');
    // the host's own connections keep their source
    assert.equal(connect('host', '172.16.9.2', 80), '172.16.9.1');
  });

  it('the journal holds the table and the forwarding to put back; nat in a lab namespace records nothing', async () => {
    await apply({ kind: 'nat', ns: LAB, table: TABLE, lan: 'all' });
    const held = journal.objects().filter(o => o.kind === 'nft' || o.kind === 'sysctl');
    const host = { kind: 'name', name: 'host' } as const;
    assert.deepEqual(held, [
      { kind: 'nft', at: host, table: TABLE },
      { kind: 'sysctl', at: host, key: 'net.ipv4.ip_forward', value: '0' },
      { kind: 'sysctl', at: host, key: 'net.ipv6.conf.all.forwarding', value: '0' },
    ]);
    assert.match(execFileSync('ip', ['netns', 'exec', LAB, 'nft', 'list', 'set', 'inet', TABLE, 'lan'], { encoding: 'utf8' }), /elements = \{ "v0" \}/);
  });

  it('nat again renews the set and the rule, and records nothing twice', async () => {
    const before = journal.objects().length;
    await apply({ kind: 'nat', ns: 'host', table: TABLE, lan: ['lv0'] });
    assert.equal(journal.objects().length, before);
    const rules = JSON.parse(nft('-j', 'list', 'chain', 'inet', TABLE, 'postrouting')) as { nftables: { rule?: unknown }[] };
    assert.equal(rules.nftables.filter(i => i.rule).length, 1);
  });

  it('a link the lab makes later in the host joins the set', async () => {
    await apply({ kind: 'ns-add', name: 'lb' });
    await apply({ kind: 'veth', left: { ns: 'lb', ifname: 'v0' }, right: { ns: 'host', ifname: 'lv1' }, leftAddrs: [], rightAddrs: [] });
    const set = JSON.parse(nft('-j', 'list', 'set', 'inet', TABLE, 'lan')) as { nftables: { set?: { elem?: string[] } }[] };
    assert.deepEqual(set.nftables.find(i => i.set)?.set?.elem, ['lv0', 'lv1']);
    await apply({ kind: 'ns-del', name: 'lb' });
  });

  it('publish host tcp 8080 -> 10.0.0.2:80: from the outside and from the host itself', async () => {
    await apply({ kind: 'publish', ns: 'host', table: TABLE, proto: 'tcp', port: 8080, to: { address: '10.0.0.2', family: 4, port: 80 } });
    assert.equal(connect(OUT, '172.16.9.1', 8080), '172.16.9.2', 'the server sees the client');
    assert.equal(connect('host', '172.16.9.1', 8080), '172.16.9.1');
    assert.equal(connect('host', '10.0.0.1', 8080), '10.0.0.1');
    await apply({ kind: 'publish', ns: 'host', table: TABLE, proto: 'tcp', port: 8081, to: { address: 'fd00::2', family: 6, port: 80 } });
    assert.equal(connect(OUT, 'fd09::1', 8081), 'fd09::2');
  });

  it('a port published twice is refused with a sentence', async () => {
    await assert.rejects(
      apply({ kind: 'publish', ns: 'host', table: TABLE, proto: 'tcp', port: 8080, to: { address: '10.0.0.3', family: 4, port: 80 } }),
      (e: unknown) => e instanceof OpError && e.message === 'tcp port 8080 is already published in namespace "host"',
    );
  });

  it('the snapshot tells NAT and the published ports', async () => {
    linux.forLab('t');
    const snap = await linux.snapshot([LAB]);
    const host = snap.namespaces.find(n => n.name === 'host')!;
    assert.equal(host.nat, true);
    assert.deepEqual(host.published, [
      { proto: 'tcp', port: 8080, to: '10.0.0.2', toPort: 80 },
      { proto: 'tcp', port: 8081, to: 'fd00::2', toPort: 80 },
    ]);
    assert.equal(snap.namespaces.find(n => n.name === LAB)!.nat, true);
  });

  it('--explain prints the same rules: run by nft in a namespace of its own, they list as the backend\'s', async () => {
    const ops: Op[] = [
      { kind: 'nat', span: undefined!, ns: 'ex', table: TABLE, lan: ['a', 'b.1'] },
      { kind: 'publish', span: undefined!, ns: 'ex', table: TABLE, proto: 'udp', port: 53, to: { address: 'fd00::2', family: 6, port: 5353 } },
      { kind: 'publish', span: undefined!, ns: 'ex', table: TABLE, proto: 'tcp', port: 8080, to: { address: '10.0.0.2', family: 4, port: 80 } },
    ];
    const text: string[] = [];
    const explain = new ExplainBackend({ write: t => text.push(t) });
    for (const op of ops) await explain.apply(op);
    ip('netns', 'add', 'ex');
    ip('netns', 'add', 'ey');
    try {
      execFileSync('bash', ['-e'], { input: text.join('\n') });
      for (const op of ops) await linux.apply({ ...op, ns: 'ey' } as Op);
      const list = (ns: string) => execFileSync('ip', ['netns', 'exec', ns, 'nft', 'list', 'ruleset'], { encoding: 'utf8' });
      assert.equal(list('ex'), list('ey'));
      assert.match(list('ex'), /dnat ip6 to \[fd00::2\]:5353/);
    } finally {
      ip('netns', 'del', 'ex');
      ip('netns', 'del', 'ey');
    }
  });

  it('teardown removes the table and puts forwarding back; the other tables are as they were', async () => {
    const objects = journal.objects();
    const report = await linux.teardown(objects);
    assert.deepEqual(report.failed, []);
    for (const o of objects) journal.forget(o);
    assert.equal(nft('-j', 'list', 'ruleset'), ruleset);
    assert.equal(sysctl('net.ipv4.ip_forward'), '0');
    assert.equal(sysctl('net.ipv6.conf.all.forwarding'), '0');
    // a table already gone is not an error
    const again = await linux.teardown(objects.filter(o => o.kind === 'nft'));
    assert.deepEqual(again, { removed: 0, gone: 1, failed: [] });
  });

  it('a sysctl recorded without its old value is left as it is', async () => {
    const o: LabObject = { kind: 'sysctl', at: { kind: 'name', name: 'host' }, key: 'net.ipv4.ip_forward' };
    assert.deepEqual(await linux.teardown([o]), { removed: 0, gone: 1, failed: [] });
  });

  it('a hostile table or link name is a value: it cannot add, change or remove another rule', async () => {
    const table = 'nsh_x"; flush ruleset; add table ip evil; "';
    await linux.apply({ kind: 'nat', span: undefined!, ns: 'host', table, lan: ['x" } ; flush', 'lv0'] });
    const listed = JSON.parse(nft('-j', 'list', 'tables')) as { nftables: { table?: { name: string } }[] };
    const names = listed.nftables.flatMap(i => (i.table ? [i.table.name] : []));
    assert.deepEqual(names.sort(), ['mine', 'mine4', table].sort(), 'the name is a table\'s name, nothing else');
    const all = JSON.parse(nft('-j', 'list', 'ruleset')) as { nftables: { set?: { table: string; elem?: string[] } }[] };
    assert.deepEqual(all.nftables.find(i => i.set?.table === table)?.set?.elem, ['lv0', 'x" } ; flush']);
    await linux.teardown([{ kind: 'nft', at: { kind: 'name', name: 'host' }, table }]);
    await linux.teardown([
      { kind: 'sysctl', at: { kind: 'name', name: 'host' }, key: 'net.ipv4.ip_forward', value: '0' },
      { kind: 'sysctl', at: { kind: 'name', name: 'host' }, key: 'net.ipv6.conf.all.forwarding', value: '0' },
    ]);
    assert.equal(nft('-j', 'list', 'ruleset'), ruleset);
  });
});
