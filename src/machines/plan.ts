/**
 * The split of a lab across machines. The interpreter runs the checked script over a backend
 * that carries nothing out (PlanBackend): each operation goes to the machine of what it names,
 * as a statement of nsh text (text.ts). Statements that build (namespaces, links, addresses,
 * routes …) gather into build steps, which every machine runs in parallel; statements that run
 * programs or check (in, await, capture, pingall, show, sleep, jobs …) are steps of their own, in
 * script order, after every build step before them. A veth whose ends are on two machines becomes a
 * tunnel: a VXLAN device made on each machine in its namespace under the name written, in a step of
 * tunnels (made again under another VNI if a machine refuses the one drawn). Consecutive tunnels
 * share one such step, placed where its first one was written: a tunnel joins it when nothing
 * built since could change what it is made in (its namespace made, deleted or set, a link of it
 * deleted or moved); otherwise the tunnel starts a step of its own.
 */
import { LOCAL, TUNNEL_MTU, endpointMachine } from '../core/machines.js';
import type { Endpoint, Job, JobTarget, NsRef } from '../core/lab.js';
import type { Span } from '../core/span.js';
import { OpError, failsWithOpError, type Backend, type Op, type OpKind, type OpOf, type ResultOf } from '../backend/backend.js';
import type { Statement } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { Interpreter } from '../runtime/interpreter.js';
import { fail } from '../runtime/roles.js';
import { endpoint, opText, tunnelEndText } from './text.js';

export type { LabView, MachineDecl, Plan, PlanLine, PlanOptions, Step, Tunnel, TunnelAt, TunnelEnd } from './plan-types.js';
import type { LabView, MachineDecl, Plan, PlanLine, PlanOptions, Step, Tunnel, TunnelAt, TunnelEnd } from './plan-types.js';

/**
 * The plan of a checked program, and the problem of the first statement that cannot be split
 * (the plan then holds what comes before it).
 */
export async function planProgram(statements: readonly Statement[], opts: PlanOptions): Promise<{ plan: Plan; problem?: Diagnostic }> {
  const backend = new PlanBackend(opts);
  const interp = new Interpreter({ backend, mode: 'run', env: opts.env, ...(opts.labName === undefined ? {} : { labName: opts.labName }) });
  const outcome = await interp.run(statements);
  return { plan: backend.plan(), ...(outcome.ok ? {} : { problem: outcome.diagnostic }) };
}

/** Operations that are steps of the coordinator's own, not statements of a machine. */
const STEPS: ReadonlySet<OpKind> = new Set(['print', 'sleep', 'show', 'pingall']);

/** What a statement under `!` asked for: its operations, each with its machine. */
type Captured = { readonly machine: string; readonly op: Op } | { readonly step: Step };

export class PlanBackend implements Backend {
  private readonly machines = new Map<string, MachineDecl>();
  private readonly nsMachine = new Map<string, string>();
  private readonly used = new Set<string>([LOCAL]);
  private readonly tunnels: Tunnel[] = [];
  /** The tunnels whose both ends exist, by `machine|ns|if` of each end. */
  private readonly live = new Map<string, Tunnel>();
  private readonly steps: Step[] = [];
  private build: Map<string, PlanLine[]> | undefined;
  /** The step of tunnels a tunnel may still join, and what was built since that could change where they are made (`machine|ns`). */
  private claims: TunnelAt[] | undefined;
  private readonly touched = new Set<string>();
  /** The machine of each of the coordinator's jobs. */
  private readonly jobs = new Map<number, string>();
  private nextJob = 0;
  private readonly vnis = new Set<number>();
  /** While a statement under `!` is planned: what it asks for. */
  private captured: Captured[] | undefined;

  constructor(private readonly opts: PlanOptions) {}

  plan(): Plan {
    const used = [...this.used];
    return { machines: this.machines, used, tunnels: this.tunnels, steps: this.steps };
  }

  // ---- where things are -------------------------------------------------------------------------

  private machineOfNs(ns: string): string {
    return this.nsMachine.get(ns) ?? LOCAL;
  }

  private machineOfEp(ep: Endpoint): string {
    return endpointMachine(ep) ?? (ep.ns === 'host' ? LOCAL : this.machineOfNs(ep.ns));
  }

