/**
 * The parser's lookahead, with the grammar analysis done once at build time.
 *
 * Chevrotain's LLk strategy derives, for every OR, MANY, OPTION… of the grammar, the tokens that
 * choose each way ("lookahead paths") from the grammar at each start-up: about a third of building
 * the parser. The paths depend on the grammar only, so the bundle build computes them (`lookaheadBake`)
 * and bakes them in; the parser then only turns them into lookahead functions, as Chevrotain's
 * strategy does (the functions below follow its buildAlternativesLookAheadFunc and
 * buildSingleAlternativeLookaheadFunction; this grammar has no dynamic tokens). With the
 * decisions baked beside the table (whether a choice has predicates), the parser makes each
 * function from the two alone, the one asked for, without its rule's productions (direct()).
 * Without a table (the tests, the unbundled build) the paths are computed as Chevrotain computes them.
 */
import {
  EOF,
  getLookaheadPaths,
  LLkLookaheadStrategy,
  tokenMatcher,
  type IOrAlt,
  type LookaheadProductionType,
  type LookaheadSequence,
  type OptionalProductionType,
  type Rule,
  type TokenType,
} from 'chevrotain';

/** Lookahead paths by production ("rule/type/occurrence"), each token by name. */
export type LookaheadTable = Record<string, string[][][]>;

/**
 * What else makes a production's lookahead function, by production: 1 for a choice with
 * predicates (GATEs), 0 otherwise; a production with a maxLookahead of its own is left out. With
 * the table, a parser makes the function of a production from these alone (direct()), without
 * its rule's productions.
 */
export type LookaheadDecisions = Record<string, 0 | 1>;

/** Chevrotain's DSL method of a lookahead key (keys.ts: OR_IDX 1, OPTION_IDX 2, MANY_IDX 3, …), as a production type. */
const PROD_TYPES: readonly (LookaheadProductionType | undefined)[] = [
  undefined,
  'Alternation',
  'Option',
  'Repetition',
  'RepetitionMandatory',
  'RepetitionWithSeparator',
  'RepetitionMandatoryWithSeparator',
];

/** The parser as its lookahead functions see it (LA_FAST: the token vector is padded with EOF). */
type Recognizer = { LA_FAST(i: number): { tokenTypeIdx: number } };

const keyOf = (rule: Rule, prodType: LookaheadProductionType, occurrence: number) => `${rule.name}/${prodType}/${occurrence}`;

export class TableLookahead extends LLkLookaheadStrategy {
  /** Paths computed here (no table, or not in it), by production: what `lookaheadBake` returns. */
  readonly computed: LookaheadTable = {};
  /** What the productions built here were made with (see LookaheadDecisions). */
  readonly decided: LookaheadDecisions = {};
  private readonly byName: Map<string, TokenType>;
  private readonly max: number;

  constructor(
    tokens: readonly TokenType[],
    private readonly table: LookaheadTable | undefined,
    maxLookahead: number,
    private readonly decisions?: LookaheadDecisions,
  ) {
    super({ maxLookahead });
    this.max = maxLookahead;
    this.byName = new Map([...tokens, EOF].map(t => [t.name, t]));
  }

  /**
   * The lookahead function of the production that Chevrotain's lookahead `key` names in rule
   * `ruleName`, made from the table and the decisions alone; undefined where they do not have it
   * (the parser then makes its rule's functions from the rule's productions, as Chevrotain does).
   */
  direct(ruleName: string, key: number): ((orAlts?: IOrAlt<unknown>[]) => number | boolean | undefined) | undefined {
    const prodType = PROD_TYPES[(key >>> 8) & 0xf];
    const occurrence = key & 0xff;
    if (prodType === undefined) return undefined;
    const at = `${ruleName}/${prodType}/${occurrence}`;
    const decision = this.decisions?.[at];
    if (decision === undefined || this.table?.[at] === undefined) return undefined;
    // (a rule as the table's lookup reads it: by its name)
    const rule = { name: ruleName } as Rule;
    return prodType === 'Alternation'
      ? this.buildLookaheadForAlternation({ prodOccurrence: occurrence, rule, maxLookahead: this.max, hasPredicates: decision === 1 })
      : this.buildLookaheadForOptional({ prodOccurrence: occurrence, prodType, rule, maxLookahead: this.max });
  }

