/**
 * The language server is a chunk of the bundle of its own (dist/chunks/server-*.cjs, with
 * vscode-languageserver inside), loaded by `nsh lsp` only: `nsh check` and a run never pay for it.
 * Read from the files of dist/ that bin/nsh read (helpers/loaded-files.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { loadedFiles } from '../helpers/loaded-files.js';

const server = (files: string[]) => files.filter(f => fs.readFileSync(f, 'utf8').includes('node_modules/vscode-languageserver/'));

describe('nsh lsp: what loads it', () => {
  it('nsh check does not load the language server', () => {
    const { files } = loadedFiles(['check', 'examples/hello.ns']);
    assert.ok(files.some(f => f.endsWith('/dist/cli.cjs')), files.join('\n'));
    assert.deepEqual(server(files), []);
  });

  it('nsh lsp does (and ends when its input does)', () => {
    const { files } = loadedFiles(['lsp']);
    assert.equal(server(files).length, 1, files.join('\n'));
  });
});
