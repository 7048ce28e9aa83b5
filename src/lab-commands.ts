/**
 * The commands that build and look at labs on the kernel: `nsh FILE`, `nsh show LAB`,
 * `nsh exec LAB NS CMD…` (`nsh down` and `nsh ls`: down-command.ts).
 */
import { OpError } from './backend/backend.js';
import { LinuxBackend } from './backend/linux/linux-backend.js';
import { StartError } from './backend/linux/processes.js';
import { renderShow, type ShowQuery } from './backend/show-render.js';
import type { TeardownReport } from './core/lab.js';
import { colorOn, complainer, line, type Io } from './core/io.js';
import { insideRootless } from './rootless.js';
import { listLabs, readObjects, labFile, JOURNAL_DIR } from './runtime/journal.js';
import { Lab, LabIsUp, objectCount } from './runtime/lab.js';
import type { LoweredOps } from './runtime/lowered.js';
import type { Program } from './syntax/ast.js';
import type { Diagnostic } from './syntax/diagnostics.js';
import { Interrupts } from './runtime/interrupts.js';
import { reportLeftovers } from './down-command.js';

// for the machines' coordinator and their parts, which drive this backend from above it
export { reportLeftovers };
export { routeSource } from './backend/linux/vxlan.js';
export { startTime } from './backend/linux/processes.js';

/**
 * The backend on the kernel, talking through `io`. Its streams, whether it colours and whether
 * programs inherit standard input are read when first needed: asking at once would make node's
 * standard streams (process.stdout, and node:tty for isatty) in every run, which loads node's
 * stream, net and tty code, though a lab that starts no program and prints nothing never needs them.
 */
export function linuxBackend(io: Io, opts: { inheritStdin?: boolean } = {}): LinuxBackend {
  return new LinuxBackend({
    get stdout() {
      return io.stdout;
    },
    get stderr() {
      return io.stderr;
    },
    get inheritStdin() {
      return opts.inheritStdin ?? io.stdinIsTTY ?? Boolean(io.stdin?.isTTY);
    },
    get color() {
      return colorOn(io.stdout, io.env);
    },
  });
}

/** A script's lab is up from an earlier run: what to do about it. */
export function labIsUpSentence(name: string): string {
  return `nsh: lab "${name}" is up from an earlier run; \`nsh down ${name}\` removes it, --replace takes it down first, --name LAB runs beside it`;
}

export interface RunOptions {
  /** Remove the whole lab at the end, whatever happened. */
  readonly rm: boolean;
  /** Keep what a failed run made. */
  readonly keepOnError: boolean;
  /** Take down a lab of the same name that is up, first. */
  readonly replace?: boolean;
  /** The lab was named on the command line (--name): a run adds to it when it is up. */
  readonly named?: boolean;
  /** What the check of the script lowered (runtime/lowered.ts). */
  readonly lowered?: LoweredOps;
}

/**
 * `nsh FILE`: the script as a lab. A lab of the same name that is still up is refused (the run
 * would collide with what it made), unless named with --name (the run adds to it) or --replace.
 * On failure or Ctrl-C what this run made is removed again
 * (unless kept); with --rm the whole lab at the end. Resolves with the exit status.
 */
export async function runLab(
  program: Program,
  name: string,
  opts: RunOptions,
  io: Io,
  report: (ds: readonly Diagnostic[]) => void,
): Promise<number> {
  const complain = complainer(io);
  const backend = linuxBackend(io);
  let lab: Lab | undefined;
  const signals = new Interrupts(() => backend.interrupt());
  try {
    try {
      lab = await Lab.open({ name, backend, env: io.env, interrupted: () => signals.interrupted, fresh: !opts.named, replace: opts.replace ?? false });
    } catch (e) {
      if (!(e instanceof LabIsUp)) throw e;
      complain(labIsUpSentence(name));
      return 1;
    }
    const outcome = await lab.run(program.statements, { script: true, ...(opts.lowered ? { lowered: opts.lowered } : {}) });
    const failed = !outcome.ok || signals.interrupted;
    let teardown: TeardownReport | undefined;
    if (opts.rm) teardown = await lab.teardown('all');
    else if (failed && !opts.keepOnError) teardown = await lab.teardown('run');
    const leftovers = reportLeftovers(teardown, complain);
    if (!outcome.ok) {
      if (!outcome.interrupted) report([outcome.diagnostic]);
      else complain('nsh: interrupted');
      if (teardown && !leftovers) {
        complain(`nsh: removed what this run made (${objectCount(teardown.removed)})${opts.rm ? '' : '; --keep-on-error keeps it to look at'}`);
      }
      return signals.interrupted ? signals.status : 1;
    }
    if (signals.interrupted) return signals.status;
    // a --rootless lab lives in namespaces that end with this command
    if (!opts.rm && !insideRootless(io.env) && lab.isUp) {
      complain(`nsh: lab "${name}" is up; \`nsh down ${name}\` removes it`);
    }
    return leftovers ? 1 : 0;
  } finally {
    signals.close();
    if (lab) lab.close();
    else backend.close();
  }
}

