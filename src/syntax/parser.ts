/**
 * The nsh grammar as a Chevrotain parser producing a CST. Rule names match grammar/nsh.ebnf.
 * Keywords are Words by category, so a keyword is accepted wherever a plain word is.
 */
import { CstParser, type ILookaheadStrategy, type Rule, type TokenType } from 'chevrotain';
import { bakeGrammar, grammarText, lazyGrammar, type BakedText } from './grammar-bake.js';
import { TableLookahead, type LookaheadDecisions, type LookaheadTable } from './lookahead.js';
import { messageProvider } from './parse-messages.js';
import type { Grammar, Rules } from './parser-dsl.js';
import { edgeRules } from './parser-edge.js';
import { linkRules } from './parser-links.js';
import { programRules } from './parser-programs.js';
import { callRule, scriptRules } from './parser-script.js';
import * as T from './tokens.js';

declare const NSH_BUNDLED: boolean | undefined;
/** The lookahead paths of this grammar, computed by the bundle build (scripts/build.mjs). */
declare const NSH_LOOKAHEAD: LookaheadTable | undefined;
/** What else makes each production's lookahead function, likewise (see lookahead.ts). */
declare const NSH_DECISIONS: LookaheadDecisions | undefined;
/** The grammar's recorded productions, likewise (see grammar-bake.ts). */
declare const NSH_GRAMMAR: BakedText | undefined;

/** The parts of Chevrotain's parser that its own grammar analysis sets. */
interface Analysis {
  selfAnalysisDone: boolean;
  recoveryEnabled: boolean;
  gastProductionsCache: Record<string, Rule>;
  resyncFollows: Record<string, TokenType[]>;
  lookaheadStrategy: ILookaheadStrategy;
  preComputeLookaheadFunctions(rules: Rule[]): void;
  lookAheadFuncsCache: Map<number, unknown>;
  shortRuleNameToFull: Record<number, string>;
}

/** Chevrotain's own analysis step that makes the lookahead functions of the rules given. */
const makeLookahead = (CstParser.prototype as unknown as Analysis).preComputeLookaheadFunctions;
/** The bits of a lookahead key below its rule's (Chevrotain's keys.ts: 4 for the method, 8 for the occurrence). */
const RULE_KEY_SHIFT = 12;

export class NshParser extends CstParser {
  /** The rules whose lookahead functions are not made yet, by name (see getLaFuncFromCache). */
  private lookaheadToMake: Map<string, Rule | undefined> | undefined;

  /**
   * `recovering`: after an error, resynchronise and go on, to report several errors in one pass.
   * `lookahead`: by default from the bundle's table of lookahead paths (see lookahead.ts), if any.
   * `grammar`: the recorded grammar, by default the bundle's (see grammar-bake.ts), if any.
   */
  constructor(
    recovering: boolean,
    lookahead: ILookaheadStrategy = new TableLookahead(
      T.allTokens,
      typeof NSH_LOOKAHEAD === 'undefined' ? undefined : NSH_LOOKAHEAD,
      1,
      typeof NSH_DECISIONS === 'undefined' ? undefined : NSH_DECISIONS,
    ),
    grammar: BakedText | undefined = typeof NSH_GRAMMAR === 'undefined' ? undefined : NSH_GRAMMAR,
  ) {
    super(T.allTokens as TokenType[], {
      recoveryEnabled: recovering,
      maxLookahead: 1,
      lookaheadStrategy: lookahead,
      errorMessageProvider: messageProvider({ currentRuleStack: () => this.ruleStackNames() }),
      // the grammar is validated in the tests' build; the bundle skips it (tens of ms at start-up)
      skipValidations: typeof NSH_BUNDLED !== 'undefined',
      nodeLocationTracking: 'full',
    });
    // the rules by group; the order they are defined in is the order of the generated CST types and diagrams
    const $ = this as unknown as Grammar;
    scriptRules($);
    linkRules($);
    programRules($);
    edgeRules($);
    callRule($);
    this.analyse(grammar);
  }

  /**
   * Chevrotain's grammar analysis; with a baked grammar, its last step only (the recording and
   * the resynchronisation sets come from the bake; validation is skipped in the bundle anyway).
   */
  private analyse(baked: BakedText | undefined): void {
    if (baked === undefined) return this.performSelfAnalysis();
    const { productions, follows } = lazyGrammar(baked, T.allTokens as TokenType[]);
    const self = this as unknown as Analysis;
    self.selfAnalysisDone = true;
    fastProperties(this);
    // (the productions are rebuilt as they are read: gastProductionsCache is that object)
    self.gastProductionsCache = productions;
    if (self.recoveryEnabled) self.resyncFollows = follows();
    // (Chevrotain's LLk strategy and nsh's have no initialize: nothing reads every rule here)
    if (self.lookaheadStrategy.initialize) self.lookaheadStrategy.initialize({ rules: Object.values(productions) });
    this.lookaheadToMake ??= new Map();
    for (const [name] of baked.rules) this.lookaheadToMake.set(name, undefined);
  }

