/**
 * The seam between a script and its picture: the lab a script would build, as a LabSnapshot,
 * from a dry run that needs no privileges (the interpreter run over a backend that records what
 * it would make instead of making it). `nsh graph FILE.ns` and the REPL's `.graph FILE` call it.
 */
import type { LabSnapshot } from '../backend/backend.js';
import type { Program } from '../syntax/ast.js';

export class NotYetError extends Error {}

export interface ProgramSnapshotOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The lab's name (the file's base name). */
  readonly lab: string;
}

/** The snapshot of the lab `program` builds: the host (`host`) first, then its namespaces in order. */
export async function snapshotOfProgram(_program: Program, _opts: ProgramSnapshotOptions): Promise<LabSnapshot> {
  throw new NotYetError('the picture of a file needs a dry run that records the lab it would build, which nsh does not have yet; run the file and give the lab name instead');
}
