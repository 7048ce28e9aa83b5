/**
 * The VS Code extension (editors/vscode/) packs into a .vsix with `npm run package:vscode`
 * (@vscode/vsce), and the package holds what VS Code needs: the `nsh` language for `*.ns` with its
 * language configuration, the repository's TextMate grammar as it is, and a client bundle that
 * loads (against a stand-in for the `vscode` module), exports activate and deactivate, and starts
 * the server as `nsh lsp` (the command from the `nsh.path` setting).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { repoRoot } from '../helpers/golden.js';

/** The files of a zip archive by name (stored or deflated entries, as vsce writes them). */
function unzip(zip: Buffer): Map<string, Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(data, data + size);
    files.set(name, method === 0 ? raw : inflateRawSync(raw));
    at += 46 + skip;
  }
  return files;
}

describe('the VS Code extension', function () {
  this.timeout(120_000);
  let files: Map<string, Buffer>;

  before(() => {
    const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'editors/vscode/package.json'), 'utf8')) as { version: string };
    const vsix = path.join(repoRoot, `build/nsh-vscode-${version}.vsix`);
    fs.rmSync(vsix, { force: true });
    const r = spawnSync('npm', ['run', '--silent', 'package:vscode'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, `npm run package:vscode failed:\n${r.stdout}\n${r.stderr}`);
    files = unzip(fs.readFileSync(vsix));
  });

  it('contributes the nsh language for *.ns, its configuration and grammar', () => {
    const manifest = JSON.parse(files.get('extension/package.json')!.toString()) as {
      main: string;
      contributes: { languages: { id: string; extensions: string[]; configuration: string }[]; grammars: { language: string; scopeName: string; path: string }[] };
    };
    const [language] = manifest.contributes.languages;
    assert.deepEqual([language!.id, language!.extensions], ['nsh', ['.ns']]);
    const [grammar] = manifest.contributes.grammars;
    assert.deepEqual([grammar!.language, grammar!.scopeName], ['nsh', 'source.nsh']);
    const inPackage = (p: string) => files.get(`extension/${path.posix.normalize(p)}`);
    assert.equal(inPackage(grammar!.path)?.toString(), fs.readFileSync(path.join(repoRoot, 'grammar/nsh.tmLanguage.json'), 'utf8'), 'the grammar is grammar/ as it is');
    const config = JSON.parse(inPackage(language!.configuration)!.toString()) as { comments: { lineComment: string }; brackets: string[][] };
    assert.equal(config.comments.lineComment, '#');
    assert.deepEqual(config.brackets[0], ['{', '}']);
    assert.ok(inPackage(manifest.main), `${manifest.main} is in the package`);
    assert.ok(files.get('extension/readme.md')?.toString().includes('nsh lsp'));
  });

  it('holds a client that loads, exports activate and deactivate, and starts `nsh lsp` (or `<nsh.path> lsp`)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-vsix-'));
    try {
      const main = path.join(dir, 'extension.js');
      fs.writeFileSync(main, files.get('extension/dist/extension.js')!);
      // a stand-in for the `vscode` module: any name is a function, any call or `new` gives it again
      fs.mkdirSync(path.join(dir, 'node_modules/vscode'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'node_modules/vscode/index.js'),
        'const f = new Proxy(function () {}, { get: () => f, apply: () => f, construct: () => f });\n' +
          "module.exports = new Proxy({}, { get: (_t, k) => (k === '__esModule' ? true : f) });\n",
      );
      const ext = createRequire(main)(main) as Record<string, unknown>;
      assert.equal(typeof ext.activate, 'function');
      assert.equal(typeof ext.deactivate, 'function');
      const serverOptions = ext.serverOptions as (path: string | undefined) => unknown;
      assert.deepEqual(serverOptions(undefined), { command: 'nsh', args: ['lsp'] });
      assert.deepEqual(serverOptions('/opt/nsh/bin/nsh'), { command: '/opt/nsh/bin/nsh', args: ['lsp'] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