  /** A namespace reference: a name on its machine; `pid $!` where its job runs; any other pid or path here. */
  private machineOfRef(ref: NsRef): string {
    if (ref.kind === 'name') return ref.name === 'host' ? LOCAL : this.machineOfNs(ref.name);
    if (ref.kind === 'pid' && typeof ref.pid !== 'number') return this.jobMachine(ref.pid.name) ?? LOCAL;
    return LOCAL;
  }

  private jobMachine(shell: string): string | undefined {
    const m = /^job(\d+)$/.exec(shell);
    return m ? this.jobs.get(Number(m[1])) : undefined;
  }

  private targetMachine(t: JobTarget): string {
    if (t.kind === 'job') {
      const m = this.jobs.get(t.id);
      if (m === undefined) throw new OpError(`there is no job %${t.id}`);
      return m;
    }
    return typeof t.pid === 'number' ? LOCAL : this.jobMachine(t.pid.name) ?? LOCAL;
  }

  private view(lab: readonly string[]): LabView {
    const tunnels = [...new Set(this.live.values())].map(tunnel => ({ tunnel, ends: tunnel.ends }));
    // (a namespace that a statement expected to fail would have made is not the lab's)
    const namespaces = lab.filter(name => this.nsMachine.has(name)).map(name => ({ name, machine: this.machineOfNs(name) }));
    return { namespaces, tunnels };
  }

  // ---- steps --------------------------------------------------------------------------------------

  private use(machine: string): void {
    this.used.add(machine);
  }

  /** A statement that builds: into the build step under way. */
  private toBuild(machine: string, text: string, span: Span): void {
    this.use(machine);
    this.build ??= new Map();
    if (this.build.size === 0) this.steps.push({ kind: 'build', parts: this.build });
    const lines = this.build.get(machine) ?? [];
    lines.push({ text, span });
    this.build.set(machine, lines);
  }

  /** A step of its own: it ends the build step under way. */
  private toStep(step: Step): void {
    if (this.captured) {
      this.captured.push({ step });
      return;
    }
    this.build = undefined;
    this.claims = undefined;
    this.steps.push(step);
  }

  /** A namespace was made, deleted or set, or a link of it deleted or moved: a tunnel end in it cannot be made earlier than written. */
  private touch(machine: string, ns: string): void {
    if (this.claims) this.touched.add(this.key(machine, ns, ''));
  }

  private run(machine: string, line: PlanLine): void {
    this.use(machine);
    this.toStep({ kind: 'run', machine, line });
  }

  // ---- operations ---------------------------------------------------------------------------------

  async apply<K extends OpKind>(given: OpOf<K>): Promise<ResultOf<K>> {
    const op = given as Op;
    if (op.kind === 'machine') {
      this.machines.set(op.name, { name: op.name, host: op.host, port: op.port, span: op.span, ...(op.user === undefined ? {} : { user: op.user }) });
      return undefined as ResultOf<K>;
    }
    const machine = this.machineOf(op);
    if (this.captured && !STEPS.has(op.kind)) {
      // under `!`: one statement on one machine, as a step of its own (expectFailure)
      const m = machine ?? this.oneMachine(op);
      if (m === undefined) fail('"!" takes a statement that runs on one machine', op.span, 'write one statement for each machine');
      if ('background' in op && op.background) fail('"!" takes a statement that runs in the foreground', op.span);
      // (it is expected to fail: what it would make is not followed)
      this.captured.push({ machine: m, op });
      return undefined as ResultOf<K>;
    }
    this.place(op, machine);
    this.follow(op);
    return this.result(op, machine) as ResultOf<K>;
  }

  /** The one machine of a statement that may span machines, when it does not. */
  private oneMachine(op: Op): string | undefined {
    const machines =
      op.kind === 'veth' ? [this.machineOfEp(op.left), this.machineOfEp(op.right)]
      : op.kind === 'link-state' || op.kind === 'shape' ? op.eps.map(ep => this.machineOfEp(ep))
      : op.kind === 'wait' || op.kind === 'kill' ? op.targets.map(t => this.targetMachine(t))
      : [];
    const set = new Set(machines);
    return set.size === 1 ? [...set][0] : undefined;
  }

