/**
 * Teardown of a lab through its journal: what `nsh down`, `Lab.teardown` and `--replace` share.
 * Apart from lab.ts (no interpreter, no checker), so that `nsh down` loads little.
 */
import * as path from 'node:path';
import { describeObject, type LabObject, type TeardownReport } from '../core/lab.js';
import type { Backend } from '../backend/backend.js';
import { Journal, JOURNAL_DIR, listLabs, objectKey, readObjects, removeJournal, labFile } from './journal.js';

/** Removes objects through the backend and marks them gone in the journal. */
export async function tearDown(backend: Pick<Backend, 'teardown'>, journal: Journal, objects: readonly LabObject[]): Promise<TeardownReport> {
  if (!backend.teardown) throw new Error('this backend cannot tear down');
  const handed = handOver(objects, journal);
  journal.forgetAll(handed);
  const report = await backend.teardown(objects.filter(o => !handed.includes(o)));
  const failed = new Set(report.failed.map(f => objectKey(f.object)));
  journal.forgetAll(report.failed.length === 0 ? objects : objects.filter(o => !failed.has(objectKey(o))));
  return report;
}

/**
 * Forwarding that this lab turned on in a namespace where another lab has its nftables table
 * (whose nat or publish needs it) stays on: the record of the value to put back goes to that
 * lab's journal (unless it holds one already), and its teardown puts it back. Gives the
 * objects handed over.
 */
function handOver(objects: readonly LabObject[], journal: Journal): LabObject[] {
  const sysctls = objects.filter(o => o.kind === 'sysctl' && o.value !== undefined);
  if (sysctls.length === 0) return [];
  const dir = path.dirname(journal.file);
  const handed: LabObject[] = [];
  for (const other of listLabs(dir)) {
    if (other === journal.lab) continue;
    const theirs = readObjects(labFile(dir, other));
    const keys = new Set(theirs.map(objectKey));
    const tableAt = new Set(theirs.flatMap(t => (t.kind === 'nft' ? [JSON.stringify(t.at)] : [])));
    const take = sysctls.filter(o => !handed.includes(o) && o.kind === 'sysctl' && tableAt.has(JSON.stringify(o.at)));
    if (take.length === 0) continue;
    const j = Journal.open(other, dir);
    try {
      for (const o of take) if (!keys.has(objectKey(o))) j.confirm(o);
    } finally {
      j.close();
    }
    handed.push(...take);
  }
  return handed;
}

/**
 * What a teardown on this machine removes: not the parts of the lab on other machines (their
 * record stays until the coordinator removed them), not this process itself (it serves a part).
 */
export function isHere(o: LabObject): boolean {
  return o.kind !== 'machine' && o.kind !== 'tunnel' && !(o.kind === 'job' && o.pid === process.pid);
}

/**
 * `nsh down LAB`: everything the lab's journal holds on this machine; the journal goes when all
 * of it is gone (and no part on another machine is left).
 */
export async function downLab(
  backend: Pick<Backend, 'teardown'>,
  lab: string,
  dir = JOURNAL_DIR,
  /** What the journal holds, when the caller has read it already. */
  all: readonly LabObject[] = readObjects(labFile(dir, lab)),
): Promise<TeardownReport> {
  const objects = all.filter(isHere);
  const journal = Journal.open(lab, dir);
  try {
    const report = await tearDown(backend, journal, objects);
    if (report.failed.length === 0 && objects.length === all.length) removeJournal(lab, dir);
    return report;
  } finally {
    journal.close();
  }
}

/** A teardown in sentences: one per object that could not be removed. */
export function teardownSentences(r: TeardownReport): string[] {
  return r.failed.map(f => `could not remove ${describeObject(f.object)}: ${f.why}`);
}

/** "3 objects" */
export function objectCount(n: number): string {
  return `${n} object${n === 1 ? '' : 's'}`;
}
