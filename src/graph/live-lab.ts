/**
 * A lab that is up, read from the kernel: its journal (under /run/nsh/labs) names its namespaces,
 * the Linux backend (through lab-commands.ts, the one place that picks it) reads their links,
 * addresses, state and counters. Needs root.
 */
import type { LabSnapshot } from '../backend/backend.js';
import { namedNetnsExists, readSnapshot } from '../lab-commands.js';
import { JOURNAL_DIR, labFile, listLabs, readObjects } from '../runtime/journal.js';

/** The labs whose journal holds something. */
export function labsUp(): string[] {
  return listLabs().filter(lab => readObjects(labFile(JOURNAL_DIR, lab)).length > 0);
}

/** The namespaces of `lab` that exist now, in the order they were made; undefined when there is no such lab. */
export function labNamespaces(lab: string): string[] | undefined {
  if (!listLabs().includes(lab)) return undefined;
  return readObjects(labFile(JOURNAL_DIR, lab))
    .flatMap(o => (o.kind === 'netns' ? [o.name] : []))
    .filter(namedNetnsExists);
}

/** The lab as the kernel holds it now; a namespace removed while it is read is left out. */
export function readLab(lab: string): LabSnapshot {
  const spaces = labNamespaces(lab);
  if (spaces === undefined) throw new Error(`there is no lab ${JSON.stringify(lab)}`);
  try {
    return readSnapshot(spaces);
  } catch {
    // a namespace went away between the journal and the read: read again what is left
    return readSnapshot(spaces.filter(namedNetnsExists));
  }
}

/** The sentence for a lab name that names no lab. */
export function noSuchLab(lab: string): string {
  const labs = labsUp();
  return `there is no lab ${JSON.stringify(lab)}${labs.length > 0 ? ` (labs up: ${labs.join(', ')})` : ' (no lab is up)'}`;
}