  /** The machine an operation runs on; undefined for what the coordinator does itself or spreads. */
  private machineOf(op: Op): string | undefined {
    switch (op.kind) {
      case 'ns-add':
        return op.machine ?? LOCAL;
      case 'ns-del':
      case 'route':
      case 'sysctl':
      case 'nat':
      case 'publish':
        return this.machineOfNs('name' in op ? op.name : op.ns);
      case 'link-del':
      case 'addr':
      case 'move':
      case 'capture':
      case 'vxlan':
        return this.machineOfEp(op.ep);
      case 'vlan':
        return this.machineOfEp(op.parent);
      case 'bridge':
        return this.machineOfEp(op.br);
      case 'attach':
        return this.machineOfEp(op.br);
      case 'macvlan':
        return this.machineOfEp(op.target);
      case 'exec':
      case 'ping':
      case 'nc':
      case 'await':
      case 'info':
      case 'pin':
        return this.machineOfRef(op.ref);
      case 'same':
        return this.machineOfRef(op.a);
      case 'spawn':
        return LOCAL;
      case 'veth':
      case 'link-state':
      case 'shape':
      case 'wait':
      case 'kill':
      case 'jobs':
      case 'print':
      case 'sleep':
      case 'show':
      case 'pingall':
      case 'machine':
        return undefined;
    }
  }

  private place(op: Op, machine: string | undefined): void {
    const text = opText(op);
    switch (op.kind) {
      case 'veth':
        return this.veth(op);
      case 'link-state':
      case 'shape': {
        const by = new Map<string, Endpoint[]>();
        for (const ep of op.eps) by.set(this.machineOfEp(ep), [...(by.get(this.machineOfEp(ep)) ?? []), ep]);
        for (const [m, eps] of by) this.toBuild(m, opText({ ...op, eps })!, op.span);
        return;
      }
      case 'link-del': {
        const t = this.live.get(this.key(machine!, op.ep.ns, op.ep.ifname));
        if (t) return this.delTunnel(t, op.span);
        this.touch(machine!, op.ep.ns);
        return this.toBuild(machine!, text!, op.span);
      }
      case 'ns-del':
        this.touch(machine!, op.name);
        this.toBuild(machine!, text!, op.span);
        // a tunnel end goes with its namespace; the end on the other machine goes too, as a veth's peer would
        for (const t of new Set(this.live.values())) {
          const here = t.ends.find(e => e.machine === machine && e.ns === op.name);
          const there = t.ends.find(e => e !== here);
          if (!here || !there) continue;
          this.unlive(t);
          if (!(there.machine === machine && there.ns === op.name)) {
            this.touch(there.machine, there.ns);
            this.toBuild(there.machine, `del ${endpoint(there)}`, op.span);
          }
        }
        return;
      case 'wait':
      case 'kill':
        return this.jobStatement(op);
      case 'jobs': {
        const machines = [...new Set(this.jobs.values())];
        for (const m of machines.length > 0 ? machines : [LOCAL]) this.run(m, { text: 'jobs', span: op.span });
        return;
      }
      case 'print':
        return this.toStep({ kind: 'print', span: op.span, text: op.text });
      case 'sleep':
        return this.toStep({ kind: 'sleep', span: op.span, seconds: op.seconds });
      case 'show':
        return this.toStep({ kind: 'show', span: op.span, query: { what: op.what, json: op.json, ...(op.ns === undefined ? {} : { ns: op.ns }) }, view: this.view(op.lab) });
      case 'pingall':
        return this.toStep({ kind: 'pingall', span: op.span, view: this.view(op.lab), negated: false });
      case 'machine':
        return;
      case 'ns-add': case 'sysctl': case 'nat':
        this.touch(machine!, 'name' in op ? op.name : op.ns);
        return this.toBuild(machine!, text!, op.span);
      case 'move':
        this.touch(machine!, op.ep.ns);
        if (op.to.kind === 'name') this.touch(machine!, op.to.name);
        return this.toBuild(machine!, text!, op.span);
      case 'pin':
        if (op.target.kind === 'name') this.touch(machine!, op.target.name);
        return this.toBuild(machine!, text!, op.span);
      case 'bridge': case 'attach': case 'addr': case 'route': case 'vlan': case 'macvlan': case 'publish': case 'vxlan':
        return this.toBuild(machine!, text!, op.span);
      case 'exec': case 'ping': case 'nc': case 'capture': case 'await': case 'info': case 'same': case 'spawn':
        return this.run(machine!, { text: text!, span: op.span, ...this.jobOf(op, machine!) });
    }
  }

