/**
 * nat, publish and macvlan without the kernel: the nftables commands as JSON and text, reading a
 * listing back, the explain backend's text, the dry run's model, and what the journal records.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OpError, type Backend } from '../src/backend/backend.js';
import { LabModel } from '../src/backend/dry-run/model.js';
import { ExplainBackend } from '../src/backend/explain/explain.js';
import { natCommands, nftDocument, nftText, publishCommands, readTable } from '../src/backend/nat-rules.js';
import { dispatch, type Handlers, type Op, type OpKind, type OpOf, type ResultOf } from '../src/backend/ops.js';
import { describeObject, type LabObject } from '../src/core/lab.js';
import { Journal, objectKey } from '../src/runtime/journal.js';
import { JournaledBackend } from '../src/runtime/journaled.js';
import { Lab } from '../src/runtime/lab.js';

type Unspanned = Op extends infer T ? (T extends Op ? Omit<T, 'span'> : never) : never;
const op = (o: Unspanned): Op => o as Op;

const nat = op({ kind: 'nat', ns: 'host', table: 'nsh_lab', lan: ['v0', 'br.1'] });
const pub4 = op({ kind: 'publish', ns: 'host', table: 'nsh_lab', proto: 'tcp', port: 8080, to: { address: '10.0.0.2', family: 4, port: 80 } });
const pub6 = op({ kind: 'publish', ns: 'r', table: 'nsh_lab', proto: 'udp', port: 53, to: { address: 'fd00::2', family: 6, port: 5353 } });
const mv = op({ kind: 'macvlan', parent: { ns: 'host', ifname: 'eth0' }, target: { ns: 'a', ifname: 'mv0' }, mode: 'bridge', addrs: [{ family: 4, address: '192.168.1.50', prefix: 24 }] });

describe('nat and publish: the nftables rules', () => {
  it('nat as nft text: the table, the set of the lab\'s links, the masquerade rule', () => {
    assert.equal(
      nftText(natCommands('nsh_lab', ['v0', 'br.1'])),
      [
        'add table inet nsh_lab',
        'add set inet nsh_lab lan { type ifname; }',
        'flush set inet nsh_lab lan',
        'add element inet nsh_lab lan { "v0", "br.1" }',
        'add chain inet nsh_lab postrouting { type nat hook postrouting priority srcnat; policy accept; }',
        'flush chain inet nsh_lab postrouting',
        'add rule inet nsh_lab postrouting oifname != @lan fib saddr type != local masquerade',
      ].join('\n'),
    );
  });

  it('publish as nft text: prerouting and output, with the nfproto match of an inet table', () => {
    assert.equal(
      nftText(publishCommands('nsh_lab', { proto: 'udp', port: 53, to: { address: 'fd00::2', family: 6, port: 5353 } })),
      [
        'add table inet nsh_lab',
        'add chain inet nsh_lab prerouting { type nat hook prerouting priority dstnat; policy accept; }',
        'add chain inet nsh_lab output { type nat hook output priority -100; policy accept; }',
        'add rule inet nsh_lab prerouting meta nfproto ipv6 fib daddr type local udp dport 53 dnat ip6 to [fd00::2]:5353',
        'add rule inet nsh_lab output meta nfproto ipv6 fib daddr type local ip6 daddr != ::1 udp dport 53 dnat ip6 to [fd00::2]:5353',
      ].join('\n'),
    );
  });

  it('names are JSON values: a hostile name stays one string (and cannot be written as text)', () => {
    const evil = 'x" } ; flush';
    const doc = nftDocument(natCommands('nsh_a; flush ruleset', [evil])) as { nftables: Record<string, Record<string, { name?: string; elem?: string[] }>>[] };
    assert.equal(doc.nftables[0]!['add']!['table']!.name, 'nsh_a; flush ruleset');
    assert.deepEqual(doc.nftables[3]!['add']!['element']!.elem, [evil]);
    assert.throws(() => natCommands('nsh_a; flush ruleset', []).map(c => c.text), /cannot be written as a table name/);
    assert.throws(() => natCommands('nsh_a', [evil]).map(c => c.text), /cannot be written as a string/);
  });

  it('a listing of the lab\'s table reads back as NAT and published ports', () => {
    const listing = {
      nftables: [
        { table: { family: 'inet', name: 'nsh_t', handle: 1 } },
        { rule: { chain: 'postrouting', expr: [{ match: { op: '!=', left: { meta: { key: 'oifname' } }, right: '@lan' } }, { masquerade: null }] } },
        {
          rule: {
            chain: 'prerouting',
            expr: [
              { match: { op: '==', left: { meta: { key: 'nfproto' } }, right: 'ipv6' } },
              { match: { op: '==', left: { payload: { protocol: 'udp', field: 'dport' } }, right: 53 } },
              { dnat: { family: 'ip6', addr: 'fd00::2', port: 5353 } },
            ],
          },
        },
        { rule: { chain: 'output', expr: [{ match: { op: '==', left: { payload: { protocol: 'udp', field: 'dport' } }, right: 53 } }, { dnat: { family: 'ip6', addr: 'fd00::2', port: 5353 } }] } },
      ],
    };
    assert.deepEqual(readTable(listing), { nat: true, published: [{ proto: 'udp', port: 53, to: 'fd00::2', toPort: 5353 }] });
    assert.deepEqual(readTable({ nftables: [{ table: { name: 'nsh_t' } }] }), { nat: false, published: [] });
  });
});

describe('nat, publish and macvlan explained', () => {
  async function explain(...ops: Op[]): Promise<string> {
    const out: string[] = [];
    const b = new ExplainBackend({ write: t => out.push(t) });
    for (const o of ops) await b.apply(o);
    return out.join('\n');
  }

  it('nat: forwarding on, then the rules through nft -f in the namespace', async () => {
    assert.equal(
      await explain(op({ kind: 'nat', ns: 'r', table: 'nsh_lab', lan: ['v0'] })),
      [
        "ip netns exec r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1",
        "ip netns exec r nft -f - <<'EOF'",
        nftText(natCommands('nsh_lab', ['v0'])),
        'EOF',
      ].join('\n'),
    );
  });

  it('publish in the host: forwarding of its family, then the rules', async () => {
    const text = await explain(pub4);
    assert.match(text, /^sysctl -qw net\.ipv4\.ip_forward=1\nnft -f - <<'EOF'\n/);
    assert.match(text, /add rule inet nsh_lab prerouting meta nfproto ipv4 fib daddr type local tcp dport 8080 dnat ip to 10\.0\.0\.2:80\n/);
  });

  it('a link made later in a namespace with NAT joins its set; one that leaves, leaves it', async () => {
    const text = await explain(
      op({ kind: 'ns-add', name: 'r' }),
      op({ kind: 'nat', ns: 'r', table: 'nsh_lab', lan: 'all' }),
      op({ kind: 'veth', left: { ns: 'r', ifname: 'v1' }, right: { ns: 'host', ifname: 'h1' }, leftAddrs: [], rightAddrs: [] }),
      op({ kind: 'link-del', ep: { ns: 'r', ifname: 'v1' } }),
    );
    assert.match(text, /flush set inet nsh_lab lan\nadd chain/, 'at nat time r holds only lo, which is not in the set');
    assert.match(text, /\nip netns exec r nft 'add element inet nsh_lab lan \{ "v1" \}'\n/);
    assert.match(text, /\nip netns exec r nft 'delete element inet nsh_lab lan \{ "v1" \}'$/);
  });

  it('under !, the rules go through printf (a here-document cannot end in &&)', async () => {
    const out: string[] = [];
    const b = new ExplainBackend({ write: t => out.push(t) });
    await b.expectFailure(async () => {
      await b.apply(pub4);
    });
    assert.match(out.join('\n'), /^if sysctl -qw net\.ipv4\.ip_forward=1 &&\n {3}printf '%s\\n' 'add table inet nsh_lab' .* \| nft -f -; then/);
  });

  it('macvlan: ip link add link PARENT name NAME netns NS type macvlan mode MODE', async () => {
    assert.equal(
      await explain(mv),
      [
        'ip link add link eth0 name mv0 netns a type macvlan mode bridge',
        'ip -n a addr add 192.168.1.50/24 dev mv0',
        'ip -n a link set dev mv0 up',
      ].join('\n'),
    );
  });
});

describe('nat, publish and macvlan in the dry run\'s model', () => {
  it('a macvlan needs its parent where the model knows the namespace, and a free name', () => {
    const m = new LabModel();
    m.apply(op({ kind: 'ns-add', name: 'a' }));
    m.apply(op({ kind: 'ns-add', name: 'p' }));
    assert.throws(() => m.apply(op({ ...mv, parent: { ns: 'p', ifname: 'eth0' } } as Unspanned)), (e: unknown) => e instanceof OpError && e.message === 'there is no interface "eth0" in namespace "p"');
    m.apply(mv); // the host may hold anything
    assert.throws(() => m.apply(mv), (e: unknown) => e instanceof OpError && e.message === 'interface "mv0" already exists in namespace "a"');
    const a = m.snapshot(['a']).namespaces.find(n => n.name === 'a')!;
    assert.deepEqual(a.links.find(l => l.name === 'mv0'), { name: 'mv0', kind: 'macvlan', up: true, addresses: ['192.168.1.50/24'], macvlan: { mode: 'bridge', parent: { ns: 'host', ifname: 'eth0' } } });
  });

  it('a macvlan goes with its parent', () => {
    const m = new LabModel();
    for (const n of ['a', 'p']) m.apply(op({ kind: 'ns-add', name: n }));
    m.apply(op({ kind: 'veth', left: { ns: 'p', ifname: 'eth0' }, right: { ns: 'host', ifname: 'x' }, leftAddrs: [], rightAddrs: [] }));
    m.apply(op({ ...mv, parent: { ns: 'p', ifname: 'eth0' } } as Unspanned));
    m.apply(op({ kind: 'link-del', ep: { ns: 'p', ifname: 'eth0' } }));
    assert.deepEqual(m.linkNames('a'), ['lo']);
  });

  it('nat and publish show in the picture with forwarding; a port published twice is an error', () => {
    const m = new LabModel();
    m.apply(nat);
    m.apply(pub4);
    assert.throws(() => m.apply(pub4), (e: unknown) => e instanceof OpError && e.message === 'tcp port 8080 is already published in namespace "host"');
    m.apply(op({ ...pub4, proto: 'udp' } as Unspanned));
    const host = m.snapshot([]).namespaces.find(n => n.name === 'host')!;
    assert.equal(host.nat, true);
    assert.deepEqual(host.forwarding, { ipv4: true, ipv6: true });
    assert.deepEqual(host.published, [
      { proto: 'tcp', port: 8080, to: '10.0.0.2', toPort: 80 },
      { proto: 'udp', port: 8080, to: '10.0.0.2', toPort: 80 },
    ]);
  });
});

describe('nat and publish in the journal', () => {
  let dir: string;
  let journal: Journal;
  /** A backend that replaces forwarding off → on once per namespace, as the kernel would. */
  class Fake implements Backend {
    readonly on = new Set<string>();
    teardown?: Backend['teardown'];
    fail = false;
    private readonly handlers = new Proxy({} as Handlers, {
      get: (_t, kind: string) => async (o: Op) => {
        if (this.fail) throw new OpError('refused');
        if (kind !== 'nat' && kind !== 'publish') return undefined;
        const keys = o.kind === 'nat' ? ['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding'] : ['net.ipv4.ip_forward'];
        const ns = (o as { ns: string }).ns;
        const replaced = keys.filter(k => !this.on.has(`${ns} ${k}`)).map(key => ({ key, value: '0' }));
        for (const k of keys) this.on.add(`${ns} ${k}`);
        return { replaced };
      },
    });
    apply<K extends OpKind>(o: OpOf<K>): Promise<ResultOf<K>> {
      return dispatch(this.handlers, o);
    }
    expectFailure = async () => true;
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-journal-'));
    journal = Journal.open('lab', dir);
  });
  afterEach(() => {
    journal.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const host = { kind: 'name', name: 'host' } as const;

  it('outside the lab\'s namespaces: the table, and each sysctl with the value it had', async () => {
    const b = new JournaledBackend(new Fake(), journal);
    await b.apply(pub4);
    await b.apply(nat);
    assert.deepEqual(journal.objects(), [
      { kind: 'nft', at: host, table: 'nsh_lab' },
      { kind: 'sysctl', at: host, key: 'net.ipv4.ip_forward', value: '0' },
      { kind: 'sysctl', at: host, key: 'net.ipv6.conf.all.forwarding', value: '0' },
    ]);
    assert.deepEqual(journal.objects().map(describeObject), [
      'nftables table inet nsh_lab in host',
      'net.ipv4.ip_forward in host (back to 0)',
      'net.ipv6.conf.all.forwarding in host (back to 0)',
    ]);
  });

  it('a sysctl that was on already is not kept; nor is anything when the op fails', async () => {
    const fake = new Fake();
    fake.on.add('host net.ipv4.ip_forward');
    const b = new JournaledBackend(fake, journal);
    await b.apply(pub4);
    assert.deepEqual(journal.objects(), [{ kind: 'nft', at: host, table: 'nsh_lab' }]);
    fake.fail = true;
    await assert.rejects(b.apply(nat));
    assert.deepEqual(journal.objects().map(objectKey), ['nft:{"kind":"name","name":"host"}:nsh_lab']);
  });

  it('a failed nat after a good one keeps the first record', async () => {
    const fake = new Fake();
    const b = new JournaledBackend(fake, journal);
    await b.apply(nat);
    const first: LabObject[] = journal.objects();
    fake.fail = true;
    await assert.rejects(b.apply(nat));
    assert.deepEqual(journal.objects(), first);
  });

  it('in a namespace the lab made, nothing is recorded (the table goes with the namespace)', async () => {
    const b = new JournaledBackend(new Fake(), journal);
    await b.apply(op({ kind: 'ns-add', name: 'r' }));
    await b.apply(op({ ...nat, ns: 'r' } as Unspanned));
    await b.apply(pub6);
    assert.deepEqual(journal.objects(), [{ kind: 'netns', name: 'r' }]);
  });

  it('a macvlan in the host is recorded as a host link', async () => {
    const b = new JournaledBackend(new Fake(), journal);
    await b.apply(op({ ...mv, target: { ns: 'host', ifname: 'mv0' } } as Unspanned));
    assert.deepEqual(journal.objects(), [{ kind: 'link', at: host, ifname: 'mv0' }]);
  });

  it('two labs with NAT in the host: the first taken down hands its forwarding record to the other', async () => {
    const fake = new Fake();
    const got: LabObject[][] = [];
    fake.teardown = async (objects: readonly LabObject[]) => {
      got.push([...objects]);
      return { removed: objects.length, gone: 0, failed: [] };
    };
    const open = (name: string) => Lab.open({ name, backend: fake, journal: dir, env: {} });
    const a = await open('a');
    const b = await open('b');
    for (const name of ['a', 'b']) {
      const j = Journal.open(name, dir);
      await new JournaledBackend(fake, j).apply(op({ ...nat, table: `nsh_${name}` } as Unspanned));
      j.close();
    }
    assert.deepEqual(b.objects().map(o => o.kind), ['nft'], 'b found forwarding on');
    await a.teardown('all');
    assert.deepEqual(got[0], [{ kind: 'nft', at: host, table: 'nsh_a' }], 'a deletes its table, and leaves forwarding on');
    assert.deepEqual(b.objects(), [
      { kind: 'nft', at: host, table: 'nsh_b' },
      { kind: 'sysctl', at: host, key: 'net.ipv4.ip_forward', value: '0' },
      { kind: 'sysctl', at: host, key: 'net.ipv6.conf.all.forwarding', value: '0' },
    ]);
    assert.deepEqual(a.objects(), []);
    a.close();
    b.close();
  });
});
