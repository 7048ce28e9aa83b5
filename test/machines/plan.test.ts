/**
 * The split of a lab across machines: which machine is told what, in which step, and the tunnels
 * a veth across machines becomes.
 */
import * as assert from 'node:assert/strict';
import { loadInline } from '../../src/pipeline.js';
import { declaresMachines } from '../../src/machines/declares.js';
import { planProgram, type Plan, type Step } from '../../src/machines/plan.js';

const MACHINES = 'machine m1 ssh root@192.0.2.1\nmachine m2 ssh 192.0.2.2 port 2222\n';

async function plan(text: string): Promise<Plan> {
  const l = loadInline('t.ns', MACHINES + text);
  assert.deepEqual(l.diagnostics.map(d => d.message), []);
  let vni = 100;
  const r = await planProgram(l.program.statements, { env: {}, labName: 't', drawVni: () => ++vni });
  assert.equal(r.problem?.message, undefined);
  return r.plan;
}

/** A step as text: `build m1: …; m2: …`, `tunnels m1:a.v0 <-> m2:b.v0`, `run m2: …`. */
function stepText(s: Step): string {
  const clean = (t: string) => t.replace(/%\uE002(\d+)\uE003/g, '%<job $1>').replace(/\uE000job(\d+)\uE001/g, '<pid of job $1>');
  switch (s.kind) {
    case 'build':
      return `build ${[...s.parts].map(([m, ls]) => `${m}: ${ls.map(l => clean(l.text)).join('; ')}`).join(' | ')}`;
    case 'tunnels':
      return `tunnels ${s.tunnels.map(t => `${t.tunnel.vni} ${t.ends.map(e => `${e.machine}:${e.ns}.${e.ifname}`).join(' <-> ')}`).join(', ')}`;
    case 'run':
      return `run ${s.machine}: ${clean(s.line.text)}${s.line.job ? ` (job ${s.line.job})` : ''}`;
    case 'all':
      return `all ${[...s.lines].map(([m, l]) => `${m}: ${l.text}`).join(' | ')}`;
    case 'show':
    case 'pingall':
      return `${s.kind} ${s.view.namespaces.map(n => `${n.name}@${n.machine}`).join(' ')}${s.kind === 'pingall' && s.negated ? ' (negated)' : ''}`;
    case 'print':
      return `print ${s.text}`;
    case 'sleep':
      return `sleep ${s.seconds}`;
  }
}