/** A recorded lab's namespaces, in the order they were made (its journal names them); undefined when there is no such lab. */
function labNamespaces(lab: string): string[] | undefined {
  if (!listLabs().includes(lab)) return undefined;
  return readObjects(labFile(JOURNAL_DIR, lab)).flatMap(o => (o.kind === 'netns' ? [o.name] : []));
}

function noSuchLab(lab: string): string {
  const known = listLabs();
  return `nsh: there is no lab ${JSON.stringify(lab)}${known.length ? ` (labs: ${known.join(', ')})` : ''}`;
}

/**
 * `nsh show LAB [links|addrs|routes] [NS] [--json]`: what `show` prints inside the lab, from
 * another shell, without joining it (nothing is recorded, nothing changes).
 */
export async function showCommand(lab: string, query: ShowQuery, io: Io): Promise<number> {
  const complain = complainer(io);
  const namespaces = labNamespaces(lab);
  if (!namespaces) {
    complain(noSuchLab(lab));
    return 1;
  }
  if (query.ns !== undefined && query.ns !== 'host' && !namespaces.includes(query.ns)) {
    complain(`nsh: lab ${JSON.stringify(lab)} has no namespace ${JSON.stringify(query.ns)}${namespaces.length ? ` (it has ${namespaces.join(', ')})` : ''}`);
    return 1;
  }
  const backend = linuxBackend(io);
  try {
    // a namespace deleted behind the lab's back (ip netns del) is left out
    const there = new Set(backend.namespaces());
    const snapshot = await backend.snapshot(namespaces.filter(n => there.has(n)));
    line(io.stdout, renderShow(snapshot, query, colorOn(io.stdout, io.env)));
    return 0;
  } catch (e) {
    if (!(e instanceof OpError)) throw e;
    complain(`nsh: ${e.message}`);
    return 1;
  } finally {
    backend.close();
  }
}

/**
 * `nsh exec LAB NS CMD…`: CMD in namespace NS of the lab, as `in NS CMD…` runs it (network and UTS
 * namespace, the namespace's own /sys and /etc/netns files), on nsh's standard streams; nsh exits
 * with CMD's status (127 when it is not found, 126 when it cannot be run), as a shell does.
 */
export async function execCommand(lab: string, ns: string, argv: readonly string[], io: Io): Promise<number> {
  const complain = complainer(io);
  const namespaces = labNamespaces(lab);
  if (!namespaces) {
    complain(noSuchLab(lab));
    return 1;
  }
  if (ns !== 'host' && !namespaces.includes(ns)) {
    complain(`nsh: lab ${JSON.stringify(lab)} has no namespace ${JSON.stringify(ns)}${namespaces.length ? ` (it has ${namespaces.join(', ')})` : ''}`);
    return 1;
  }
  const backend = linuxBackend(io, { inheritStdin: true });
  // Ctrl-C and Ctrl-\ at a terminal reach the program itself (it is in nsh's process group): nsh
  // waits for it to end and exits with its status; a SIGTERM or SIGHUP sent to nsh alone is passed on.
  const ignore = () => {};
  const pass = () => backend.interrupt();
  process.on('SIGINT', ignore);
  process.on('SIGQUIT', ignore);
  process.on('SIGTERM', pass);
  process.on('SIGHUP', pass);
  try {
    return await backend.execute(ns, argv);
  } catch (e) {
    if (!(e instanceof OpError)) throw e;
    complain(`nsh: ${e.message}`);
    return e instanceof StartError ? e.status : 1;
  } finally {
    process.off('SIGINT', ignore);
    process.off('SIGQUIT', ignore);
    process.off('SIGTERM', pass);
    process.off('SIGHUP', pass);
    backend.close();
  }
}
