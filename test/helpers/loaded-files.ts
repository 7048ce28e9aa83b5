/**
 * The files of dist/ that bin/nsh read for a command: the bundle's loader (dist/load.cjs) reads
 * each file it compiles, so a --require hook on readFileSync logs every module that was loaded.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * `mark`: a text bin/nsh writes on its standard output (the REPL's prompt); `marked` is then how
 * many of `files` it had read before it first wrote it (undefined when it never did).
 */
export function loadedFiles(
  args: readonly string[],
  input = '',
  opts: { readonly mark?: string; readonly env?: NodeJS.ProcessEnv } = {},
): { files: string[]; marked?: number; status: number | null; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-loaded-'));
  try {
    const list = path.join(dir, 'loaded.txt');
    const hook = path.join(dir, 'hook.cjs');
    fs.writeFileSync(
      hook,
      `const fs = require('node:fs');\nconst read = fs.readFileSync;\nfs.readFileSync = function (f, ...rest) {\n  if (typeof f === 'string') fs.appendFileSync(${JSON.stringify(list)}, f + '\\n');\n  return read.call(this, f, ...rest);\n};\n${opts.mark === undefined ? '' : markHook(list, opts.mark)}`,
    );
    const r = spawnSync(path.join(repoRoot, 'bin/nsh'), args, {
      cwd: repoRoot,
      input,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ...opts.env, NODE_OPTIONS: `--require ${hook}` },
    });
    const read = fs.existsSync(list) ? fs.readFileSync(list, 'utf8').split('\n') : [];
    const ours = (f: string) => f.startsWith(path.join(repoRoot, 'dist')) && f.endsWith('.cjs');
    const files = read.filter(ours);
    const at = read.indexOf(MARKED);
    return { files, ...(at < 0 ? {} : { marked: read.slice(0, at).filter(ours).length }), status: r.status, stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const MARKED = '(marked)';

/** Hook code that logs MARKED when process.stdout first writes `mark` (node makes the stream when first asked). */
function markHook(list: string, mark: string): string {
  return `const made = Object.getOwnPropertyDescriptor(process, 'stdout');
let seen = false;
Object.defineProperty(process, 'stdout', { configurable: true, get() {
  const s = made.get.call(process);
  if (!seen) {
    seen = true;
    const write = s.write;
    s.write = function (c, ...rest) {
      if (String(c).includes(${JSON.stringify(mark)})) fs.appendFileSync(${JSON.stringify(list)}, ${JSON.stringify(MARKED)} + '\\n');
      return write.call(this, c, ...rest);
    };
  }
  return s;
} });
`;
}
