// Draws nsh's railroad diagrams into grammar/diagrams.html with Chevrotain's own renderer, and checks
// that grammar/nsh.ebnf still describes the parser: the same rule names, the same keywords, and no
// reference to an undefined rule. Exits 1 (saying what differs) if the check fails.
//
// Needs a build first:  npx tsc -p . && node scripts/gen-diagrams.mjs
// Options: --check  only check, do not write the html.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createSyntaxDiagramsCode } from 'chevrotain';

const root = fileURLToPath(new URL('..', import.meta.url));
const ebnfPath = `${root}grammar/nsh.ebnf`;
const htmlPath = `${root}grammar/diagrams.html`;
const checkOnly = process.argv.includes('--check');

let parserModule, keywordsModule;
try {
  parserModule = await import('../build/src/syntax/parser.js');
  keywordsModule = await import('../build/src/syntax/keywords.js');
} catch (e) {
  console.error(`gen-diagrams: cannot load the compiled parser (${e.message}); run \`npx tsc -p .\` first`);
  process.exit(2);
}

const parser = parserModule.theParser();
const productions = parser.getSerializedGastProductions();
const parserRules = productions.map(p => p.name);

/** The EBNF text with comments, terminals and ? special sequences ? blanked out, and the terminals. */
function scanEbnf(text) {
  const terminals = [];
  const code = text.replace(/\(\*[\s\S]*?\*\)|"[^"\n]*"|'[^'\n]*'|\?[^?]*\?/g, m => {
    if (m[0] === '"' || m[0] === "'") terminals.push(m.slice(1, -1));
    return ' '.repeat(m.length);
  });
  return { code, terminals };
}

const { code, terminals } = scanEbnf(await readFile(ebnfPath, 'utf8'));
const defined = [...code.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)].map(m => m[1]);
// camelCase names are syntactic rules (parser rules); UPPER_CASE names are lexical rules
const ebnfRules = defined.filter(n => /^[a-z]/.test(n));

const problems = [];
const missing = (from, inSet) => from.filter(n => !inSet.includes(n));
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
for (const n of missing(parserRules, ebnfRules)) problems.push(`parser rule "${n}" is missing from grammar/nsh.ebnf`);
for (const n of missing(ebnfRules, parserRules)) problems.push(`grammar/nsh.ebnf rule "${n}" is not a parser rule`);
const dups = defined.filter((n, i) => defined.indexOf(n) !== i);
for (const n of new Set(dups)) problems.push(`grammar/nsh.ebnf defines "${n}" more than once`);

// every name used on a right-hand side must be defined
const body = code.replace(/^([A-Za-z_][A-Za-z0-9_]*)\s*=/gm, m => ' '.repeat(m.length));
const used = new Set(body.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
for (const n of used) if (!defined.includes(n)) problems.push(`grammar/nsh.ebnf uses "${n}" but never defines it`);

// the quoted lower-case words of the EBNF are exactly the lexer's keywords
const ebnfKeywords = [...new Set(terminals.filter(t => /^[a-z]+$/.test(t)))].sort();
const lexerKeywords = [...keywordsModule.keywordNames].sort();
for (const k of missing(lexerKeywords, ebnfKeywords)) problems.push(`keyword "${k}" is missing from grammar/nsh.ebnf`);
for (const k of missing(ebnfKeywords, lexerKeywords)) problems.push(`grammar/nsh.ebnf quotes "${k}", which is not a keyword of the lexer`);

if (problems.length > 0) {
  for (const p of problems) console.error(`gen-diagrams: ${p}`);
  process.exit(1);
}
if (!same(parserRules, ebnfRules)) {
  console.warn('gen-diagrams: note: grammar/nsh.ebnf lists the rules in another order than the parser');
}

if (!checkOnly) {
  // The html loads Chevrotain's diagram scripts and css from unpkg, so it needs a network connection to render.
  await writeFile(htmlPath, createSyntaxDiagramsCode(productions));
  console.log(`gen-diagrams: wrote ${htmlPath.slice(root.length)} (${parserRules.length} rules)`);
} else {
  console.log(`gen-diagrams: grammar/nsh.ebnf matches the parser (${parserRules.length} rules)`);
}
