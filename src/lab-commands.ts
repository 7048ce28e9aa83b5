/** The commands that build and remove labs on the kernel: `nsh FILE`, `nsh down`, `nsh ls`. */
import { LinuxBackend } from './backend/linux/linux-backend.js';
import { insideRootless } from './rootless.js';
import { Journal, listLabs, readObjects, labFile, JOURNAL_DIR } from './runtime/journal.js';
import { downLab, runScript } from './runtime/session.js';
import type { Program } from './syntax/ast.js';
import type { Diagnostic } from './syntax/diagnostics.js';
import type { LabObject, TeardownReport } from './backend/backend.js';

interface Streams {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdinIsTTY?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

function backendFor(io: Streams): LinuxBackend {
  return new LinuxBackend({
    stdout: io.stdout,
    stderr: io.stderr,
    inheritStdin: io.stdinIsTTY ?? Boolean(io.stdin?.isTTY),
    color: Boolean(io.stdout.isTTY) && !('NO_COLOR' in io.env),
  });
}

function describe(o: LabObject): string {
  switch (o.kind) {
    case 'netns':
      return `namespace ${o.name}`;
    case 'uts':
      return `uts namespace of ${o.name}`;
    case 'link':
      return `link ${o.at.kind === 'name' ? o.at.name : o.at.kind === 'pid' ? `pid ${String(o.at.pid)}` : o.at.path}.${o.ifname}`;
    case 'job':
      return `process ${o.pid}`;
    case 'procs':
      return `programs it started`;
    case 'mount':
      return `pin at ${o.path}`;
  }
}

function failures(r: TeardownReport | undefined, complain: (s: string) => void): boolean {
  for (const f of r?.failed ?? []) complain(`nsh: could not remove ${describe(f.object)}: ${f.why}`);
  return (r?.failed.length ?? 0) > 0;
}

export async function runLab(
  program: Program,
  lab: string,
  opts: { rm: boolean; keepOnError: boolean },
  io: Streams,
  report: (ds: readonly Diagnostic[]) => void,
  complain: (s: string) => void,
): Promise<number> {
  const backend = backendFor(io);
  const journal = Journal.open(lab);
  let interrupted = false;
  /** The status a shell gives a program ended by the signal: 130 for SIGINT (Ctrl-C), 143 for SIGTERM. */
  let signalStatus = 130;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    signalStatus = signal === 'SIGTERM' ? 143 : 130;
    backend.interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const r = await runScript({
      statements: program.statements,
      backend,
      journal,
      env: io.env,
      rm: opts.rm,
      keepOnError: opts.keepOnError,
      interrupted: () => interrupted,
    });
    const leftovers = failures(r.teardown, complain);
    if (!r.outcome.ok) {
      if (!r.outcome.interrupted) report([r.outcome.diagnostic]);
      else complain('nsh: interrupted');
      if (r.teardown && !leftovers) {
        const n = r.teardown.removed;
        complain(`nsh: removed what this run made (${n} object${n === 1 ? '' : 's'})`);
      }
      return interrupted ? signalStatus : 1;
    }
    if (interrupted) return signalStatus;
    // a --rootless lab lives in namespaces that end with this command
    if (!opts.rm && !insideRootless(io.env) && journal.objects().length > 0) {
      complain(`nsh: lab "${lab}" is up; \`nsh down ${lab}\` removes it`);
    }
    return leftovers ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    journal.close();
    backend.close();
  }
}

export async function downCommand(opts: { all: boolean; args: string[] }, io: Streams, complain: (s: string) => void): Promise<number> {
  const labs = opts.all ? listLabs() : opts.args;
  if (!opts.all && labs.length === 0) {
    complain('nsh: down needs a lab name, or --all');
    return 2;
  }
  const known = new Set(listLabs());
  const backend = backendFor(io);
  let code = 0;
  try {
    for (const lab of labs) {
      if (!known.has(lab)) {
        complain(`nsh: there is no lab ${JSON.stringify(lab)}${known.size ? ` (labs: ${[...known].join(', ')})` : ''}`);
        code = 1;
        continue;
      }
      const r = await downLab(backend, lab);
      if (failures(r, complain)) code = 1;
    }
  } finally {
    backend.close();
  }
  return code;
}

export async function listLabsCommand(say: (s: string) => void): Promise<number> {
  for (const lab of listLabs()) {
    const objects = readObjects(labFile(JOURNAL_DIR, lab));
    say(`${lab}: ${objects.map(describe).join(', ') || '(empty)'}`);
  }
  return 0;
}
