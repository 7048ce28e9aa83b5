/**
 * The REPL session's lab: opened at the start (joining what an earlier session kept under the
 * same name), and at the end torn down (unless --keep) with a line that says what went.
 */
import { UnprivilegedBackend } from '../backend/unprivileged.js';
import type { Backend } from '../backend/backend.js';
import type { Env, Out } from '../core/io.js';
import { describeObject, type LabObject } from '../core/lab.js';
import { Lab, objectCount, teardownSentences } from '../runtime/lab.js';

export interface SessionLabOptions {
  readonly name: string;
  /** The Linux backend; none: one that refuses what touches the kernel (a user without root). */
  readonly backend: Backend | undefined;
  readonly env: Env;
  readonly output: Out;
  readonly interrupted: () => boolean;
}

export function openSessionLab(opts: SessionLabOptions): Promise<Lab> {
  return Lab.open({
    name: opts.name,
    backend: opts.backend ?? new UnprivilegedBackend(opts.output),
    // a backend that refuses everything makes nothing to record
    journal: opts.backend !== undefined,
    env: opts.env,
    interrupted: opts.interrupted,
  });
}

/** The end of the session: the lab torn down (or kept), each sentence said; resolves to 1 when something was left. */
export async function closeSessionLab(lab: Lab, opts: { readonly keep: boolean }, complain: (s: string) => void): Promise<number> {
  let code = 0;
  try {
    if (opts.keep) {
      if (lab.isUp) complain(`nsh: lab "${lab.name}" is up; \`nsh down ${lab.name}\` removes it`);
    } else {
      // said first: a large lab takes a moment to go
      const going = removing(lab.objects('run'));
      if (going) complain(`nsh: ${going}`);
      const r = await lab.teardown('run');
      for (const f of teardownSentences(r)) complain(`nsh: ${f}`);
      if (r.failed.length > 0) code = 1;
    }
    lab.close();
  } catch (e) {
    complain(`nsh: ${(e as Error).message}`);
    code = 1;
  }
  return code;
}

/** How many objects are listed by name before "… and N more". */
const LISTED = 4;

/** One line: what the teardown removes, counted and named (a namespace's UTS namespace goes with it). */
export function removing(objects: readonly LabObject[]): string | undefined {
  const named = objects.filter(o => o.kind !== 'uts').map(describeObject);
  if (named.length === 0) return undefined;
  const more = named.length - LISTED;
  const list = more > 1 ? `${named.slice(0, LISTED).join(', ')} and ${more} more` : named.join(', ');
  return `removing what this session made: ${objectCount(named.length)} (${list})`;
}

/** The line a session on a terminal starts with: the version, where help is, and what exit does to the lab. */
export function welcome(opts: { readonly version: string | undefined; readonly lab: string; readonly keep: boolean }): string {
  const fate = opts.keep ? `the lab "${opts.lab}" stays after exit (--keep)` : `on exit the lab "${opts.lab}" goes away, unless nsh was started with --keep`;
  return `nsh${opts.version ? ` ${opts.version}` : ''}: .help lists the statements; ${fate}`;
}
