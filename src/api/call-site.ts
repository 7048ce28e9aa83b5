/**
 * Where in the embedding program a call was written: the file, line and column V8 reports for
 * the caller's frame. For a tagged template that is the template's opening backtick, so the
 * template's text can be placed in its file and its diagnostics point into it.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Site {
  /** The file, relative to the working directory when inside it. */
  readonly file: string;
  /** The file's absolute path. */
  readonly path: string;
  /** The directory a template's includes resolve against. */
  readonly dir: string;
  readonly line: number;
  /** 1-based. */
  readonly col: number;
}

const FRAME = /\(?((?:file:\/\/)?\/[^()]*?):(\d+):(\d+)\)?$/;

/** The place of the call to `fn` (the first frame above it), when the stack tells. */
export function callSite(fn: (...args: never[]) => unknown): Site | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  try {
    Error.captureStackTrace(holder, fn);
  } finally {
    Error.stackTraceLimit = limit;
  }
  const frame = holder.stack?.split('\n')[1]?.trim();
  const m = frame ? FRAME.exec(frame) : null;
  if (!m) return undefined;
  let file = m[1]!;
  try {
    if (file.startsWith('file://')) file = fileURLToPath(file);
  } catch {
    return undefined;
  }
  const rel = path.relative(process.cwd(), file);
  return { file: rel && !rel.startsWith('..') ? rel : file, path: file, dir: path.dirname(file), line: Number(m[2]), col: Number(m[3]) };
}