  private decide(rule: Rule, prodType: LookaheadProductionType, occurrence: number, maxLookahead: number, predicates: boolean): void {
    if (maxLookahead === this.max) this.decided[keyOf(rule, prodType, occurrence)] = predicates ? 1 : 0;
  }

  private paths(rule: Rule, prodType: LookaheadProductionType, occurrence: number, maxLookahead: number): LookaheadSequence[] {
    const key = keyOf(rule, prodType, occurrence);
    const named = this.table?.[key];
    if (named) return named.map(alt => alt.map(path => path.map(name => this.byName.get(name)!)));
    const paths = getLookaheadPaths({ occurrence, rule, prodType, maxLookahead });
    this.computed[key] = paths.map(alt => alt.map(path => path.map(t => t.name)));
    return paths;
  }

  override buildLookaheadForAlternation(o: {
    prodOccurrence: number;
    rule: Rule;
    maxLookahead: number;
    hasPredicates: boolean;
  }): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
    this.decide(o.rule, 'Alternation', o.prodOccurrence, o.maxLookahead, o.hasPredicates);
    const alts = this.paths(o.rule, 'Alternation', o.prodOccurrence, o.maxLookahead);
    const oneToken = alts.every(alt => alt.every(path => path.length === 1));
    if (o.hasPredicates) {
      return function (this: Recognizer, orAlts?: IOrAlt<unknown>[]) {
        for (let t = 0; t < alts.length; t++) {
          const gate = (orAlts?.[t] as { GATE?: () => boolean } | undefined)?.GATE;
          if (gate !== undefined && gate.call(this) === false) continue;
          if (matchesOne(this, alts[t]!)) return t;
        }
        return undefined;
      };
    }
    if (oneToken) {
      const choice: Record<number, number> = {};
      alts.forEach((alt, idx) => {
        for (const [t] of alt) {
          if (!(t!.tokenTypeIdx! in choice)) choice[t!.tokenTypeIdx!] = idx;
          for (const sub of t!.categoryMatches ?? []) if (!(sub in choice)) choice[sub] = idx;
        }
      });
      return function (this: Recognizer) {
        return choice[this.LA_FAST(1).tokenTypeIdx];
      };
    }
    return function (this: Recognizer) {
      for (let t = 0; t < alts.length; t++) if (matchesOne(this, alts[t]!)) return t;
      return undefined;
    };
  }

  override buildLookaheadForOptional(o: {
    prodOccurrence: number;
    prodType: OptionalProductionType;
    rule: Rule;
    maxLookahead: number;
  }): () => boolean {
    this.decide(o.rule, o.prodType, o.prodOccurrence, o.maxLookahead, false);
    const alt = this.paths(o.rule, o.prodType, o.prodOccurrence, o.maxLookahead)[0]!;
    if (alt.every(path => path.length === 1)) {
      const types = alt.map(([t]) => t!);
      if (types.length === 1 && (types[0]!.categoryMatches ?? []).length === 0) {
        const only = types[0]!.tokenTypeIdx!;
        return function (this: Recognizer) {
          return this.LA_FAST(1).tokenTypeIdx === only;
        };
      }
      const choice: boolean[] = [];
      for (const t of types) {
        choice[t.tokenTypeIdx!] = true;
        for (const sub of t.categoryMatches ?? []) choice[sub] = true;
      }
      return function (this: Recognizer) {
        return choice[this.LA_FAST(1).tokenTypeIdx] === true;
      };
    }
    return function (this: Recognizer) {
      return matchesOne(this, alt);
    };
  }
}

/** Whether the next tokens match one of the paths (every token of it, categories included). */
function matchesOne(p: Recognizer, paths: readonly (readonly TokenType[])[]): boolean {
  next: for (const path of paths) {
    for (let i = 0; i < path.length; i++) if (!tokenMatcher(p.LA_FAST(i + 1) as never, path[i]!)) continue next;
    return true;
  }
  return false;
}