  /** A background statement starts the coordinator's next job. */
  private jobOf(op: Op, machine: string): { job?: number } {
    if (!('background' in op) || !op.background) return {};
    const id = ++this.nextJob;
    this.jobs.set(id, machine);
    return { job: id };
  }

  /** A background statement's job: the number place() just gave it, and a pid its machine will tell. */
  private result(op: Op, machine: string | undefined): Job | undefined {
    if (!('background' in op) || !op.background || machine === undefined) return undefined;
    return { id: this.nextJob, pid: { kind: 'shell', name: `job${this.nextJob}` } };
  }

  /** What the lab's record of namespaces and tunnels learns from an operation. */
  private follow(op: Op): void {
    switch (op.kind) {
      case 'ns-add':
        this.nsMachine.set(op.name, op.machine ?? LOCAL);
        return;
      case 'ns-del':
        this.nsMachine.delete(op.name);
        return;
      case 'pin':
        if (op.target.kind === 'name') this.nsMachine.set(op.target.name, this.machineOfRef(op.ref));
        return;
      case 'spawn':
        if (op.as !== undefined) this.nsMachine.set(op.as, LOCAL);
        return;
      case 'move': {
        // a tunnel end that moves on its machine is still the tunnel's end
        const m = this.machineOfEp(op.ep);
        const t = this.live.get(this.key(m, op.ep.ns, op.ep.ifname));
        if (!t || op.to.kind !== 'name') return;
        const i = t.ends.findIndex(e => e.machine === m && e.ns === op.ep.ns && e.ifname === op.ep.ifname);
        const moved: TunnelEnd = { ...t.ends[i]!, ns: op.to.name, ifname: op.newName ?? op.ep.ifname };
        this.unlive(t);
        (t as { ends: readonly [TunnelEnd, TunnelEnd] }).ends = i === 0 ? [moved, t.ends[1]] : [t.ends[0], moved];
        this.enliven(t);
        return;
      }
      default:
        return;
    }
  }

  private jobStatement(op: OpOf<'wait'> | OpOf<'kill'>): void {
    if (op.targets.length === 0) {
      // wait for every job: on each machine that started one, at once
      const machines = [...new Set(this.jobs.values())];
      const lines = new Map(machines.map(m => [m, { text: 'wait', span: op.span }] as const));
      if (machines.length === 0) lines.set(LOCAL, { text: 'wait', span: op.span });
      for (const m of lines.keys()) this.use(m);
      return this.toStep({ kind: 'all', lines });
    }
    const by = new Map<string, JobTarget[]>();
    for (const t of op.targets) {
      const m = this.targetMachine(t);
      by.set(m, [...(by.get(m) ?? []), t]);
    }
    for (const [m, targets] of by) this.run(m, { text: opText({ ...op, targets })!, span: op.span });
  }

  // ---- tunnels ------------------------------------------------------------------------------------

  private key(machine: string, ns: string, ifname: string): string {
    return `${machine}|${ns}|${ifname}`;
  }

  private enliven(t: Tunnel): void {
    for (const e of t.ends) this.live.set(this.key(e.machine, e.ns, e.ifname), t);
  }

  private unlive(t: Tunnel): void {
    for (const [k, v] of this.live) if (v === t) this.live.delete(k);
  }

