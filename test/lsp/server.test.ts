/**
 * `nsh lsp` driven as an editor drives it: bin/nsh lsp as a child process, spoken to over its
 * standard input and output (vscode-languageserver-protocol's client side).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionItem, Diagnostic, DocumentSymbol, Hover, Location, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { repoRoot, startLsp, type LspSession } from '../helpers/lsp-client.js';

/** `nsh check`'s problems, each as the protocol's place (0-based) and text: the message, and the hint below it. */
function checkProblems(dir: string, file: string): { line: number; character: number; width: number; file: string; text: string }[] {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/nsh'), 'check', file], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const out: { line: number; character: number; width: number; file: string; text: string }[] = [];
  for (const line of r.stderr.split('\n')) {
    const head = /^(.+?):(\d+):(\d+): error: (.*)$/.exec(line);
    if (head) out.push({ file: head[1]!, line: Number(head[2]) - 1, character: Number(head[3]) - 1, width: 0, text: head[4]! });
    const caret = /^\s+\| *(\^+)$/.exec(line);
    if (caret) out[out.length - 1]!.width = caret[1]!.length;
    const hint = /^ {2}hint: (.*)$/.exec(line);
    if (hint) out[out.length - 1]!.text += `\nhint: ${hint[1]}`;
  }
  return out;
}

const BROKEN = `# a lab with problems
def host NAME NET {
  ns $NAME
  veth r.$NAME 10.0.$NET.1/24 <-> $NAME.eth0 10.0.$NET.2/24
}
ns r a
host h1 1
veth a.v0 <-> r.v1 10.1.1.1/24 mtu 9000
veth a.v1 <-> <->
addr a.nope 10.9.9.9/24
route a default via 10.7.7.1
ns a
include "common.ns"
`;

const COMMON = `ns c
veth c.v0 <-> nowhere
`;

