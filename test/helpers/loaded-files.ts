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

export function loadedFiles(args: readonly string[], input = ''): { files: string[]; status: number | null; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-loaded-'));
  try {
    const list = path.join(dir, 'loaded.txt');
    const hook = path.join(dir, 'hook.cjs');
    fs.writeFileSync(
      hook,
      `const fs = require('node:fs');\nconst read = fs.readFileSync;\nfs.readFileSync = function (f, ...rest) {\n  if (typeof f === 'string') fs.appendFileSync(${JSON.stringify(list)}, f + '\\n');\n  return read.call(this, f, ...rest);\n};\n`,
    );
    const r = spawnSync(path.join(repoRoot, 'bin/nsh'), args, {
      cwd: repoRoot,
      input,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--require ${hook}` },
    });
    const read = fs.existsSync(list) ? fs.readFileSync(list, 'utf8').split('\n') : [];
    const files = read.filter(f => f.startsWith(path.join(repoRoot, 'dist')) && f.endsWith('.cjs'));
    return { files, status: r.status, stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