  /**
   * The last step of Chevrotain's grammar analysis makes a lookahead function for every choice,
   * option and repetition of the grammar (~4 ms at each start); here it only notes the rules, and
   * a rule's functions are made when the parser first asks for one of them (a rule noted without
   * its productions is read from gastProductionsCache then).
   */
  preComputeLookaheadFunctions(rules: Rule[]): void {
    this.lookaheadToMake ??= new Map();
    for (const rule of rules) this.lookaheadToMake.set(rule.name, rule);
  }

  /**
   * Chevrotain's lookup of a choice's lookahead function, by its key (rule, method, occurrence).
   * With the bundle's table and decisions, the one function asked for is made from them; else
   * all of its rule's, from the rule's productions.
   */
  getLaFuncFromCache(key: number): unknown {
    const self = this as unknown as Analysis;
    const made = self.lookAheadFuncsCache.get(key);
    if (made !== undefined) return made;
    const name = self.shortRuleNameToFull[(key >>> RULE_KEY_SHIFT) << RULE_KEY_SHIFT];
    if (name === undefined || this.lookaheadToMake?.has(name) !== true) return undefined;
    const strategy = self.lookaheadStrategy;
    const direct = strategy instanceof TableLookahead ? strategy.direct(name, key) : undefined;
    if (direct !== undefined) {
      self.lookAheadFuncsCache.set(key, direct);
      return direct;
    }
    const rule = this.lookaheadToMake.get(name) ?? self.gastProductionsCache[name]!;
    this.lookaheadToMake.delete(name);
    makeLookahead.call(this, [rule]);
    return self.lookAheadFuncsCache.get(key);
  }

  /** Makes the lookahead functions of every rule now, as Chevrotain's analysis does. */
  makeAllLookahead(): void {
    const self = this as unknown as Analysis;
    const rules = [...(this.lookaheadToMake?.entries() ?? [])].map(([name, rule]) => rule ?? self.gastProductionsCache[name]!);
    this.lookaheadToMake?.clear();
    makeLookahead.call(this, rules);
  }

  /** The names of the rules being parsed, outermost first (for error messages). */
  ruleStackNames(): string[] {
    return (this as unknown as { getHumanReadableRuleStack(): string[] }).getHumanReadableRuleStack();
  }
}

/**
 * Asks V8 to give `o` fast properties, as Chevrotain's own analysis does first: the rules defined
 * on the instance leave it a dictionary, and a parser whose rules are looked up in a dictionary
 * parses several times slower. An object that becomes a prototype is made fast.
 */
function fastProperties(o: object): void {
  function Heir(): void {}
  Heir.prototype = o;
  const heir = new (Heir as unknown as new () => { probe?: unknown })();
  for (let i = 0; i < 2; i++) void heir.probe; // used as a prototype, not only set as one
}

// the rules, defined by the rule files on the instance
export interface NshParser extends Rules {}

const instances = new Map<boolean, NshParser>();

/**
 * A parser, built once (its grammar analysis costs a few milliseconds) and reused. The one without
 * recovery is faster; it serves text that parses, and the recovering one is used after an error.
 */
export function theParser(recovering: boolean): NshParser {
  let p = instances.get(recovering);
  if (!p) instances.set(recovering, (p = new NshParser(recovering)));
  return p;
}

/** The grammar's recorded productions and resynchronisation sets, as the bundle build bakes them in (grammar-bake.ts). */
export function bakedGrammar(): BakedText {
  const p = new NshParser(true) as unknown as NshParser & Analysis;
  return grammarText(bakeGrammar(Object.values(p.gastProductionsCache), p.resyncFollows));
}

/** The lookahead paths of the grammar and what else makes each production's function, as the bundle build bakes them in. */
export function lookaheadBake(): { table: LookaheadTable; decisions: LookaheadDecisions } {
  const lookahead = new TableLookahead(T.allTokens, undefined, 1);
  new NshParser(false, lookahead).makeAllLookahead();
  return { table: lookahead.computed, decisions: lookahead.decided };
}
