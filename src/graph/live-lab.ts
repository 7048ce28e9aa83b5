/**
 * A lab that is up, read through a backend that acts on the kernel (the command line hands over
 * the Linux one): its journal (under /run/nsh/labs) names its namespaces and the links it made in
 * the host; the backend reads their links, addresses, state, counters and the lab's NAT table.
 * Of the host, only the lab's part is kept (lab-part.ts). Needs root.
 */
import type { Backend, LabSnapshot } from '../backend/backend.js';
import { JOURNAL_DIR, labFile, listLabs, readObjects } from '../runtime/journal.js';
import { labPart } from './lab-part.js';

/** What reading a lab needs of a backend. */
export type LabReader = Required<Pick<Backend, 'snapshot' | 'namespaces'>> & Pick<Backend, 'forLab' | 'watch' | 'close'>;

/** The labs whose journal holds something. */
export function labsUp(): string[] {
  return listLabs().filter(lab => readObjects(labFile(JOURNAL_DIR, lab)).length > 0);
}

/** The namespaces of `lab` that exist now, in the order they were made; undefined when there is no such lab. */
export function labNamespaces(lab: string, backend: Pick<LabReader, 'namespaces'>): string[] | undefined {
  if (!listLabs().includes(lab)) return undefined;
  const there = new Set(backend.namespaces());
  return readObjects(labFile(JOURNAL_DIR, lab)).flatMap(o => (o.kind === 'netns' && there.has(o.name) ? [o.name] : []));
}

/** The links `lab` made in the host (the host ends of its veths, its macvlans and bridges there …). */
export function hostLinksOf(lab: string): string[] {
  return readObjects(labFile(JOURNAL_DIR, lab)).flatMap(o => (o.kind === 'link' && o.at.kind === 'name' && o.at.name === 'host' ? [o.ifname] : []));
}

/** The lab as the kernel holds it now; a namespace removed while it is read is left out. */
export async function readLab(lab: string, backend: LabReader): Promise<LabSnapshot> {
  const spaces = labNamespaces(lab, backend);
  if (spaces === undefined) throw new Error(`there is no lab ${JSON.stringify(lab)}`);
  let snap: LabSnapshot;
  try {
    snap = await backend.snapshot(spaces);
  } catch {
    // a namespace went away between the journal and the read: read again what is left
    const there = new Set(backend.namespaces());
    snap = await backend.snapshot(spaces.filter(n => there.has(n)));
  }
  return labPart(snap, hostLinksOf(lab));
}

/** The sentence for a lab name that names no lab. */
export function noSuchLab(lab: string): string {
  const labs = labsUp();
  return `there is no lab ${JSON.stringify(lab)}${labs.length > 0 ? ` (labs up: ${labs.join(', ')})` : ' (no lab is up)'}`;
}
