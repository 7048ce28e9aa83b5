#!/usr/bin/env node
// Draws docs/images/editor.png: an nsh script as an editor shows it, with the problem and the
// completion list the language server gives for it. The script is highlighted by the repository's
// TextMate grammar (grammar/nsh.tmLanguage.json) through shiki; the squiggle, its message and the
// completion list are what `bin/nsh lsp` publishes and answers over the protocol, asked as an
// editor asks (the tests' client); headless Chromium shoots the page.
// Needs a build (npm run build) and /usr/bin/chromium.   node editors/screenshot.mjs [OUT.png]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHighlighter } from 'shiki';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? join(root, 'docs/images/editor.png');
const { startLsp } = await import(join(root, 'build/test/helpers/lsp-client.js'));
const { launchChromium } = await import(join(root, 'build/test/helpers/browser.js'));

// the script, with `veth r.` being typed on its last line
const TEXT = `# two hosts behind a router
def host NAME NET {
  ns $NAME
  veth r.$NAME 10.0.$NET.1/24 <-> $NAME.eth0 10.0.$NET.2/24 mtu 1400
  route $NAME default via 10.0.$NET.1
}
ns r
addr r.eth1 10.0.9.1/24
forward r
host h1 1
host h2 2
in h1 ping -c 1 "10.0.2.2"

veth r.`;
const lines = TEXT.split('\n');
const cursor = { line: lines.length - 1, character: lines[lines.length - 1].length };

const dir = mkdtempSync(join(tmpdir(), 'nsh-editor-shot-'));
const lsp = await startLsp({ cwd: dir });
const uri = lsp.open('lab.ns', TEXT);
const diagnostics = (await lsp.diagnostics(uri, 1)).filter(d => d.range.start.line < cursor.line);
const items = await lsp.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: cursor });
await lsp.close();
rmSync(dir, { recursive: true, force: true });
if (diagnostics.length === 0 || items.length === 0) throw new Error('no diagnostic or no completion to show');

const grammar = JSON.parse(readFileSync(join(root, 'grammar/nsh.tmLanguage.json'), 'utf8'));
const highlighter = await createHighlighter({ themes: ['dark-plus'], langs: [{ ...grammar, name: 'nsh' }] });
const tokens = highlighter.codeToTokensBase(TEXT, { lang: 'nsh', theme: 'dark-plus' });
const esc = s => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const problem = diagnostics[0];
const code = tokens
  .map((line, i) => {
    let col = 0;
    const r = problem.range;
    const spans = line.map(t => {
      const start = col;
      col += t.content.length;
      // the part of the token under the problem's range is underlined
      const from = i === r.start.line ? Math.min(Math.max(r.start.character - start, 0), t.content.length) : t.content.length;
      const to = i === r.start.line ? Math.min(Math.max(r.end.character - start, 0), t.content.length) : t.content.length;
      const part = (text, cls = '') => (text === '' ? '' : `<span style="color:${t.color}"${cls}>${esc(text)}</span>`);
      return part(t.content.slice(0, from)) + part(t.content.slice(from, to), ' class="squiggle"') + part(t.content.slice(to));
    });
    const caret = i === cursor.line ? '<span class="cursor"></span>' : '';
    return `<div class="line"><span class="no">${i + 1}</span>${spans.join('')}${caret}</div>`;
  })
  .join('');
const message = esc(String(problem.message)).replace(/\n/g, '<br>');
const list = items
  .slice(0, 6)
  .map((it, i) => `<div class="item${i === 0 ? ' sel' : ''}"><span class="icon">◇</span>${esc(it.label)}<span class="detail">${esc(it.detail ?? '')}</span></div>`)
  .join('');

const CH = 8.4; // a character's width in the font below
const LH = 20;
const html = `<!doctype html><meta charset="utf-8"><style>
body { margin: 0; background: #1e1e1e; font: 14px/20px 'DejaVu Sans Mono', monospace; color: #d4d4d4; }
.editor { position: relative; padding: 12px 0; width: 900px; }
.line { white-space: pre; height: ${LH}px; }
.no { display: inline-block; width: 44px; padding-right: 16px; text-align: right; color: #858585; }
.squiggle { text-decoration: underline wavy #f14c4c; text-underline-offset: 3px; }
.cursor { display: inline-block; width: 2px; height: 18px; background: #aeafad; vertical-align: -4px; }
.hover { position: absolute; left: ${60 + problem.range.start.character * CH}px; top: ${12 + (problem.range.start.line + 1) * LH + 2}px;
  background: #252526; border: 1px solid #454545; padding: 6px 10px; color: #cccccc; max-width: 560px; white-space: normal; }
.hover .src { color: #f14c4c; }
.suggest { position: absolute; left: ${60 + (cursor.character - 2) * CH}px; top: ${12 + (cursor.line + 1) * LH + 2}px;
  background: #252526; border: 1px solid #454545; width: 420px; }
.item { padding: 0 8px; height: 22px; line-height: 22px; }
.item.sel { background: #04395e; }
.icon { color: #75beff; margin-right: 6px; }
.detail { float: right; color: #9d9d9d; font-size: 12px; }
</style><div class="editor">${code}
<div class="hover"><span class="src">nsh</span> ${message}</div>
<div class="suggest">${list}</div></div>`;

const { browser, close } = await launchChromium();
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 900, height: 12 * 2 + (lines.length + 6) * LH, deviceScaleFactor: 1 });
  await page.setContent(html);
  await page.screenshot({ path: out });
} finally {
  await close();
}
console.log(`wrote ${out}: ${diagnostics.length} problem(s), ${items.length} completion(s) (${items.map(i => i.label).join(' ')})`);
