// The esbuild plugins of nsh's bundle (scripts/build.mjs) and the rewrites of its output, shared
// with the benchmarks' floors (scripts/bench-common.mjs floorBundle), which must load Chevrotain
// as nsh's bundle does.
import { readFileSync } from 'node:fs';

/**
 * Edits of the packages' code in the bundle, each an exact text that must be found once (the build
 * fails otherwise: package.json pins the versions they were written for). They change what a start
 * costs, not what the code does; test/cli.test.ts and test/cli-kernel/startup.test.ts check the
 * bundle where they are.
 * - picocolors works out at its load whether process.stdout is a terminal, for the colours it
 *   gives by default; nsh never uses those (core/io.ts asks for colours per stream), and asking
 *   makes process.stdout, which loads node's code for streams, sockets and terminals: a tenth of
 *   node's own start, paid by `nsh check` for nothing.
 * - Chevrotain's lexer fills a table of 65,536 entries at every start (about a tenth of node's
 *   start, in code not yet optimised), to map a character above 255 to its block of 255 in the
 *   first-character dispatch; the block is computed instead, with the table's own formula (a
 *   character below 256 is its own entry, as before).
 * - Chevrotain's lexer and token code ask lodash's has(object, key) several times per token as the
 *   lexer and the parser are built: often enough that V8 optimised has and castPath at every
 *   start, compiling them on another thread; they ask for an own property instead, which
 *   is what has does for a plain key. Likewise the lexer finds each keyword's longer_alt
 *   (PlainWord) among the ~85 token types with the array's own indexOf, not lodash's, whose
 *   strictIndexOf V8 optimised at every start (the same strict equality).
 * - Chevrotain's Parser gets the methods of its ten traits one by one (applyMixins), ~200
 *   properties added to a prototype in V8's fast mode, each of which copied the prototype's
 *   descriptors so far: ~690 KB of garbage at every start, a young-generation collection's worth.
 *   The prototype is turned into a dictionary first (a property added and another deleted), where
 *   an addition copies nothing; V8 makes it fast again, in one copy, when the parser first uses it.
 */
// lodash's has(object, key) for a key that is a plain property name, as each of the lexer's and
// the tokens' calls gives: an own property of an object that is not null
const ownHas = 'const has = (object, key) => object != null && Object.prototype.hasOwnProperty.call(object, key);';

/** `text` with `from` replaced by `to`, where `from` is found exactly once; else the build fails, naming `where`. */
function replaceOnce(text, from, to, path, where) {
  if (text.split(from).length !== 2) throw new Error(`build: ${path} no longer has ${JSON.stringify(from)} once; see ${where} in scripts/build.mjs`);
  return text.replace(from, () => to);
}

const packageEdits = [
  {
    file: /[\\/]node_modules[\\/]picocolors[\\/]picocolors\.js$/,
    edits: [['(p.stdout || {}).isTTY', 'false']],
  },
  {
    file: /[\\/]node_modules[\\/]chevrotain[\\/]lib[\\/]src[\\/]scan[\\/]lexer\.js$/,
    edits: [
      [': charCodeToOptimizedIdxMap[charCode];', ': 255 + ~~(charCode / 255);'],
      ['    if (isEmpty(charCodeToOptimizedIdxMap)) {', '    if (false) {'],
      ['find, first, flatten, forEach, has, includes,', `find, first, flatten, forEach, includes,`],
      ['import { PRINT_ERROR } from "@chevrotain/utils";', `import { PRINT_ERROR } from "@chevrotain/utils";\n${ownHas}`],
      ['(type) => indexOf(onlyRelevantTypes, type))', '(type) => onlyRelevantTypes.indexOf(type))'],
      ['[indexOf(onlyRelevantTypes, longerAltType)]', '[onlyRelevantTypes.indexOf(longerAltType)]'],
    ],
  },
  {
    file: /[\\/]node_modules[\\/]chevrotain[\\/]lib[\\/]src[\\/]parse[\\/]parser[\\/]utils[\\/]apply_mixins\.js$/,
    edits: [
      [
        'export function applyMixins(derivedCtor, baseCtors) {\n',
        'export function applyMixins(derivedCtor, baseCtors) {\n    const proto = derivedCtor.prototype;\n    proto.nshA = 0;\n    proto.nshB = 0;\n    delete proto.nshA;\n    delete proto.nshB;\n',
      ],
    ],
  },
  {
    file: /[\\/]node_modules[\\/]chevrotain[\\/]lib[\\/]src[\\/]scan[\\/]tokens\.js$/,
    edits: [['import { clone, compact, difference, flatten, forEach, has, includes,', `${ownHas}\nimport { clone, compact, difference, flatten, forEach, includes,`]],
  },
];
export const editPackages = {
  name: 'edit-packages',
  setup(b) {
    for (const { file, edits } of packageEdits) {
      b.onLoad({ filter: file }, ({ path }) => {
        let text = readFileSync(path, 'utf8');
        for (const [from, to] of edits) text = replaceOnce(text, from, to, path, 'packageEdits');
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
export function bakeParser(lookaheadTable, bakedGrammar) {
  return {
    name: 'bake-parser',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]syntax[\\/]parser\.ts$/ }, ({ path }) => {
        let text = readFileSync(path, 'utf8');
        for (const [name, value] of [['NSH_LOOKAHEAD', lookaheadTable()], ['NSH_GRAMMAR', bakedGrammar()]]) {
          const from = `typeof ${name} === 'undefined' ? undefined : ${name}`;
          text = replaceOnce(text, from, `JSON.parse(${JSON.stringify(JSON.stringify(value))})`, path, 'bakeParser');
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