describe('nsh lsp', function () {
  this.timeout(60000);
  let dir: string;
  let lsp: LspSession;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-lsp-'));
    fs.writeFileSync(path.join(dir, 'lab.ns'), BROKEN);
    fs.writeFileSync(path.join(dir, 'common.ns'), COMMON);
    lsp = await startLsp({ cwd: dir });
  });

  after(async () => {
    await lsp.close();
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(lsp.stderr(), '');
  });

  const at = (uri: string, line: number, character: number) => ({ textDocument: { uri }, position: { line, character } });

  it('answers initialize with what it can do', async () => {
    // (startLsp initialized it; a second server shows the answer)
    const other = await startLsp({ cwd: dir });
    const r = (await other.connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} })) as { capabilities: Record<string, unknown> };
    await other.close();
    for (const c of ['completionProvider', 'hoverProvider', 'definitionProvider', 'documentSymbolProvider', 'renameProvider']) assert.ok(r.capabilities[c], c);
  });

  it("publishes on open exactly nsh check's problems, each at its range", async () => {
    const uri = lsp.open('lab.ns', BROKEN);
    const got = await lsp.diagnostics(uri, 1);
    const want = checkProblems(dir, 'lab.ns');
    assert.ok(want.length >= 5, JSON.stringify(want));
    assert.equal(got.length, want.length, JSON.stringify(got.map(d => d.message)));
    want.forEach((w, i) => {
      const d = got[i]!;
      if (w.file === 'lab.ns') {
        assert.deepEqual([d.range.start.line, d.range.start.character, d.message], [w.line, w.character, w.text]);
        if (d.range.end.line === d.range.start.line) assert.equal(d.range.end.character - d.range.start.character, w.width);
      } else {
        // a problem of an included file: on the include, with its place in front
        assert.equal(d.message, `${w.file}:${w.line + 1}:${w.character + 1}: ${w.text}`);
        assert.equal(d.range.start.line, 12);
        assert.equal(d.relatedInformation?.[0]?.location.uri, pathToFileURL(path.join(dir, 'common.ns')).href);
        assert.deepEqual(d.relatedInformation?.[0]?.location.range.start, { line: w.line, character: w.character });
      }
    });
  });

  it('publishes them again after an edit, for the new text', async () => {
    const uri = pathToFileURL(path.join(dir, 'lab.ns')).href;
    // fix line 9 (veth a.v1 <-> <->) and break line 7's mtu
    const v2 = lsp.change(uri, [
      { range: { start: { line: 8, character: 14 }, end: { line: 8, character: 17 } }, text: 'r.v2' },
      { range: { start: { line: 7, character: 35 }, end: { line: 7, character: 39 } }, text: '99999' },
    ]);
    const got = await lsp.diagnostics(uri, v2);
    const messages = got.map(d => `${d.range.start.line}: ${String(d.message).split('\n')[0]}`);
    assert.ok(!messages.some(m => m.startsWith('8:')), messages.join('\n'));
    assert.ok(messages.some(m => m.startsWith('7:') && m.includes('99999')), messages.join('\n'));
    // and what the file would say to nsh check with that text
    const text = BROKEN.split('\n');
    text[8] = 'veth a.v1 <-> r.v2';
    text[7] = text[7]!.replace('mtu 9000', 'mtu 99999');
    fs.writeFileSync(path.join(dir, 'edited.ns'), text.join('\n'));
    const want = checkProblems(dir, 'edited.ns');
    assert.deepEqual(got.map(d => d.message), want.map(w => (w.file === 'edited.ns' ? w.text : `${w.file}:${w.line + 1}:${w.character + 1}: ${w.text}`)));
  });

  it('keeps every problem after a broken line, and moves them with their lines in a long document', async () => {
    // 300 lines, so the text is parsed in pieces, and kept pieces are moved after an edit above them
    const body = Array.from({ length: 300 }, (_, i) => `ns n${i}`);
    body[250] = 'ns n7';
    const uri = lsp.open('long.ns', `${body.join('\n')}\n`);
    const lines = async (version: number) => (await lsp.diagnostics(uri, version)).map(d => `${d.range.start.line}:${d.range.start.character} ${String(d.message).split('\n')[0]}`);
    assert.deepEqual(await lines(1), ['250:3 namespace "n7" already exists in this lab']);
    // a line put in at the top, and a broken statement below it
    const v2 = lsp.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'ns top\nveth top.v0 <-> <->\n' }]);
    const after = await lines(v2);
    assert.equal(after.length, 2, after.join('\n'));
    assert.match(after[0]!, /^1:\d+ /);
    assert.equal(after[1], '252:3 namespace "n7" already exists in this lab');
    // the same as nsh check says of that text
    fs.writeFileSync(path.join(dir, 'long-edited.ns'), `ns top\nveth top.v0 <-> <->\n${body.join('\n')}\n`);
    assert.deepEqual(
      after,
      checkProblems(dir, 'long-edited.ns').map(w => `${w.line}:${w.character} ${w.text.split('\n')[0]}`),
    );
    // taken out again: back to the first text
    const v3 = lsp.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }, text: '' }]);
    assert.deepEqual(await lines(v3), ['250:3 namespace "n7" already exists in this lab']);
  });

  it("completes after `veth a.` with a's interfaces at that point of the script", async () => {
    const uri = lsp.open('complete.ns', 'ns a b\nveth a.v0 <-> b.v0\nveth a.v1 <-> b.v1\nveth a.\nveth a.v9 <-> b.v9\n');
    await lsp.diagnostics(uri, 1);
    const items = (await lsp.connection.sendRequest('textDocument/completion', at(uri, 3, 7))) as CompletionItem[];
    assert.deepEqual(items.map(i => i.label), ['a.lo', 'a.v0', 'a.v1']);
    assert.deepEqual(items[1]!.textEdit, { range: { start: { line: 3, character: 5 }, end: { line: 3, character: 7 } }, newText: 'a.v0' });
  });

  it('completes while the analysis is older than the text: the lines before are the same', async () => {
    const uri = lsp.open('typing.ns', 'ns a b\nveth a.v0 <-> b.v0\n');
    await lsp.diagnostics(uri, 1);
    lsp.change(uri, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'addr b.' }]);
    const items = (await lsp.connection.sendRequest('textDocument/completion', at(uri, 2, 7))) as CompletionItem[];
    assert.deepEqual(items.map(i => i.label), ['b.lo', 'b.v0']);
  });

  it("completes statements, a statement's option words, namespaces, variables, defs and include files", async () => {
    const text = 'let net = 10.0.0\ndef mk N { ns $N }\nns a b\nveth a.v0 <-> b.v0 10.0.0.1/24 \nm\n$n\nin \ninclude "c\n';
    const uri = lsp.open('kinds.ns', text);
    await lsp.diagnostics(uri, 1);
    const labels = async (line: number, character: number) =>
      ((await lsp.connection.sendRequest('textDocument/completion', at(uri, line, character))) as CompletionItem[]).map(i => i.label);
    const options = await labels(3, 31);
    for (const o of ['mtu', 'delay', 'loss', 'rate']) assert.ok(options.includes(o), `${o} in ${options.join(' ')}`);
    assert.deepEqual(await labels(4, 1), ['machine', 'macvlan', 'mk', 'move']);
    assert.deepEqual(await labels(5, 2), ['$net']);
    assert.deepEqual(await labels(6, 3), ['a', 'b', 'host', 'pid']);
    assert.deepEqual(await labels(7, 10), ['"common.ns']);
    const start = ((await lsp.connection.sendRequest('textDocument/completion', at(uri, 4, 0))) as CompletionItem[]).find(i => i.label === 'veth');
    assert.match(String(start?.detail), /veth pair/);
  });

  it('hovers a veth line with its help and its ip commands', async () => {
    const uri = pathToFileURL(path.join(dir, 'complete.ns')).href;
    const h = (await lsp.connection.sendRequest('textDocument/hover', at(uri, 1, 1))) as Hover;
    const text = (h.contents as { value: string }).value;
    assert.match(text, /\*\*veth\*\* — a veth pair/);
    assert.match(text, /ip -n a link add name v0 type veth peer name v0 netns b/);
    assert.match(text, /ip -n b link set dev v0 up/);
  });

  it("hovers a variable with its values, a namespace with its links, an option word with its help", async () => {
    const text = 'ns a b\nfor i in 1..3 {\n  veth a.v$i <-> b.v$i\n}\nveth a.x <-> b.x mtu 1400\n';
    const uri = lsp.open('hover.ns', text);
    await lsp.diagnostics(uri, 1);
    const hover = async (line: number, character: number) =>
      ((await lsp.connection.sendRequest('textDocument/hover', at(uri, line, character))) as Hover | null)?.contents as { value: string } | undefined;
    assert.equal((await hover(2, 11))?.value, '`$i` = `1`, `2`, `3` (each run)');
    const ns = (await hover(0, 3))?.value ?? '';
    assert.match(ns, /namespace \*\*a\*\*/);
    for (const l of ['v1', 'v2', 'v3', 'x']) assert.match(ns, new RegExp(`\`${l}\` veth · peer b\\.${l}`));
    assert.match((await hover(4, 18))?.value ?? '', /`mtu N` — the MTU of both ends/);
  });

  it('goes from a call to its def, from an endpoint to the statement that made it, from an include to its file', async () => {
    const uri = pathToFileURL(path.join(dir, 'lab.ns')).href;
    const def = (await lsp.connection.sendRequest('textDocument/definition', at(uri, 6, 1))) as Location[];
    assert.deepEqual(def, [{ uri, range: { start: { line: 1, character: 4 }, end: { line: 1, character: 8 } } }]);
    // h1.eth0 was made by the def's veth, through $NAME.eth0
    const text = BROKEN + 'up h1.eth0\n';
    const v = lsp.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 13, character: 0 } }, text }]);
    await lsp.diagnostics(uri, v);
    const made = (await lsp.connection.sendRequest('textDocument/definition', at(uri, 13, 6))) as Location[];
    assert.deepEqual(made, [{ uri, range: { start: { line: 3, character: 34 }, end: { line: 3, character: 44 } } }]);
    const ns = (await lsp.connection.sendRequest('textDocument/definition', at(uri, 13, 4))) as Location[];
    assert.deepEqual(ns, [{ uri, range: { start: { line: 2, character: 5 }, end: { line: 2, character: 10 } } }]);
    const inc = (await lsp.connection.sendRequest('textDocument/definition', at(uri, 12, 10))) as Location[];
    assert.equal(inc[0]?.uri, pathToFileURL(path.join(dir, 'common.ns')).href);
  });

  it("goes from a variable to its let, its loop or its def's parameter", async () => {
    const text = 'let net = 10\nfor i in 1..2 {\n  ns h$i\n}\ndef mk N {\n  ns ${N}x\n}\necho $net\n';
    const uri = lsp.open('vars.ns', text);
    await lsp.diagnostics(uri, 1);
    const definition = async (line: number, character: number) =>
      ((await lsp.connection.sendRequest('textDocument/definition', at(uri, line, character))) as Location[]).map(l => [l.range.start.line, l.range.start.character, l.range.end.character]);
    assert.deepEqual(await definition(2, 7), [[1, 4, 5]]);
    assert.deepEqual(await definition(5, 8), [[4, 7, 8]]);
    assert.deepEqual(await definition(7, 7), [[0, 4, 7]]);
  });

  it('renames a namespace and a def at every use', async () => {
    const text = 'def mk N {\n  ns $N\n}\nmk a\nns b\nveth a.v0 <-> b.v0\nin a ping 10.0.0.1\nroute a default dev v0\nmk c\n';
    const uri = lsp.open('rename.ns', text);
    await lsp.diagnostics(uri, 1);
    const edit = (await lsp.connection.sendRequest('textDocument/rename', { ...at(uri, 5, 5), newName: 'alpha' })) as WorkspaceEdit;
    const lines = text.split('\n');
    const apply = (e: WorkspaceEdit) => {
      const out = [...lines];
      for (const t of [...e.changes![uri]!].sort((x, y) => y.range.start.character - x.range.start.character)) {
        const l = out[t.range.start.line]!;
        out[t.range.start.line] = l.slice(0, t.range.start.character) + t.newText + l.slice(t.range.end.character);
      }
      return out.join('\n');
    };
    assert.equal(apply(edit), 'def mk N {\n  ns $N\n}\nmk alpha\nns b\nveth alpha.v0 <-> b.v0\nin alpha ping 10.0.0.1\nroute alpha default dev v0\nmk c\n');
    const def = (await lsp.connection.sendRequest('textDocument/rename', { ...at(uri, 8, 0), newName: 'make' })) as WorkspaceEdit;
    assert.equal(apply(def), 'def make N {\n  ns $N\n}\nmake a\nns b\nveth a.v0 <-> b.v0\nin a ping 10.0.0.1\nroute a default dev v0\nmake c\n');
    await assert.rejects(lsp.connection.sendRequest('textDocument/prepareRename', at(uri, 6, 6)), /only a namespace or a def/);
    await assert.rejects(lsp.connection.sendRequest('textDocument/rename', { ...at(uri, 4, 3), newName: '1x' }), /cannot name a namespace/);
  });

  it('lists namespaces, defs and links as document symbols', async () => {
    const uri = pathToFileURL(path.join(dir, 'rename.ns')).href;
    const symbols = (await lsp.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
    assert.deepEqual(
      symbols.map(s => [s.name, s.detail, (s.children ?? []).map(c => c.name)]),
      [['mk', 'N', ['$N']], ['b', 'namespace', []], ['a.v0 <-> b.v0', 'veth', []]],
    );
  });

  it('says nothing for a document once it is closed', async () => {
    const uri = pathToFileURL(path.join(dir, 'hover.ns')).href;
    void lsp.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.deepEqual(await lsp.diagnostics(uri), [] as Diagnostic[]);
  });
});
