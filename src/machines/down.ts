/**
 * `nsh down LAB` for a lab across machines: every machine's part is taken down by the nsh there,
 * all at once, and this machine's own; a machine that cannot be reached is said by name and stays
 * in the lab's record, so that a later `nsh down LAB` finishes the job.
 */
import { complainer, type Io } from '../core/io.js';
import type { LabObject } from '../core/lab.js';
import { linuxBackend, reportLeftovers } from '../lab-commands.js';
import { Journal, JOURNAL_DIR, labFile, readObjects, removeJournal } from '../runtime/journal.js';
import { downLab } from '../runtime/lab.js';
import { RemotePart } from './remote.js';
import { prepareControlDir } from './ssh.js';

type MachineRecord = Extract<LabObject, { kind: 'machine' }>;

/** Takes down a lab across machines; the exit status (1 when something is left). */
export async function downAcross(lab: string, io: Io, version: string): Promise<number> {
  const complain = complainer(io);
  const machines = readObjects(labFile(JOURNAL_DIR, lab)).filter((o): o is MachineRecord => o.kind === 'machine');
  prepareControlDir();
  const backend = linuxBackend(io);
  let code = 0;
  const journal = Journal.open(lab);
  try {
    const here = downLab(backend, lab).then(r => {
      if (reportLeftovers(r, complain)) code = 1;
    });
    const there = machines.map(async m => {
      const part = await downPart(m, io, version);
      if (part === undefined) journal.forget(m);
      else {
        complain(`nsh: ${part}`);
        code = 1;
      }
    });
    await Promise.all([here, ...there]);
    const left = journal.objects();
    if (!left.some(o => o.kind === 'machine')) for (const o of left) if (o.kind === 'tunnel') journal.forget(o);
  } finally {
    journal.close();
    backend.close();
  }
  if (readObjects(labFile(JOURNAL_DIR, lab)).length === 0) removeJournal(lab);
  return code;
}

/** Takes down one machine's part; undefined when it is gone, else why not (a sentence). */
async function downPart(m: MachineRecord, io: Io, version: string): Promise<string | undefined> {
  const at = m.ssh.lastIndexOf('@');
  const target = { host: m.ssh.slice(at + 1), port: m.port, ...(at === -1 ? {} : { user: m.ssh.slice(0, at) }) };
  let part: RemotePart;
  try {
    part = await RemotePart.connect({ machine: m.name, target, part: m.part, fresh: false, version, io });
  } catch (e) {
    return `${(e as Error).message}; its part of the lab stays recorded: nsh down removes it once the machine can be reached`;
  }
  try {
    const a = await part.request({ down: true });
    const left = a.leftovers ?? [];
    if (a.ok) return undefined;
    return `${m.name}: ${left.join('; ') || 'its part could not be removed'}`;
  } catch (e) {
    return `${m.name}: ${(e as Error).message}`;
  } finally {
    await part.close();
  }
}
