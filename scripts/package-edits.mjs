// The bundle's edits of its packages' code (scripts/build.mjs applies them; test/package-edits.test.ts
// compares what an edited function gives with what the package's own gives).

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
 * - Chevrotain's lexer and token code (createToken's too) ask lodash's has(object, key) several
 *   times per token as the lexer and the parser are built: often enough that V8 optimised has and castPath at every
 *   start, compiling them on another thread; they ask for an own property instead, which
 *   is what has does for a plain key. Likewise the lexer finds each keyword's longer_alt
 *   (PlainWord) among the ~85 token types with the array's own indexOf, not lodash's, whose
 *   strictIndexOf V8 optimised at every start (the same strict equality).
 * - Chevrotain's Parser gets the methods of its ten traits one by one (applyMixins), ~200
 *   properties added to a prototype in V8's fast mode, each of which copied the prototype's
 *   descriptors so far: ~690 KB of garbage at every start, a young-generation collection's worth.
 *   The prototype is turned into a dictionary first (a property added and another deleted), where
 *   an addition copies nothing; V8 makes it fast again, in one copy, when the parser first uses it.
 * - Chevrotain works out the token types' categories (augmentTokenTypes) for each token createToken
 *   makes, then again for all of them when the Lexer is built and when the Parser is: each time
 *   through lodash (clone, flatten, difference, forEach over arrays and objects, and a recursion
 *   that copies its path), ~1.5 ms of a start. The same steps are written as plain loops
 *   (augmentTokens below), with the same results in the same order: test/package-edits.test.ts
 *   runs both on the same token types.
 */
// lodash's has(object, key) for a key that is a plain property name, as each of the lexer's and
// the tokens' calls gives: an own property of an object that is not null
const ownHas = 'const has = (object, key) => object != null && Object.prototype.hasOwnProperty.call(object, key);';

/** `text` with `from` replaced by `to`, where `from` is found exactly once; else the build fails, naming `where`. */
export function replaceOnce(text, from, to, path, where) {
  if (text.split(from).length !== 2) throw new Error(`build: ${path} no longer has ${JSON.stringify(from)} once; see ${where} in scripts/package-edits.mjs`);
  return text.replace(from, () => to);
}

/**
 * Chevrotain's augmentTokenTypes (scan/tokens.js) without lodash: each step as the package's own
 * (expandCategories, assignTokenDefaultProps, assignCategoriesMapProp, assignCategoriesTokensProp,
 * isParent) for token types that are objects with arrays, one token type, or nothing as CATEGORIES,
 * as createToken makes them. lodash's flatten/compact become the loop over CATEGORIES, difference
 * the filter with includes (the same SameValueZero, duplicates kept), forEach over an object
 * Object.keys (what lodash's keys gives for a plain object), has the module's own (above).
 */
const augmentTokens = `export function augmentTokenTypes(tokenTypes) {
    const all = [];
    for (let i = 0; i < tokenTypes.length; i++) all.push(tokenTypes[i]);
    let categories = tokenTypes;
    for (;;) {
        const found = [];
        for (let i = 0; i < categories.length; i++) {
            const c = categories[i].CATEGORIES;
            if (Array.isArray(c)) {
                for (let j = 0; j < c.length; j++) if (c[j]) found.push(c[j]);
            }
            else if (c) found.push(c);
        }
        const added = found.filter((c) => !all.includes(c));
        if (added.length === 0) break;
        for (let i = 0; i < added.length; i++) all.push(added[i]);
        categories = added;
    }
    for (let i = 0; i < all.length; i++) {
        const t = all[i];
        if (!has(t, "tokenTypeIdx")) {
            tokenIdxToClass[tokenShortNameIdx] = t;
            t.tokenTypeIdx = tokenShortNameIdx++;
        }
        if (has(t, "CATEGORIES") && !Array.isArray(t.CATEGORIES)) t.CATEGORIES = [t.CATEGORIES];
        if (!has(t, "CATEGORIES")) t.CATEGORIES = [];
        if (!has(t, "categoryMatches")) t.categoryMatches = [];
        if (!has(t, "categoryMatchesMap")) t.categoryMatchesMap = {};
    }
    for (let i = 0; i < all.length; i++) nshAssignCategories([], all[i]);
    for (let i = 0; i < all.length; i++) {
        const t = all[i];
        t.categoryMatches = [];
        for (const key of Object.keys(t.categoryMatchesMap)) t.categoryMatches.push(tokenIdxToClass[key].tokenTypeIdx);
    }
    for (let i = 0; i < all.length; i++) all[i].isParent = all[i].categoryMatches.length > 0;
}
function nshAssignCategories(path, node) {
    for (let i = 0; i < path.length; i++) node.categoryMatchesMap[path[i].tokenTypeIdx] = true;
    const categories = node.CATEGORIES;
    for (let i = 0; i < categories.length; i++) {
        const next = categories[i];
        const nextPath = path.concat(node);
        if (!nextPath.includes(next)) nshAssignCategories(nextPath, next);
    }
}
function lodashAugmentTokenTypes(tokenTypes) {
`;

export const packageEdits = [
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
    edits: [
      ['import { clone, compact, difference, flatten, forEach, has, includes,', `${ownHas}\nimport { clone, compact, difference, flatten, forEach, includes,`],
      ['export function augmentTokenTypes(tokenTypes) {\n', augmentTokens],
    ],
  },
  {
    file: /[\\/]node_modules[\\/]chevrotain[\\/]lib[\\/]src[\\/]scan[\\/]tokens_public\.js$/,
    edits: [['import { has, isString, isUndefined } from "lodash-es";', `import { isString, isUndefined } from "lodash-es";\n${ownHas}`]],
  },
];
