/**
 * `nsh FILE` for a lab across machines: the coordinator. The script was checked whole (every
 * machine's part, by the dry run); it is split (plan.ts); the machines it uses are recorded in the
 * lab's journal here before any part starts; each machine runs its part with its own nsh over
 * OpenSSH (remote.ts), the coordinator's own part runs in this process; the steps run in order,
 * each build step and each step of tunnels on every machine at once. A failure or an interrupt
 * removes what this run made on every machine.
 */
import { randomInt } from 'node:crypto';
import { colorOn, complainer, line, type Io } from '../core/io.js';
import { LOCAL } from '../core/machines.js';
import type { LabObject, TeardownReport } from '../core/lab.js';
import { renderShow } from '../backend/show-render.js';
import { labIsUpSentence, linuxBackend, reportLeftovers, routeSource } from '../lab-commands.js';
import { listLabs, readObjects, labFile, JOURNAL_DIR } from '../runtime/journal.js';
import { Interrupts } from '../runtime/interrupts.js';
import { Lab, LabIsUp, objectCount } from '../runtime/lab.js';
import type { Program } from '../syntax/ast.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';
import { VNI_MAX, VNI_MIN } from '../syntax/values.js';
import { claimTunnels, type ClaimOptions } from './claims.js';
import { downAcross } from './down.js';
import { gatherSnapshot, pingallAcross } from './gather.js';
import { planProgram, type Plan, type Step, type Tunnel } from './plan.js';
import { LocalPart, PartError, RemotePart } from './remote.js';
import { PartOutput, Server } from './serve.js';
import { markedText } from './text.js';
import { Session, StepFailed } from './session.js';
import { prepareControlDir, resolveMachine, targetText, warmedUp, type SshTarget } from './ssh.js';
import { VXLAN_PORT } from '../core/machines.js';

export interface MachinesRunOptions {
  readonly rm: boolean;
  readonly keepOnError: boolean;
  readonly replace?: boolean;
  readonly named?: boolean;
  /** Log the nsh text each machine is told. */
  readonly verbose: boolean;
  /** nsh's version: every machine runs the same. */
  readonly version: string;
}

/** The VNIs this machine's labs use already (their journals say). */
export function vnisInUse(): Set<number> {
  const used = new Set<number>();
  for (const lab of listLabs()) for (const o of readObjects(labFile(JOURNAL_DIR, lab))) if (o.kind === 'tunnel') used.add(o.vni);
  return used;
}

/** A VNI drawn at random, clear of `taken`. */
export function drawVni(taken: ReadonlySet<number>): number {
  for (;;) {
    const v = randomInt(VNI_MIN, VNI_MAX + 1);
    if (!taken.has(v)) return v;
  }
}

export function machineTarget(plan: Plan, machine: string): SshTarget {
  const m = plan.machines.get(machine)!;
  return { host: m.host, port: m.port, ...(m.user === undefined ? {} : { user: m.user }) };
}

export function machineRecord(plan: Plan, lab: string, machine: string): LabObject {
  const t = machineTarget(plan, machine);
  return { kind: 'machine', name: machine, ssh: targetText(t), port: t.port, part: `${lab}@${machine}` };
}

function tunnelRecord(t: Tunnel): LabObject {
  return { kind: 'tunnel', vni: t.vni, link: `${t.link}, ${t.ends[0].machine}–${t.ends[1].machine}` };
}

/**
 * The address of machine `to` as machine `from` reaches it: another machine's is its ssh HOST,
 * resolved; this one's, as another machine reaches it, the source of the route to that machine.
 */
export async function tunnelAddresses(plan: Plan): Promise<(from: string, to: string) => string> {
  const remote = [...new Set(plan.tunnels.flatMap(t => t.ends.map(e => e.machine)))].filter(m => m !== LOCAL);
  const resolved = new Map<string, string>();
  await Promise.all(
    remote.map(async m => {
      try {
        resolved.set(m, (await resolveMachine(machineTarget(plan, m))).address);
      } catch (e) {
        throw new PartError(m, `machine ${m}'s address cannot be found: ${(e as Error).message}`);
      }
    }),
  );
  const here = new Map<string, string>();
  await Promise.all(
    [...resolved].map(async ([m, address]) => {
      try {
        here.set(m, await routeSource(address, address.includes(':') ? 6 : 4, VXLAN_PORT));
      } catch (e) {
        throw new PartError(m, `this machine has no route to machine ${m} (${address}): ${(e as Error).message}`);
      }
    }),
  );
  return (from, to) => (to === LOCAL ? here.get(from)! : resolved.get(to)!);
}

