// The esbuild plugins of nsh's bundle (scripts/build.mjs) and the rewrites of its output, shared
// with the benchmarks' floors (scripts/bench-common.mjs floorBundle), which must load Chevrotain
// as nsh's bundle does.
import { readFileSync } from 'node:fs';
import { packageEdits, replaceOnce } from './package-edits.mjs';

/** Applies the packages' edits (scripts/package-edits.mjs) as esbuild loads their files. */
export const editPackages = {
  name: 'edit-packages',
  setup(b) {
    for (const { file, edits } of packageEdits) {
      b.onLoad({ filter: file }, ({ path }) => {
        let text = readFileSync(path, 'utf8');
        for (const [from, to] of edits) text = replaceOnce(text, from, to, path, 'packageEdits in scripts/package-edits.mjs');
        return { contents: text, loader: 'js' };
      });
    }
  },
};

/**
 * The parser's baked lookahead table and grammar are written into parser.ts's own code, not given
 * as `define`s: esbuild puts a define's object in the chunk every other chunk imports, so each
 * command loaded and compiled ~44 KB of the parser's data (`nsh down` parses nothing). JSON.parse
 * of a string is also quicker for V8 to load than as large an object literal.
 */
export function bakeParser(lookaheadBake, bakedGrammar) {
  return {
    name: 'bake-parser',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]syntax[\\/]parser\.ts$/ }, ({ path }) => {
        let text = readFileSync(path, 'utf8');
        // the lookahead table as a JSON text parsed at once; the grammar as an object of texts, each
        // rule's parsed when the parser first needs it (see grammar-bake.ts)
        const { table, decisions } = lookaheadBake();
        const values = [
          ['NSH_LOOKAHEAD', `JSON.parse(${JSON.stringify(JSON.stringify(table))})`],
          ['NSH_DECISIONS', `JSON.parse(${JSON.stringify(JSON.stringify(decisions))})`],
          ['NSH_GRAMMAR', `(${JSON.stringify(bakedGrammar())})`],
        ];
        for (const [name, value] of values) {
          const from = `typeof ${name} === 'undefined' ? undefined : ${name}`;
          text = replaceOnce(text, from, value, path, 'bakeParser in scripts/bundle-plugins.mjs');
        }
        return { contents: text, loader: 'ts' };
      });
    },
  };
}

/** The bundle's text in ASCII only (see scripts/build.mjs): other characters as \u escapes. */
export function asciiOnly(code) {
  return code.replace(/[^\x00-\x7f]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `import * as fs from 'node:fs'` became `var fs = __toESM(require("node:fs"))`: a new object
 * with a getter for each of the module's properties (~100 for node:fs), made in every file that
 * imports it, 14 of them at the start of a lab. Where the file never reads `NAME.default` (nor
 * `NAME[…]`), which only the copy has, the module itself answers the same names.
 */
export function nodeModulesDirect(code) {
  return code.replace(/\bvar ([\w$]+) = __toESM\(require\("(node:[\w/]+)"\)\);/g, (all, name, id) =>
    new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}\\s*(?:\\.\\s*default\\b|\\[)`).test(code) ? all : `var ${name} = require("${id}");`);
}

/**
 * Each file's exports: `module.exports = __toCommonJS(X_exports)` copied the getters that
 * `__export` had put on X_exports to a new object, one more getter per name (152 in the netlink
 * chunk), each read then going through two. Where X_exports is used for nothing else (no
 * `export *` added names to it later), it is the exports itself, marked as __toCommonJS marked
 * the copy.
 */
export function exportsDirect(code) {
  return code.replace(/^module\.exports = __toCommonJS\(([\w$]+_exports)\);$/m, (all, name) =>
    code.match(new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g')).length === 3 &&
    code.includes(`var ${name} = {};\n__export(${name}, {`)
      ? `module.exports = __defProp(${name}, "__esModule", { value: true });`
      : all);
}