  private veth(op: OpOf<'veth'>): void {
    const lm = this.machineOfEp(op.left);
    const rm = this.machineOfEp(op.right);
    if (lm === rm) return this.toBuild(lm, opText(op)!, op.span);
    const vni = this.opts.drawVni(this.vnis);
    this.vnis.add(vni);
    const end = (ep: Endpoint, machine: string, addrs: TunnelEnd['addrs']): TunnelEnd => ({ machine, ns: ep.ns, ifname: ep.ifname, addrs });
    const ends = [end(op.left, lm, op.leftAddrs), end(op.right, rm, op.rightAddrs)] as const;
    const t: Tunnel = { span: op.span, link: `${endpoint(op.left)} <-> ${endpoint(op.right)}`, vni, mtu: op.mtu ?? TUNNEL_MTU, ends };
    this.tunnels.push(t);
    this.enliven(t);
    this.use(lm);
    this.use(rm);
    if (!(this.claims && ends.every(e => e.ns === 'host' || !this.touched.has(this.key(e.machine, e.ns, ''))))) {
      // a step of tunnels of its own, after what was built before
      this.build = undefined;
      this.claims = [];
      this.touched.clear();
      this.steps.push({ kind: 'tunnels', tunnels: this.claims });
    }
    this.claims!.push({ tunnel: t, ends });
    for (const e of ends) for (const text of tunnelEndText(e, op)) this.toBuild(e.machine, text, op.span);
  }

  private delTunnel(t: Tunnel, span: Span): void {
    this.unlive(t);
    for (const e of t.ends) {
      this.touch(e.machine, e.ns);
      this.toBuild(e.machine, `del ${endpoint(e)}`, span);
    }
  }

  // ---- the rest of a backend ----------------------------------------------------------------------

  /**
   * A statement under `!` is one statement on one machine (`! in a ping …`), or `! pingall`: it
   * runs as a step of its own, in script order.
   */
  async expectFailure(body: () => Promise<void>): Promise<boolean> {
    const outer = this.captured;
    const inner: Captured[] = [];
    this.captured = inner;
    let failed: boolean;
    try {
      failed = await failsWithOpError(body);
    } finally {
      this.captured = outer;
    }
    if (failed) return true;
    const steps = inner.flatMap(c => ('step' in c ? [c.step] : []));
    const ops = inner.flatMap(c => ('op' in c ? [c] : []));
    if (steps.length === 1 && ops.length === 0 && steps[0]!.kind === 'pingall') {
      this.toStep({ ...steps[0]!, negated: true });
      return true;
    }
    const machines = new Set(ops.map(c => c.machine));
    const text = ops.length > 0 && steps.length === 0 && machines.size === 1 ? joined(ops.map(c => c.op)) : undefined;
    const span = ops[0]?.op.span ?? (steps[0] && 'span' in steps[0] ? steps[0].span : undefined);
    if (text === undefined) {
      // echo and sleep cannot fail; a statement across machines is not one statement anywhere
      if (ops.length === 0) return false;
      fail('"!" takes a statement that runs on one machine', span!, 'write one statement for each machine');
    }
    const [machine] = machines;
    this.run(machine!, { text: `! ${text}`, span: span! });
    return true;
  }
}

/** The operations of one statement as that statement again (`ns a b` is two ns-add). */
function joined(ops: readonly Op[]): string | undefined {
  const maybe = ops.map(opText);
  if (maybe.some(t => t === undefined)) return undefined;
  const texts = maybe as string[];
  if (ops.length === 1) return texts[0];
  const kinds = new Set(ops.map(o => o.kind));
  const words = (t: string) => t.slice(t.indexOf(' ') + 1);
  if (kinds.size === 1 && (kinds.has('ns-add') || kinds.has('sysctl'))) {
    const first = ops[0]!;
    if (first.kind === 'ns-add' && ops.every(o => o.kind === 'ns-add' && o.hostname === first.hostname)) {
      return `ns ${ops.map(o => (o as OpOf<'ns-add'>).name).join(' ')}${first.hostname === undefined ? '' : texts[0]!.slice(texts[0]!.indexOf(' hostname'))}`;
    }
    if (first.kind === 'sysctl' && ops.every(o => o.kind === 'sysctl' && o.ns === first.ns)) {
      return `sysctl ${texts.map(t => words(t)).map((t, i) => (i === 0 ? t : t.slice(t.indexOf(' ') + 1))).join(' ')}`;
    }
  }
  if ([...kinds].every(k => k === 'ns-del' || k === 'link-del')) return `del ${texts.map(words).join(' ')}`;
  return undefined;
}