/** Runs a checked program across machines; resolves with the exit status. */
export async function runMachines(program: Program, name: string, opts: MachinesRunOptions, io: Io, report: (ds: readonly Diagnostic[]) => void): Promise<number> {
  const complain = complainer(io);
  const color = colorOn(io.stdout, io.env);
  const taken = vnisInUse();
  const { plan, problem } = await planProgram(program.statements, { env: io.env, labName: name, drawVni: t => drawVni(new Set([...taken, ...t])) });
  if (problem) {
    report([problem]);
    return 1;
  }
  const remotes = plan.used.filter(m => m !== LOCAL);

  if (opts.replace && readObjects(labFile(JOURNAL_DIR, name)).length > 0) {
    const code = await downAcross(name, io, opts.version);
    if (code !== 0) return code;
  }
  const output = new PartOutput(t => io.stdout.write(t));
  const backend = linuxBackend({ ...io, stdout: output.stream });
  let lab: Lab | undefined;
  const session = new Session({ verbose: opts.verbose, log: t => complain(t) });
  const stop = new AbortController();
  const signals = new Interrupts(() => {
    stop.abort();
    session.interrupt();
  });
  try {
    try {
      lab = await Lab.open({ name, backend, env: io.env, interrupted: () => signals.interrupted, fresh: !opts.named });
    } catch (e) {
      if (!(e instanceof LabIsUp)) throw e;
      complain(labIsUpSentence(name));
      return 1;
    }
    const theLab = lab;
    // the machines are recorded before any part starts: `nsh down` reaches them whatever happens next
    const records = new Map(remotes.map(m => [m, machineRecord(plan, name, m)]));
    for (const o of records.values()) theLab.record(o);
    for (const t of plan.tunnels) theLab.record(tunnelRecord(t));
    session.parts.set(LOCAL, new LocalPart(LOCAL, new Server(theLab, output)));

    let failure: Diagnostic[] | undefined;
    /** Machines whose part was started (and so may hold something). */
    const started = new Set<string>([LOCAL]);
    try {
      prepareControlDir();
      const [address] = await Promise.all([
        tunnelAddresses(plan),
        connectAll(plan, remotes, name, opts, io, session, started),
      ]);
      const claims: ClaimOptions = {
        address,
        redraw: () => drawVni(new Set([...taken, ...plan.tunnels.map(x => x.vni)])),
        drawn: (t, old) => {
          theLab.forget({ kind: 'tunnel', vni: old, link: '' });
          theLab.record(tunnelRecord(t));
        },
      };
      for (const step of plan.steps) {
        if (signals.interrupted) throw new Interrupted();
        await runStep(session, step, { io, color, stop: stop.signal, claims });
      }
      if (signals.interrupted) throw new Interrupted();
    } catch (e) {
      failure = failureOf(e, plan);
    }

    let teardown: { report: TeardownReport; gone: Set<string> } | undefined;
    if (opts.rm || (failure && !opts.keepOnError)) teardown = await removeParts(session, started, opts.rm ? 'down' : 'rollback', complain);
    for (const m of remotes) if (!started.has(m) || teardown?.gone.has(m)) theLab.forget(records.get(m)!);
    if (teardown && [...records.keys()].every(m => !started.has(m) || teardown!.gone.has(m))) {
      for (const o of theLab.objects()) if (o.kind === 'tunnel') theLab.forget(o);
    }
    await Promise.all([...session.parts.values()].map(p => p.close()));
    const leftovers = reportLeftovers(teardown?.report, complain);

    if (failure) {
      if (signals.interrupted) complain('nsh: interrupted');
      else report(failure);
      if (teardown && !leftovers) {
        complain(`nsh: removed what this run made on ${started.size === 1 ? 'this machine' : `every machine (${[LOCAL, ...remotes].filter(m => started.has(m)).join(', ')})`} (${objectCount(teardown.report.removed)})${opts.rm ? '' : '; --keep-on-error keeps it to look at'}`);
      }
      return signals.interrupted ? signals.status : 1;
    }
    if (!opts.rm && theLab.isUp) complain(`nsh: lab "${name}" is up on ${[LOCAL, ...remotes].filter(m => m !== LOCAL || theLab.objects().some(o => o.kind !== 'machine' && o.kind !== 'tunnel')).join(', ')}; \`nsh down ${name}\` removes it`);
    return leftovers ? 1 : 0;
  } finally {
    signals.close();
    if (lab) lab.close();
    else backend.close();
  }
}

