/**
 * Labs across machines on three machines that are sandboxes of this one, each with its own sshd
 * (test/helpers/machines.ts), run by nsh in a fourth sandbox, the coordinator. One set of
 * machines serves every test; each test leaves nothing on any of them.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeKernel } from '../backend-linux/kernel-sandbox.js';
import { OTHER_PORT, startCluster, unavailable, type Cluster, type Ran } from '../helpers/machines.js';

const why = unavailable();

/** Nothing of nsh's on any machine, nor in the coordinator. */
function assertClean(c: Cluster): void {
  for (const m of c.machines) {
    assert.deepEqual(m.box.netns(), [], `namespaces left on ${m.name}`);
    assert.deepEqual(m.box.hostLinks(), [], `links left in ${m.name}'s root namespace`);
    assert.deepEqual(m.box.journals(), [], `journals left on ${m.name}`);
  }
  assert.deepEqual(c.coordinator.netns(), [], 'namespaces left in the coordinator');
  assert.deepEqual(c.coordinator.hostLinks(), [], 'links left in the coordinator');
  assert.deepEqual(c.coordinator.journals(), [], 'journals left in the coordinator');
}

function ok(r: Ran, what: string): void {
  assert.equal(r.code, 0, `${what}: exit ${r.code} ${r.signal ?? ''}\n${r.stdout}\n${r.stderr}`);
}

/** A link's details as ip -d -j gives them, inside namespace `ns` of a machine's box. */
function linkInfo(c: Cluster, machine: number, ns: string, ifname: string): { mtu: number; kind?: string; data?: Record<string, unknown>; addrs: string[] } {
  const box = c.machines[machine - 1]!.box;
  const [l] = JSON.parse(box.must(`ip -n ${ns} -d -j addr show dev ${ifname}`)) as {
    mtu: number;
    linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> };
    addr_info: { local: string; prefixlen: number; scope: string }[];
  }[];
  return {
    mtu: l!.mtu,
    ...(l!.linkinfo?.info_kind ? { kind: l!.linkinfo.info_kind } : {}),
    ...(l!.linkinfo?.info_data ? { data: l!.linkinfo.info_data } : {}),
    addrs: l!.addr_info.filter(a => a.scope !== 'link').map(a => `${a.local}/${a.prefixlen}`),
  };
}

