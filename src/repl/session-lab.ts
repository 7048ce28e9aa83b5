/**
 * The REPL session's lab: opened at the start (joining what an earlier session kept under the
 * same name), and at the end torn down (unless --keep) with a line that says what went.
 */
import { UnprivilegedBackend } from '../backend/unprivileged.js';
import type { Backend } from '../backend/backend.js';
import type { Env, Out } from '../core/io.js';
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
      const r = await lab.teardown('run');
      for (const f of teardownSentences(r)) complain(`nsh: ${f}`);
      if (r.failed.length > 0) code = 1;
      else if (r.removed > 0) complain(`nsh: removed what this session made (${objectCount(r.removed)})`);
    }
    lab.close();
  } catch (e) {
    complain(`nsh: ${(e as Error).message}`);
    code = 1;
  }
  return code;
}