class Interrupted extends Error {}

/** The failure as diagnostics at the script's statements. */
function failureOf(e: unknown, plan: Plan): Diagnostic[] {
  if (e instanceof Interrupted) return [error('interrupted')];
  if (e instanceof StepFailed) return [e.diagnostic];
  if (e instanceof AggregateError) return e.errors.flatMap(x => failureOf(x, plan));
  if (e instanceof PartError) return [error(e.message, plan.machines.get(e.machine)?.span, e.hint)];
  throw e;
}

/** Starts every machine's part at once; a machine that cannot take its part fails the run (all of them said). */
async function connectAll(plan: Plan, remotes: readonly string[], lab: string, opts: MachinesRunOptions, io: Io, session: Session, started: Set<string>): Promise<void> {
  const results = await Promise.allSettled(
    remotes.map(async m => {
      const target = machineTarget(plan, m);
      await warmedUp(target);
      const part = await RemotePart.connect({ machine: m, target, part: `${lab}@${m}`, fresh: !opts.named, version: opts.version, io });
      session.parts.set(m, part);
      started.add(m);
    }),
  );
  const failed = results.flatMap(r => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) throw new AggregateError(failed);
}

async function runStep(session: Session, step: Step, o: { io: Io; color: boolean; stop: AbortSignal; claims: ClaimOptions }): Promise<void> {
  const { io, color, stop } = o;
  switch (step.kind) {
    case 'build': {
      const runs = [...step.parts].map(([m, lines]) => session.run(m, lines));
      const settled = await Promise.allSettled(runs);
      const failed = settled.flatMap(r => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (failed.length === 1) throw failed[0];
      if (failed.length > 1) throw new AggregateError(failed);
      return;
    }
    case 'tunnels':
      await claimTunnels(session, step.tunnels, o.claims);
      return;
    case 'run':
      await session.run(step.machine, [step.line]);
      return;
    case 'all': {
      const settled = await Promise.allSettled([...step.lines].map(([m, l]) => session.run(m, [l])));
      const failed = settled.flatMap(r => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (failed.length > 0) throw failed.length === 1 ? failed[0] : new AggregateError(failed);
      return;
    }
    case 'print':
      line(io.stdout, session.resolve(markedText(step.text)));
      return;
    case 'sleep': {
      // Ctrl-C ends a sleep at once
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>(r => {
        timer = setTimeout(r, step.seconds * 1000);
        stop.addEventListener('abort', () => r(), { once: true });
      });
      clearTimeout(timer);
      if (stop.aborted) throw new Interrupted();
      return;
    }
    case 'show': {
      const snap = await gatherSnapshot(session, step.view);
      line(io.stdout, renderShow(snap, step.query, color));
      return;
    }
    case 'pingall': {
      const r = await pingallAcross(session, step.view, color);
      line(io.stdout, r.text);
      if (step.negated && r.failure === undefined) {
        throw new StepFailed(LOCAL, { message: 'the statement succeeded, but "!" expects it to fail' }, step.span);
      }
      if (!step.negated && r.failure !== undefined) throw new StepFailed(LOCAL, { message: r.failure }, step.span);
      return;
    }
  }
}

/**
 * Removes this run's objects (rollback) or the whole lab (down) on every machine that started a
 * part, at once. `gone`: the machines whose part holds nothing any more.
 */
async function removeParts(session: Session, started: ReadonlySet<string>, how: 'rollback' | 'down', complain: (s: string) => void): Promise<{ report: TeardownReport; gone: Set<string> }> {
  const gone = new Set<string>();
  let removed = 0;
  const failed: TeardownReport['failed'][number][] = [];
  await Promise.all(
    [...started].map(async m => {
      try {
        const a = await session.request(m, how === 'down' ? { down: true } : { rollback: true });
        for (const s of a.leftovers ?? []) complain(`nsh: ${m === LOCAL ? '' : `${m}: `}${s}`);
        if (a.ok && !a.up) gone.add(m);
        removed += a.removed ?? 0;
      } catch (e) {
        complain(`nsh: ${m}: ${(e as Error).message}; its part stays recorded: nsh down removes it`);
      }
    }),
  );
  return { report: { removed, gone: 0, failed }, gone };
}
