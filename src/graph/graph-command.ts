/**
 * `nsh graph FILE.ns|LAB [-o OUT]`: the topology as a picture. An argument that names an existing
 * file is a script (its dry run: no privileges); otherwise a lab that is up (live state, as root).
 * OUT's extension picks the format; DOT on standard output without -o.
 */
import * as fs from 'node:fs';
import type { LabSnapshot } from '../backend/backend.js';
import { labNameOfFile } from '../core/lab.js';
import { fileProblem } from '../core/io.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { FORMATS, formatOf, render, type GraphFormat } from './render.js';
import type { LabReader } from './live-lab.js';
import { topologyOf } from './topology.js';

export interface GraphCommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly complain: (s: string) => void;
  readonly report: (ds: readonly Diagnostic[]) => void;
  /** Undefined when the process may read a lab; otherwise the sentence why not. */
  readonly missingPrivileges: () => string | undefined;
  /** The backend that reads a lab from the kernel (the command line gives the Linux one). */
  readonly backend: () => Promise<LabReader>;
}

/** A script's lab, from the dry run that checks it (no privileges, nothing changed). */
async function snapshotOfFile(file: string, io: GraphCommandIo): Promise<LabSnapshot | number> {
  const { checkAndPicture, loadScript } = await import('../pipeline.js');
  const { diagnostics, snapshot } = await checkAndPicture(loadScript(file), { env: io.env });
  if (diagnostics.length > 0) {
    io.report(diagnostics);
    return 2;
  }
  return snapshot;
}

async function snapshotOfLab(lab: string, io: GraphCommandIo): Promise<LabSnapshot | number> {
  const missing = io.missingPrivileges();
  if (missing) {
    io.complain(`nsh: reading a lab ${missing.replace(/^building a lab /, '')}`);
    return 1;
  }
  const { labNamespaces, noSuchLab, readLab } = await import('./live-lab.js');
  const backend = await io.backend();
  try {
    if (labNamespaces(lab, backend) === undefined) {
      io.complain(`nsh: ${noSuchLab(lab)}; to draw a script, give its file`);
      return 1;
    }
    backend.forLab?.(lab);
    return await readLab(lab, backend);
  } finally {
    backend.close?.();
  }
}

export async function graphCommand(args: readonly string[], out: string | undefined, io: GraphCommandIo): Promise<number> {
  if (args.length !== 1) {
    io.complain(`nsh: graph takes one file or lab${args.length > 1 ? `, got ${args.join(' ')}` : ''}\nTry 'nsh --help'.`);
    return 2;
  }
  let format: GraphFormat = 'dot';
  if (out !== undefined) {
    const f = formatOf(out);
    if (!f) {
      io.complain(`nsh: cannot tell the format of ${out}: give it one of the extensions ${FORMATS.map(x => '.' + x).join(' ')}`);
      return 2;
    }
    format = f;
  }
  const arg = args[0]!;
  const isFile = fs.existsSync(arg) && fs.statSync(arg).isFile();
  const snap = isFile ? await snapshotOfFile(arg, io) : await snapshotOfLab(arg, io);
  if (typeof snap === 'number') return snap;
  const text = await render(topologyOf(snap, { lab: isFile ? labNameOfFile(arg) : arg }), format);
  if (out === undefined) {
    io.stdout.write(text);
    return 0;
  }
  try {
    fs.writeFileSync(out, text);
  } catch (e) {
    io.complain(`nsh: cannot write ${out}: ${fileProblem(e, 'write')}`);
    return 1;
  }
  return 0;
}
