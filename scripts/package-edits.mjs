// The bundle's edits of its packages' code (scripts/bundle-plugins.mjs applies them; test/package-edits.test.ts
// compares what an edited function gives with what the package's own gives).

/**
 * Edits of the packages' code in the bundle, each an exact text that must be found once (the build
 * fails otherwise: package.json pins the versions they were written for). They change what a start
 * costs, not what the code does; test/cli.test.ts and test/cli-kernel/startup.test.ts check the
 * bundle where they are, and test/package-edits.test.ts compares each rewritten function with the
 * package's own.
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
 * - lodash's has(object, path) casts its path at each call (castPath, isKey: two regular
 *   expressions and a stringToPath cache) and walks it (hasPath), also for a plain key, which is
 *   how Chevrotain's parser traits call it as the Parser is built (some 60 times at each start).
 *   A string with no '.' or '[' and not starting with a digit is a path of one key to lodash, and
 *   has is then an own-property check; the edit asks that at once. Any other path goes lodash's
 *   way (a key starting with a digit may be an array index, which hasPath also accepts on array
 *   likes). test/package-edits.test.ts compares both on a table of objects and paths. The lexer's
 *   and the tokens' own has (above) stay: called for each token, even this has is hot enough
 *   that V8 optimises it at every start (`node --trace-opt bin/nsh check FILE` shows it when
 *   they go; nothing is optimised with them).
 * - The Lexer's analysis of the token types (analyzeTokenTypes: each pattern made sticky, the
 *   configs, the first-character table) went through eight lodash passes over the ~85 token types
 *   and one call per first character; for token types such as nsh's (patterns that are strings,
 *   or regular expressions whose first characters are given) it is one plain loop
 *   (analyzeTokens below), the same configs and table; others go the package's own way.
 */
// lodash's has(object, key) for a key that is a plain property name, as each of the lexer's and
// the tokens' calls gives: an own property of an object that is not null
const ownHas = 'const has = (object, key) => object != null && Object.prototype.hasOwnProperty.call(object, key);';

/** `text` with `from` replaced by `to`, where `from` is found exactly once; else the build fails, naming `where`. */
export function replaceOnce(text, from, to, path, where) {
  if (text.split(from).length !== 2) throw new Error(`build: ${path} no longer has ${JSON.stringify(from)} once; see ${where}`);
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

/**
 * Chevrotain's analyzeTokenTypes (scan/lexer.js) in one plain loop, for token types such as nsh's:
 * each pattern a string, Lexer.NA, or a regular expression without the unicode flag whose first
 * characters are given (start_chars_hint), each saying whether it can hold a line break
 * (line_breaks), each group a string or none. Anything else (a custom pattern, a regular
 * expression Chevrotain would have to analyse, safe mode) is left to the package's own steps, as
 * before. The configs, tables and flags are the package's own, field by field and in the same
 * order: test/package-edits.test.ts compares both on nsh's token types.
 */
const analyzeTokens = `function nshAnalyzeTokenTypes(tokenTypes, options) {
    if (options.safeMode) return undefined;
    const isRegExpObject = (p) => Object.prototype.toString.call(p) === "[object RegExp]";
    for (let i = 0; i < tokenTypes.length; i++) {
        const t = tokenTypes[i];
        const p = t.PATTERN;
        if (p === Lexer.NA || typeof p === "string") continue;
        if (!isRegExpObject(p) || p.unicode || !Array.isArray(t.START_CHARS_HINT)) return undefined;
    }
    const onlyRelevantTypes = tokenTypes.filter((t) => t.PATTERN !== Lexer.NA);
    for (const t of onlyRelevantTypes) {
        if (options.positionTracking !== "onlyOffset" && !has(t, "LINE_BREAKS")) return undefined;
        if (t.GROUP !== undefined && typeof t.GROUP !== "string") return undefined;
    }
    initCharCodeToOptimizedIndexMap();
    const notSingle = ["d", "D", "s", "S", "t", "r", "n", "t", "0", "c", "b", "B", "f", "v", "w", "W"];
    const emptyGroups = {};
    const patternIdxToConfig = [];
    const charCodeToPatternIdxToConfig = [];
    for (let idx = 0; idx < onlyRelevantTypes.length; idx++) {
        const t = onlyRelevantTypes[idx];
        const p = t.PATTERN;
        let pattern;
        if (typeof p === "string") {
            pattern = p.length === 1 ? p : addStickyFlag(new RegExp(p.replace(/[\\\\^$.*+?()[\\]{}|]/g, "\\\\$&")));
        }
        else {
            const source = p.source;
            if (source.length === 1 && source !== "^" && source !== "$" && source !== "." && !p.ignoreCase) pattern = source;
            else if (source.length === 2 && source[0] === "\\\\" && !notSingle.includes(source[1])) pattern = source[1];
            else pattern = addStickyFlag(p);
        }
        const longerAltType = t.LONGER_ALT;
        const group = t.GROUP;
        if (typeof group === "string" && group !== Lexer.SKIPPED) emptyGroups[group] = [];
        const config = {
            pattern,
            longerAlt: longerAltType
                ? Array.isArray(longerAltType)
                    ? longerAltType.map((type) => onlyRelevantTypes.indexOf(type))
                    : [onlyRelevantTypes.indexOf(longerAltType)]
                : undefined,
            canLineTerminator: options.positionTracking !== "onlyOffset" ? !!t.LINE_BREAKS : false,
            isCustom: false,
            short: typeof pattern === "string" && pattern.length === 1 ? pattern.charCodeAt(0) : false,
            group: group === Lexer.SKIPPED ? undefined : group === undefined ? false : group,
            push: t.PUSH_MODE,
            pop: has(t, "POP_MODE"),
            tokenTypeIdx: t.tokenTypeIdx,
            tokenType: t,
        };
        patternIdxToConfig.push(config);
        if (typeof p === "string") {
            addToMapOfArrays(charCodeToPatternIdxToConfig, charCodeToOptimizedIndex(p.charCodeAt(0)), config);
        }
        else {
            const hints = t.START_CHARS_HINT;
            let last;
            for (let i = 0; i < hints.length; i++) {
                const hint = hints[i];
                const optimizedIdx = charCodeToOptimizedIndex(typeof hint === "string" ? hint.charCodeAt(0) : hint);
                if (last !== optimizedIdx) {
                    last = optimizedIdx;
                    addToMapOfArrays(charCodeToPatternIdxToConfig, optimizedIdx, config);
                }
            }
        }
    }
    return { emptyGroups, patternIdxToConfig, charCodeToPatternIdxToConfig, hasCustom: false, canBeOptimized: true };
}
export function validatePatterns(tokenTypes, validModesNames) {`;

export const packageEdits = [
  {
    file: /[\\/]node_modules[\\/]lodash-es[\\/]has\.js$/,
    edits: [
      [
        'function has(object, path) {\n',
        "function has(object, path) {\n  if (object != null && typeof path == 'string' && path.indexOf('.') < 0 && path.indexOf('[') < 0 && !(path.charCodeAt(0) >= 48 && path.charCodeAt(0) <= 57)) return Object.prototype.hasOwnProperty.call(object, path);\n",
      ],
    ],
  },
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
      ['    const tracer = options.tracer;\n', '    const tracer = options.tracer;\n    const nshAnalysis = nshAnalyzeTokenTypes(tokenTypes, options);\n    if (nshAnalysis !== undefined) return nshAnalysis;\n'],
      ['export function validatePatterns(tokenTypes, validModesNames) {', analyzeTokens],
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
