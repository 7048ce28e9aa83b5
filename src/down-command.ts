/**
 * `nsh down` and `nsh ls`: the Linux backend's teardown alone is chosen here (teardown-backend.ts),
 * so that removing a lab loads neither the interpreter nor the handlers of the other ops.
 */
import { LinuxTeardown } from './backend/linux/teardown-backend.js';
import { describeObject, type TeardownReport } from './core/lab.js';
import { complainer, type Io } from './core/io.js';
import { listLabs, readObjects, labFile, JOURNAL_DIR } from './runtime/journal.js';
import { downLab, teardownSentences } from './runtime/down.js';
import { version } from './version.js';

/** Says what a teardown could not remove; true when something was left. */
export function reportLeftovers(r: TeardownReport | undefined, complain: (s: string) => void): boolean {
  for (const s of r ? teardownSentences(r) : []) complain(`nsh: ${s}`);
  return (r?.failed.length ?? 0) > 0;
}

export async function downCommand(opts: { all: boolean; args: readonly string[] }, io: Io): Promise<number> {
  const complain = complainer(io);
  const labs = opts.all ? listLabs() : opts.args;
  if (!opts.all && labs.length === 0) {
    complain('nsh: down needs a lab name, or --all');
    return 2;
  }
  const known = new Set(listLabs());
  // teardown starts no program and prints nothing of its own
  const backend = new LinuxTeardown({ stdout: io.stdout, stderr: io.stderr, inheritStdin: false, color: false });
  let code = 0;
  try {
    for (const lab of labs) {
      if (!known.has(lab)) {
        complain(`nsh: there is no lab ${JSON.stringify(lab)}${known.size ? ` (labs: ${[...known].join(', ')})` : ''}`);
        code = 1;
        continue;
      }
      const objects = readObjects(labFile(JOURNAL_DIR, lab));
      // the code for labs across machines (ssh, remote parts) is loaded only for such a lab
      if (objects.some(o => o.kind === 'machine')) {
        const across = await import('./machines/down.js');
        if ((await across.downAcross(lab, io, version)) !== 0) code = 1;
      } else if (reportLeftovers(await downLab(backend, lab, JOURNAL_DIR, objects), complain)) code = 1;
    }
  } finally {
    backend.close();
  }
  return code;
}

export async function listLabsCommand(say: (s: string) => void): Promise<number> {
  for (const lab of listLabs()) {
    const objects = readObjects(labFile(JOURNAL_DIR, lab));
    say(`${lab}: ${objects.map(describeObject).join(', ') || '(empty)'}`);
  }
  return 0;
}
