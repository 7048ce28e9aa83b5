/**
 * The editor grammar (grammar/nsh.tmLanguage.json, the one the VS Code extension ships) run by
 * VS Code's own engine (vscode-textmate over the Oniguruma regexes of vscode-oniguruma) on every
 * example: each example's tokens and their scopes are the golden file
 * test/lsp/golden/textmate/PATH.tokens (PATH under examples/, without `.ns`; UPDATE_GOLDEN=1
 * rewrites them). Beside the goldens, the kinds of words the grammar must tell apart, checked by
 * name: keywords, option words, endpoints, addresses, strings, comments, variables.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import oniguruma from 'vscode-oniguruma';
import textmate from 'vscode-textmate';
import { expectGolden, repoRoot } from '../helpers/golden.js';

const require = createRequire(import.meta.url);
const golden = path.join(repoRoot, 'test/lsp/golden/textmate');

/** Every .ns file under `dir`, as a path relative to it. */
function scriptsUnder(dir: string, under = ''): string[] {
  return fs
    .readdirSync(path.join(dir, under), { withFileTypes: true })
    .flatMap(e => (e.isDirectory() ? scriptsUnder(dir, path.join(under, e.name)) : e.name.endsWith('.ns') ? [path.join(under, e.name)] : []));
}

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async scopeName => {
      if (scopeName !== 'source.nsh') return null;
      const file = path.join(repoRoot, 'grammar/nsh.tmLanguage.json');
      return textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const grammar = await registry.loadGrammar('source.nsh');
  assert.ok(grammar, 'the grammar loads');
  return grammar;
}

interface Token {
  readonly text: string;
  /** Its scopes, innermost last, without the grammar's own source.nsh. */
  readonly scopes: readonly string[];
}

/** The tokens of each line, blanks without a scope left out. */
function tokenize(grammar: textmate.IGrammar, text: string): Token[][] {
  let stack = textmate.INITIAL;
  return text.split('\n').map(line => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens
      .map(t => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes.filter(s => s !== 'source.nsh') }))
      .filter(t => t.text.trim() !== '' || t.scopes.length > 0);
  });
}

/** The golden form: each line that has tokens, then each token with its scopes. */
function render(text: string, lines: readonly Token[][]): string {
  const source = text.split('\n');
  const out: string[] = [];
  lines.forEach((tokens, i) => {
    if (tokens.length === 0) return;
    out.push(`${i + 1}: ${source[i]}`);
    for (const t of tokens) out.push(`  ${JSON.stringify(t.text)} ${t.scopes.join(' ') || '-'}`);
  });
  return `${out.join('\n')}\n`;
}

/** The innermost scope of the token that holds `word` on a one-line script (the first such token). */
function scopeOf(lines: readonly Token[][], word: string): string {
  for (const tokens of lines) for (const t of tokens) if (t.text === word) return t.scopes.join(' ');
  throw new Error(`no token ${JSON.stringify(word)} in ${JSON.stringify(lines)}`);
}

describe('the editor grammar (vscode-textmate)', () => {
  let grammar: textmate.IGrammar;
  before(async () => {
    grammar = await loadGrammar();
  });

  const examples = scriptsUnder(path.join(repoRoot, 'examples')).sort();

  it('has no golden file for a script that is gone', () => {
    assert.ok(examples.length >= 10, `${examples.length} examples`);
    const expected = new Set(examples.map(e => e.replace(/\.ns$/, '.tokens')));
    const have = fs.existsSync(golden) ? (fs.readdirSync(golden, { recursive: true }) as string[]).filter(f => f.endsWith('.tokens')) : [];
    assert.deepEqual(have.filter(f => !expected.has(f)), [], 'golden files without an example');
  });

  for (const example of examples) {
    it(`tokenizes examples/${example} as its golden file says`, () => {
      const text = fs.readFileSync(path.join(repoRoot, 'examples', example), 'utf8');
      expectGolden(path.join(golden, example.replace(/\.ns$/, '.tokens')), render(text, tokenize(grammar, text)));
    });
  }

  it('tells keywords, option words, endpoints, addresses, strings, comments and variables apart', () => {
    const t = (s: string) => tokenize(grammar, s);
    const veth = t('veth a.v0 <-> b.v0 10.1.1.1/24 mtu 1400 # a link');
    assert.equal(scopeOf(veth, 'veth'), 'keyword.other.statement.nsh');
    assert.equal(scopeOf(veth, 'a'), 'meta.endpoint.nsh entity.name.namespace.nsh');
    assert.equal(scopeOf(veth, 'v0'), 'meta.endpoint.nsh entity.name.interface.nsh');
    assert.equal(scopeOf(veth, '<->'), 'keyword.operator.veth.nsh');
    assert.equal(scopeOf(veth, '10.1.1.1/24'), 'constant.numeric.address.ipv4.nsh');
    assert.equal(scopeOf(veth, 'mtu'), 'keyword.other.modifier.nsh');
    assert.equal(scopeOf(veth, ' a link'), 'comment.line.number-sign.nsh');
    assert.equal(scopeOf(t('addr a.v0 fd00::1/64'), 'fd00::1/64'), 'constant.numeric.address.ipv6.nsh');
    const strings = t(`echo "hi $name" 'as $is'`);
    assert.equal(scopeOf(strings, 'hi '), 'string.quoted.double.nsh');
    assert.equal(scopeOf(strings, 'name'), 'string.quoted.double.nsh variable.other.nsh');
    assert.equal(scopeOf(strings, 'as $is'), 'string.quoted.single.nsh');
    const loop = t('for i in 1..3 { ns h$i }');
    assert.equal(scopeOf(loop, 'for'), 'keyword.control.loop.for.nsh');
    assert.equal(scopeOf(loop, 'i'), 'variable.other.loop.nsh');
    assert.equal(scopeOf(loop, '{'), 'punctuation.section.block.begin.nsh');
    const def = t('def host N {');
    assert.equal(scopeOf(def, 'host'), 'entity.name.function.nsh');
    assert.equal(scopeOf(def, 'N'), 'variable.parameter.nsh');
    // a keyword is one only where a statement starts
    assert.deepEqual(t('ns veth')[0]![1], { text: ' veth', scopes: [] });
  });
});
