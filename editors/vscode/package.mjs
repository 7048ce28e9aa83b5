#!/usr/bin/env node
// Packs the VS Code extension into build/nsh-vscode-VERSION.vsix (`npm run package:vscode`):
// type-checks the client, stages build/vscode/ with the manifest, the language configuration, the
// README, the TextMate grammar copied from grammar/ (the one the repository generates from the
// statement registry) and the client bundled by esbuild with vscode-languageclient inside, then
// runs @vscode/vsce there. Nothing is fetched: the bundle holds the client's dependencies, so vsce
// runs with --no-dependencies.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const stage = join(root, 'build/vscode');
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const out = join(root, `build/nsh-vscode-${version}.vsix`);

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package:vscode: ${[cmd, ...args].join(' ')} failed`);
    process.exit(1);
  }
}

run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', here], root);
rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'syntaxes'), { recursive: true });
for (const f of ['package.json', 'README.md', 'language-configuration.json']) copyFileSync(join(here, f), join(stage, f));
copyFileSync(join(root, 'grammar/nsh.tmLanguage.json'), join(stage, 'syntaxes/nsh.tmLanguage.json'));
await build({
  entryPoints: [join(here, 'src/extension.ts')],
  outfile: join(stage, 'dist/extension.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  minify: true,
  logLevel: 'warning',
});
run(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', out], stage);
