/**
 * The language server is a chunk of the bundle of its own (dist/chunks/server-*.js, with
 * vscode-languageserver inside), loaded by `nsh lsp` only: `nsh check` and a run never pay for it.
 * Read from the modules node resolves, logged by a loader hook.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers/lsp-client.js';

/** The URLs of the modules bin/nsh loaded for `args`. */
function modulesLoadedBy(args: string[], input = ''): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-loading-'));
  try {
    const list = path.join(dir, 'modules.txt');
    const loader = path.join(dir, 'loader.mjs');
    fs.writeFileSync(
      loader,
      `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const r = await next(specifier, context);\n  appendFileSync(${JSON.stringify(list)}, r.url + '\\n');\n  return r;\n}\n`,
    );
    const hook = path.join(dir, 'hook.mjs');
    fs.writeFileSync(hook, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(loader).href)});\n`);
    spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, path.join(repoRoot, 'bin/nsh'), ...args], { cwd: repoRoot, input, encoding: 'utf8' });
    return fs.existsSync(list) ? fs.readFileSync(list, 'utf8').split('\n').filter(Boolean) : [];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const server = (urls: string[]) => urls.filter(u => /\/dist\/chunks\/server-[^/]*\.js$/.test(u) || u.includes('vscode-languageserver'));

describe('nsh lsp: what loads it', () => {
  it('nsh check does not load the language server', () => {
    const urls = modulesLoadedBy(['check', 'examples/hello.ns']);
    assert.ok(urls.some(u => u.endsWith('/dist/cli.js')), urls.join('\n'));
    assert.deepEqual(server(urls), []);
  });

  it('nsh lsp does (and ends when its input does)', () => {
    const urls = modulesLoadedBy(['lsp']);
    assert.equal(server(urls).length, 1, urls.join('\n'));
  });
});