describe('machines: the split of a lab', () => {
  it('a chain across three machines: each its namespaces, then its tunnel ends, programs in order', async () => {
    const p = await plan(`machine m3 ssh 192.0.2.3
ns h1 on m1
ns r on m2
ns h2
veth h1.eth0 <-> r.eth0 10.0.1.0/24
veth r.eth1 10.0.2.1/24 <-> h2.eth0 10.0.2.2/24 mtu 1400
forward r
route h1 default via 10.0.1.2
in h2 sleep 100 &
pingall
in h1 ping 10.0.2.2 -c 1
kill $!
echo done
show r
`);
    assert.deepEqual(p.used, ['local', 'm1', 'm2']);
    assert.deepEqual(
      p.tunnels.map(t => [t.link, t.vni, t.mtu, t.ends.map(e => `${e.machine}:${e.ns}.${e.ifname} ${e.addrs.map(a => `${a.address}/${a.prefix}`).join(' ')}`)]),
      [
        ['h1.eth0 <-> r.eth0', 101, 1450, ['m1:h1.eth0 10.0.1.1/24', 'm2:r.eth0 10.0.1.2/24']],
        ['r.eth1 <-> h2.eth0', 102, 1400, ['m2:r.eth1 10.0.2.1/24', 'local:h2.eth0 10.0.2.2/24']],
      ],
    );
    assert.deepEqual(p.steps.map(stepText), [
      'build m1: ns h1 | m2: ns r | local: ns h2',
      'tunnels 101 m1:h1.eth0 <-> m2:r.eth0, 102 m2:r.eth1 <-> local:h2.eth0',
      'build m2: forward r | m1: route h1 default via 10.0.1.2',
      'run local: in h2 sleep 100 & (job 1)',
      'pingall h1@m1 r@m2 h2@local',
      'run m1: in h1 ping 10.0.2.2 -c 1 -i 0.2 -W 1',
      'run local: kill %<job 1>',
      'print done',
      'show h1@m1 r@m2 h2@local',
    ]);
    assert.equal(p.machines.get('m2')!.port, 2222);
  });

  it('a tunnel joins the step of tunnels before it unless what was built since could change where it is made', async () => {
    const p = await plan(`ns a b on m1
ns c d on m2
veth a.v0 <-> c.v0 delay 5ms
bridge d.br
veth b.v0 <-> d.v0
ns e on m1
veth e.v0 <-> c.v1
veth a.v2 <-> b.v2
del a.v2
veth host.t0 <-> c.v2
del c.v1
veth e.v1 <-> c.v1
`);
    assert.deepEqual(p.steps.map(stepText), [
      'build m1: ns a; ns b | m2: ns c; ns d',
      'tunnels 101 m1:a.v0 <-> m2:c.v0, 102 m1:b.v0 <-> m2:d.v0',
      'build m1: shape a.v0 delay 5ms; ns e | m2: shape c.v0 delay 5ms; bridge d.br',
      'tunnels 103 m1:e.v0 <-> m2:c.v1, 104 local:host.t0 <-> m2:c.v2',
      'build m1: veth a.v2 <-> b.v2; del a.v2; del e.v0 | m2: del c.v1',
      'tunnels 105 m1:e.v1 <-> m2:c.v1',
    ]);
  });

  it('a build after a program is a build step of its own; machines that do nothing are not used', async () => {
    const p = await plan('ns a on m1\nns b on m1\nveth a.v0 <-> b.v0 10.0.0.1/30\nin a true\nup a.lo b.lo\n');
    assert.deepEqual(p.used, ['local', 'm1']);
    assert.deepEqual(p.tunnels, []);
    assert.deepEqual(p.steps.map(stepText), ['build m1: ns a; ns b; veth a.v0 10.0.0.1/30 <-> b.v0 10.0.0.2/30', 'run m1: in a true', 'build m1: up a.lo b.lo']);
  });

  it('a statement over namespaces of several machines is told to each; host@M is that machine\'s host', async () => {
    const p = await plan('ns a on m1\nns b on m2\nup a.lo b.lo host.lo host@m2.lo\nveth host@m1.v9 <-> b.v1\n');
    assert.deepEqual(p.steps.map(stepText), ['build m1: ns a; up a.lo | m2: ns b; up b.lo host.lo | local: up host.lo', 'tunnels 101 m1:host.v9 <-> m2:b.v1']);
  });

  it('deleting a tunnel end, or its namespace, deletes the end on the other machine too', async () => {
    const p = await plan('ns a on m1\nns b on m2\nns c on m2\nveth a.v0 <-> b.v0\nveth a.v1 <-> c.v1\ndel a.v0\ndel c\n');
    assert.deepEqual(p.steps.slice(1).map(stepText), ['tunnels 101 m1:a.v0 <-> m2:b.v0, 102 m1:a.v1 <-> m2:c.v1', 'build m1: del a.v0; del a.v1 | m2: del b.v0; del c']);
  });

  it('a tunnel end that moves on its machine is still the tunnel\'s end', async () => {
    const p = await plan('ns a on m1\nns b on m2\nns c on m2\nveth a.v0 <-> b.v0\nmove b.v0 -> c as w0\nshow\n');
    const show = p.steps[3]!;
    assert.equal(show.kind, 'show');
    if (show.kind === 'show') assert.deepEqual(show.view.tunnels.map(t => t.ends.map(e => `${e.ns}.${e.ifname}`)), [['a.v0', 'c.w0']]);
  });

  it('! runs the statement on its machine, as a step of its own; ! pingall is the coordinator\'s', async () => {
    const p = await plan('ns a on m1\nns b on m1\n! in a ping 10.9.9.9 -c 1\n! ns c d\n! pingall\n');
    assert.deepEqual(p.steps.map(stepText), [
      'build m1: ns a; ns b',
      'run m1: ! in a ping 10.9.9.9 -c 1 -i 0.2 -W 1',
      'run local: ! ns c d',
      'pingall a@m1 b@m1 (negated)',
    ]);
  });

  it('! of a statement across machines cannot be split', async () => {
    const l = loadInline('t.ns', `${MACHINES}ns a on m1\nns b on m2\n! up a.lo b.lo\n`);
    const r = await planProgram(l.program.statements, { env: {}, drawVni: () => 7 });
    assert.match(r.problem?.message ?? '', /"!" takes a statement that runs on one machine/);
    assert.equal(r.problem?.span?.line, 5);
  });

  it('jobs: each on its machine; wait for all of them on every machine at once; %N and $! where the job runs', async () => {
    const p = await plan('ns a on m1\nns b on m2\nin a sleep 9 &\nin b sleep 9 &\npin pid $! as bb\nkill %1\nwait\njobs\n');
    assert.deepEqual(p.steps.slice(1).map(stepText), [
      'run m1: in a sleep 9 & (job 1)',
      'run m2: in b sleep 9 & (job 2)',
      'build m2: pin pid <pid of job 2> as bb',
      'run m1: kill %<job 1>',
      'all m1: wait | m2: wait',
      'run m1: jobs',
      'run m2: jobs',
    ]);
  });

  it('tells a program that declares machines (in a loop, a def, under !) from one that does not', () => {
    const has = (t: string) => declaresMachines(loadInline('t.ns', t).program.statements);
    assert.equal(has('ns a\n'), false);
    assert.equal(has('machine m1 ssh h\n'), true);
    assert.equal(has('for i in 1..2 { machine m$i ssh h$i }\n'), true);
    assert.equal(has('def m { machine m9 ssh x }\n'), true);
  });
});
