/**
 * One analysis of a document: loaded as `nsh check` loads a file (its includes relative to it),
 * checked by the same dry run, with a Trace following the run. Everything the server answers is
 * read from the latest analysis of a document.
 */
import * as path from 'node:path';
import type { Env } from '../core/io.js';
import type { LabSnapshot } from '../core/snapshot.js';
import { checkAndPicture } from '../pipeline.js';
import type { Program } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { loadText, type FileReader } from '../syntax/load.js';
import type { PieceCache } from '../syntax/piece-cache.js';
import type { Source } from '../syntax/source.js';
import { fileOfUri } from './positions.js';
import { Trace } from './trace.js';

export interface Analysis {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  /** The document's text as nsh's spans refer to it. */
  readonly source: Source;
  readonly program: Program;
  /** The problems, exactly as `nsh check` reports them. */
  readonly diagnostics: readonly Diagnostic[];
  /** The lab the script builds, as the dry run sees it at the end. */
  readonly snapshot: LabSnapshot;
  readonly trace: Trace;
  /** The directory its includes are resolved in. */
  readonly dir: string;
  /** The files it read (its includes, at any depth). */
  readonly files: ReadonlySet<string>;
}

/** How a document is named in messages: as `nsh check` run in the server's working directory would name it. */
export function displayName(uri: string): string {
  const file = fileOfUri(uri);
  if (file === undefined) return uri;
  const rel = path.relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

/** `cache`: the pieces of the document parsed before (only those that changed are parsed again). */
export async function analyze(
  doc: { readonly uri: string; readonly version: number; readonly text: string },
  reader: FileReader,
  env: Env,
  cache?: PieceCache,
): Promise<Analysis> {
  const file = fileOfUri(doc.uri);
  const dir = file === undefined ? process.cwd() : path.dirname(file);
  const files = new Set<string>();
  const recording: FileReader = {
    read(f) {
      files.add(f);
      return reader.read(f);
    },
  };
  const loaded = loadText(displayName(doc.uri), doc.text, dir, recording, file ?? path.resolve(dir, displayName(doc.uri)), cache);
  const source = loaded.program.span.source;
  const trace = new Trace(source);
  const { diagnostics, snapshot } = await checkAndPicture(loaded, { env, observer: trace });
  return { uri: doc.uri, version: doc.version, text: doc.text, source, program: loaded.program, diagnostics, snapshot, trace, dir, files };
}
