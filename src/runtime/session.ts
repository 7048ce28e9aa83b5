/**
 * A run of a script as a lab: the interpreter over a journaled backend; on failure or Ctrl-C the
 * run's own objects are removed again (unless kept), with --rm the whole lab at the end.
 */
import * as path from 'node:path';
import type { Backend, LabObject, TeardownReport } from '../backend/backend.js';
import type { ForItems, Statement } from '../syntax/ast.js';
import { Interpreter, type Outcome } from './interpreter.js';
import { Journal, objectKey, readObjects, removeJournal, JOURNAL_DIR, labFile } from './journal.js';
import { JournaledBackend } from './journaled.js';

export interface RunOptions {
  readonly statements: readonly Statement[];
  readonly backend: Backend;
  readonly journal: Journal;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Remove the whole lab at the end, whatever happened. */
  readonly rm: boolean;
  /** Keep what a failed run made. */
  readonly keepOnError: boolean;
  readonly interrupted: () => boolean;
}

export interface RunResult {
  readonly outcome: Outcome;
  /** What was torn down (a failed run's objects, or the lab with --rm). */
  readonly teardown?: TeardownReport;
}

/** Removes objects through the backend and marks them gone in the journal. */
export async function tearDown(backend: Backend, journal: Journal, objects: readonly LabObject[]): Promise<TeardownReport> {
  if (!backend.teardown) throw new Error('this backend cannot tear down');
  const report = await backend.teardown(objects);
  const failed = new Set(report.failed.map(f => objectKey(f.object)));
  for (const o of objects) if (!failed.has(objectKey(o))) journal.forget(o);
  return report;
}

export async function runScript(o: RunOptions): Promise<RunResult> {
  const lab = o.journal.objects().flatMap(x => (x.kind === 'netns' ? [x.name] : []));
  const journaled = new JournaledBackend(o.backend, o.journal);
  const interp = new Interpreter({
    backend: journaled,
    mode: 'run',
    env: o.env,
    lab,
    interrupted: o.interrupted,
  });
  o.backend.prepare?.({ namespaces: namespacesIn(o.statements) });
  const outcome = await interp.run(o.statements);
  o.backend.prepare?.({ namespaces: 0 });
  journaled.finish();
  let teardown: TeardownReport | undefined;
  if (o.rm) teardown = await tearDown(o.backend, o.journal, o.journal.objects());
  else if ((!outcome.ok || o.interrupted()) && !o.keepOnError) teardown = await tearDown(o.backend, o.journal, o.journal.objects(o.journal.run));
  // a lab that holds nothing has no journal
  if (o.journal.objects().length === 0) removeJournal(o.journal.lab, path.dirname(o.journal.file));
  return { outcome, ...(teardown ? { teardown } : {}) };
}

/** How many namespaces statements will make, as far as their text tells (loops over literal ranges included). */
export function namespacesIn(statements: readonly Statement[]): number {
  let n = 0;
  for (const s of statements) {
    if (s.kind === 'ns') n += s.names.length;
    else if (s.kind === 'for') n += namespacesIn(s.body) * iterations(s.items);
  }
  return n;
}

function iterations(items: ForItems): number {
  if (items.kind === 'list') return items.words.length;
  const from = Number(items.from.literal ?? NaN), to = Number(items.to.literal ?? NaN);
  // a range computed at run time: counted once
  return Number.isInteger(from) && Number.isInteger(to) ? Math.abs(to - from) + 1 : 1;
}

/** `nsh down LAB`: everything the lab's journal holds; the journal goes when all of it is gone. */
export async function downLab(backend: Backend, lab: string, dir = JOURNAL_DIR): Promise<TeardownReport> {
  const objects = readObjects(labFile(dir, lab));
  const journal = Journal.open(lab, dir);
  try {
    const report = await tearDown(backend, journal, objects);
    if (report.failed.length === 0) removeJournal(lab, dir);
    return report;
  } finally {
    journal.close();
  }
}