/** The pid (here) of the program that nsenter runs (the nsh of a cluster.nshStart()): nsenter's child. */
function nshPid(nsenterPid: number): number | undefined {
  try {
    const kids = fs.readFileSync(`/proc/${nsenterPid}/task/${nsenterPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return kids[0];
  } catch {
    return undefined;
  }
}

async function until(what: string, cond: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

const CHAIN = `ns h1 on m1
ns r on m2
ns h2 on m3
veth h1.eth0 <-> r.eth0 10.0.1.0/24
veth r.eth1 <-> h2.eth0 10.0.2.0/24
forward r
route h1 default via 10.0.1.2
route h2 default via 10.0.2.1
`;

describeKernel('machines: labs across three machines over OpenSSH and VXLAN', function () {
  if (why) {
    it(`is skipped: ${why}`, function () {
      this.skip();
    });
    return;
  }
  this.timeout(180_000);
  let c: Cluster;
  const script = (name: string, text: string): string => {
    const file = path.join(c.dir, name);
    fs.writeFileSync(file, `${c.declarations}\n${text}`);
    return file;
  };

  before(async () => {
    c = await startCluster(3);
  });
  after(() => c?.stop());
  afterEach(function () {
    // a failed test leaves what it made: the next one starts clean
    if (this.currentTest?.state !== 'failed') return;
    c.nsh(['down', '--all']);
  });

  it('a chain h1 (m1) — r (m2) — h2 (m3): routes, pingall, a TCP transfer through both tunnels; down leaves nothing', () => {
    const payload = Array.from({ length: 2000 }, (_, i) => `line ${i} of what crosses two tunnels`).join(' ');
    const file = script('chain.ns', `${CHAIN}in h2 nc -l 5000 &
await h2 tcp 5000
pingall
in h1 nc 10.0.2.2 5000 <<< "${payload}"
wait
show
`);
    const r = c.nsh(['--verbose', file]);
    ok(r, 'the chain');
    assert.match(r.stdout, /h1 +- +ok +ok/);
    assert.match(r.stdout, /6\/6 reachable/);
    assert.ok(r.stdout.includes(`${payload}\n`), 'what h2 received');
    assert.match(r.stdout, /^r {2}on m2$/m);
    assert.match(r.stdout, /eth1 +UP +vxlan +<-> h2\.eth0 +10\.0\.2\.1\/24/);
    // what each machine was told
    assert.match(r.stderr, /^m2> ns r$/m);
    assert.match(r.stderr, /^m1> vxlan h1\.eth0 \d+ remote 192\.0\.2\.2 port 4789 mtu 1450 10\.0\.1\.1\/24$/m);
    assert.match(r.stderr, /nsh: lab "chain" is up on m1, m2, m3/);
    // each end a VXLAN device of the same VNI, to the other machine, from its own address
    const a = linkInfo(c, 1, 'h1', 'eth0');
    const b = linkInfo(c, 2, 'r', 'eth0');
    assert.equal(a.kind, 'vxlan');
    assert.deepEqual([a.mtu, a.addrs, b.mtu, b.addrs], [1450, ['10.0.1.1/24'], 1450, ['10.0.1.2/24']]);
    assert.equal(a.data!.id, b.data!.id);
    assert.deepEqual([a.data!.remote, a.data!.local, b.data!.remote, b.data!.local], ['192.0.2.2', '192.0.2.1', '192.0.2.1', '192.0.2.2']);
    assert.deepEqual([a.data!.port, a.data!.learning], [4789, false]);
    // recorded: the machines here, each part there
    const ls = c.nsh(['ls']);
    assert.match(ls.stdout, /^chain: machine m1 \(root@192\.0\.2\.1, lab chain@m1 there\), machine m2 .*VXLAN \d+ \(h1\.eth0 <-> r\.eth0, m1–m2\)/m);
    assert.deepEqual(c.machines.map(m => m.box.journals()), [['chain@m1.journal'], ['chain@m2.journal'], ['chain@m3.journal']]);
    ok(c.nsh(['down', 'chain']), 'down');
    assertClean(c);
  });

  it('a bridge on m2 with ports to hosts on m1 and m3, and a host on the coordinator itself', () => {
    const file = script('switch.ns', `ns h1 on m1
ns s on m2
ns h3 on m3
ns h0
bridge s.br
veth h1.eth0 10.5.0.1/24 <-> s.p1
veth h3.eth0 10.5.0.3/24 <-> s.p3
veth h0.eth0 10.5.0.9/24 <-> s.p0 mtu 1400
attach s.p1 s.p3 s.p0 -> s.br
up s.br
pingall
`);
    const r = c.nsh(['--rm', file]);
    ok(r, 'the switch');
    assert.match(r.stdout, /6\/6 reachable/);
    assertClean(c);
  });

  it('a lab of 60 namespaces and 40 links across machines', () => {
    const lines: string[] = [];
    for (let i = 1; i <= 20; i++) lines.push(`ns a${i} on m1`, `ns b${i} on m2`, `ns c${i} on m3`);
    for (let i = 1; i <= 20; i++) {
      lines.push(`veth a${i}.e0 <-> b${i}.e0 10.${i}.1.0/30`, `veth b${i}.e1 <-> c${i}.e0 10.${i}.2.0/30`);
    }
    lines.push('in a1 ping 10.1.1.2 -c 1', 'in c20 ping 10.20.2.1 -c 1', 'in b7 ping 10.7.2.2 -c 1');
    const r = c.nsh([script('big.ns', `${lines.join('\n')}\n`)]);
    ok(r, 'the big lab');
    assert.deepEqual(c.machines.map(m => m.box.netns().length), [20, 20, 20]);
    const vnis = new Set<unknown>();
    for (let i = 1; i <= 20; i++) {
      const [x, y] = [linkInfo(c, 1, `a${i}`, 'e0'), linkInfo(c, 2, `b${i}`, 'e0')];
      assert.equal(x.data!.id, y.data!.id);
      vnis.add(x.data!.id);
      vnis.add(linkInfo(c, 3, `c${i}`, 'e0').data!.id);
    }
    assert.equal(vnis.size, 40, 'a VNI of its own for each link');
    ok(c.nsh(['down', 'big']), 'down');
    assertClean(c);
  });

  it('vxlan: a tunnel end written out, one on each machine; a capture and $! on another machine; ssh on another port', () => {
    const file = path.join(c.dir, 'vx.ns');
    fs.writeFileSync(
      file,
      `machine m1 ssh root@192.0.2.1 port ${OTHER_PORT}
machine m2 ssh root@192.0.2.2
ns a on m1
ns b on m2
vxlan a.vx0 7007 remote 192.0.2.2 10.7.0.1/24
vxlan b.vx0 7007 remote 192.0.2.1 local 192.0.2.2 mtu 1400 10.7.0.2/24
capture b.vx0 for 2s &
in a ping 10.7.0.2 -c 1
wait %1
in b sleep 30 &
in b cat <<< "pid $!"
in b kill -TERM $!
`,
    );
    const r = c.nsh(['--rm', file]);
    ok(r, 'the vxlan lab');
    assert.match(r.stdout, /IP 10\.7\.0\.1 > 10\.7\.0\.2: ICMP echo request/);
    assert.match(r.stdout, /IP 10\.7\.0\.2 > 10\.7\.0\.1: ICMP echo reply/);
    // $! of a job on m2 is its pid there, in a word of a program on m2
    const job = /^\[2\] (\d+)$/m.exec(r.stdout);
    assert.ok(job, r.stdout);
    assert.match(r.stdout, new RegExp(`^pid ${job[1]}$`, 'm'));
    // what a part says on standard error comes back with its machine's name
    assert.match(r.stderr, /^m2: \d+ packets captured$/m);
    assertClean(c);
  });

  it('a UDP port the kernel refuses (in use on the machine): one sentence at the statement, every machine rolled back', async () => {
    const m1 = c.machines[0]!;
    const [file, ...args] = m1.box.enter([process.execPath, '-e', "require('dgram').createSocket('udp4').bind(4790)"]);
    const holder = spawn(file!, args, { stdio: 'ignore' });
    try {
      await until('port 4790 is taken on m1', () => /:4790\b/.test(m1.box.sh('ss -uanH').stdout));
      const r = c.nsh([script('port.ns', 'ns a on m1\nns b on m2\nvxlan a.vx0 7009 remote 192.0.2.2 port 4790 10.7.0.1/24\nvxlan b.vx0 7009 remote 192.0.2.1 port 4790 10.7.0.2/24\n')]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /port\.ns:6:1: error: m1: UDP port 4790 is in use on this machine, so the tunnel a\.vx0 cannot open it\n/);
      assert.match(r.stderr, /removed what this run made on every machine/);
    } finally {
      // nsenter and the node it forked
      const inner = nshPid(holder.pid!);
      if (inner) process.kill(inner, 'SIGKILL');
      holder.kill('SIGKILL');
    }
    assertClean(c);
  });

  it('a statement that fails on one machine removes what the run made on every machine', () => {
    const file = script('fails.ns', `${CHAIN}in r false\n`);
    const r = c.nsh([file]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /fails\.ns:12:1: error: m2: false exited with status 1/);
    assert.match(r.stderr, /removed what this run made on every machine \(local, m1, m2, m3\)/);
    assertClean(c);
  });

  it('--explain prints one script per machine which, run by bash on each, build the same lab', () => {
    const file = script('explained.ns', `${CHAIN}ns h0\nveth h0.eth0 <-> r.eth2 10.0.3.0/24\nroute h0 default via 10.0.3.2\n`);
    const ex = c.nsh(['--explain', file]);
    ok(ex, 'explain');
    const parts = new Map(ex.stdout.split(/^# ---- (\S+) ----\n/m).slice(1).reduce<[string, string][]>((acc, x, i, all) => (i % 2 === 0 ? [...acc, [x, all[i + 1]!]] : acc), []));
    assert.deepEqual([...parts.keys()], ['local', 'm1', 'm2', 'm3']);
    // (not what differs by chance: link indexes, the MAC-derived link-local addresses)
    const state = () =>
      [c.coordinator, ...c.machines.map(m => m.box)].map(b =>
        b.netns().map(ns => `${ns}: ${b.must(`ip -n ${ns} -br addr | sort`)}${b.must(`ip -n ${ns} route`)}`.replace(/@if\d+ +/g, ' ').replace(/ fe80::\S+/g, '')),
      );
    // built by bash
    for (const [m, text] of parts) {
      const box = m === 'local' ? c.coordinator : c.machines.find(x => x.name === m)!.box;
      const r = box.sh('bash -s', { input: text });
      assert.equal(r.status, 0, `${m}: ${r.stderr}`);
    }
    const byBash = state();
    assert.equal(c.machines[0]!.box.sh('ip netns exec h1 ping -c 1 -W 2 10.0.3.1').status, 0, 'h1 reaches h0 through the bash-built lab');
    for (const b of [c.coordinator, ...c.machines.map(m => m.box)]) for (const ns of b.netns()) b.must(`ip netns del ${ns}`);
    assertClean(c);
    // built by nsh
    ok(c.nsh([file]), 'nsh');
    assert.deepEqual(state(), byBash);
    ok(c.nsh(['down', 'explained']), 'down');
    assertClean(c);
  });

  it('SIGKILL of the coordinator mid-deploy, then nsh down: nothing left on any machine', async () => {
    const lines: string[] = [];
    for (let i = 1; i <= 6; i++) lines.push(`ns a${i} on m1`, `ns b${i} on m2`, `ns c${i} on m3`, `veth a${i}.e0 <-> b${i}.e0`, `veth b${i}.e1 <-> c${i}.e0`);
    const file = script('killed.ns', `${lines.join('\n')}\nin a1 true\nsleep 60\nns late on m3\n`);
    const { child, result } = c.nshStart([file]);
    await until('every machine holds its part', () => c.machines.every(m => m.box.netns().length === 6));
    const pid = nshPid(child.pid!);
    assert.ok(pid, 'the coordinator nsh');
    process.kill(pid, 'SIGKILL');
    await result;
    assert.ok(c.machines.every(m => m.box.netns().length > 0), 'the parts are still there');
    const down = c.nsh(['down', 'killed']);
    ok(down, 'down after SIGKILL');
    assertClean(c);
  });

  it('an nsh of another version, or none: a sentence that names the machine and both versions', () => {
    const m3 = c.machines[2]!;
    const file = script('versions.ns', 'ns a on m1\nns c on m3\n');
    try {
      m3.setNsh('#!/bin/sh\necho \'nsh-serve {"protocol":1,"nsh":"0.0.1","token":"\\u001ex"}\'\ncat > /dev/null\n');
      let r = c.nsh([file]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /versions\.ns:3:1: error: machine m3 has nsh 0\.0\.1; this is nsh \S+\n/);
      assert.match(r.stderr, /hint: install the same version of nsh on every machine/);
      m3.setNsh(null);
      r = c.nsh([file]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /versions\.ns:3:1: error: machine m3 has no nsh on its PATH/);
    } finally {
      m3.setNsh();
    }
    assertClean(c);
  });

  for (const [signal, status] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${signal} of the coordinator mid-run: every machine is rolled back, nothing is left (exit ${status})`, async () => {
      const file = script(`${signal}.ns`, `${CHAIN}in h1 true\nsleep 60\n`);
      const { child, result } = c.nshStart([file]);
      await until('every machine holds its part', () => c.machines.every(m => m.box.netns().length === 1));
      process.kill(nshPid(child.pid!)!, signal);
      const r = await result;
      assert.equal(r.code, status, r.stderr);
      assert.match(r.stderr, /nsh: interrupted/);
      assertClean(c);
    });
  }

  it('ssh refusing the login: one sentence with ssh\'s words at the machine statement, nothing left', () => {
    const file = path.join(c.dir, 'refused.ns');
    fs.writeFileSync(file, `${c.declarations.replace('root@192.0.2.3', 'nobody-here@192.0.2.3')}\n${CHAIN}`);
    const r = c.nsh([file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /refused\.ns:3:1: error: machine m3 \(nobody-here@192\.0\.2\.3\) cannot be reached: .*Permission denied \(publickey\)\n {2}3 \| machine m3 ssh nobody-here@192\.0\.2\.3\n/);
    assert.match(r.stderr, /hint: nsh uses your ssh configuration and keys, without a password \(BatchMode\)/);
    assertClean(c);
  });

  it('a machine that cannot be reached: the run fails at its machine statement, the others keep nothing', async () => {
    const m3 = c.machines[2]!;
    m3.stopSshd();
    try {
      const r = c.nsh([script('unreachable.ns', CHAIN)]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /unreachable\.ns:3:1: error: machine m3 \(root@192\.0\.2\.3\) cannot be reached: ssh: connect to host 192\.0\.2\.3 port 22: Connection refused\n {2}3 \| machine m3 ssh root@192\.0\.2\.3\n/);
      assertClean(c);
    } finally {
      await m3.startSshd();
    }
  });

  it('a machine lost mid-run: the others are rolled back, it stays recorded, and a later down finishes the job', async () => {
    const m3 = c.machines[2]!;
    const file = script('lost.ns', 'ns a on m1\nns c on m3\nveth a.v0 <-> c.v0 10.9.0.0/30\nsleep 3\nin c true\n');
    const { result } = c.nshStart([file]);
    await until('m3 holds its part', () => m3.box.netns().length === 1);
    m3.stopSshd();
    const r = await result;
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /m3/);
    assert.deepEqual(c.machines[0]!.box.netns(), [], 'm1 was rolled back');
    assert.deepEqual(m3.box.netns(), ['c'], 'm3 keeps its part');
    assert.match(c.nsh(['ls']).stdout, /^lost: machine m3 /m);
    let down = c.nsh(['down', 'lost']);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /machine m3 \(root@192\.0\.2\.3\) cannot be reached: .*; its part of the lab stays recorded/);
    await m3.startSshd();
    down = c.nsh(['down', 'lost']);
    ok(down, 'down once m3 is back');
    assertClean(c);
  });
});
