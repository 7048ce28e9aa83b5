/**
 * The parser's grammar, recorded once at build time.
 *
 * At each start Chevrotain "records" the grammar: it runs every rule with its parsing methods
 * swapped for recording ones, which build the grammar's tree (GAST: rules, terminals, ORs,
 * MANYs…), and then swaps them back: about half the cost of building the parser (18–30 ms here
 * with recording, 10–14 ms without).
 * The tree depends on the grammar only, so the bundle build bakes it in as JSON (`bake`) and the
 * parser rebuilds it from there (`unbake`) with Chevrotain's own classes, in place of recording
 * (parser.ts). Without it (the tests, the unbundled build) the parser records as usual;
 * test/lookahead.test.ts checks that both give the same tree and the same parses.
 */
import {
  Alternation,
  Alternative,
  NonTerminal,
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
  Rule,
  Terminal,
  type IProduction,
  type TokenType,
} from 'chevrotain';

/** One node of the tree: its class, its own fields (idx, label, ignoreAmbiguities…), tokens by name. */
export interface BakedNode {
  readonly type: string;
  readonly fields: Record<string, unknown>;
  readonly token?: string;
  readonly separator?: string;
  readonly definition?: readonly BakedNode[];
}

const classes = {
  Rule,
  NonTerminal,
  Alternation,
  Alternative,
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
  Terminal,
} as const;

type Node = IProduction & { terminalType?: TokenType; separator?: TokenType; definition?: Node[] };

/** Fields that are not copied as they are: the children, the tokens, and the rule a NonTerminal names (linked again by Chevrotain). */
const LINKS = new Set(['_definition', 'definition', 'terminalType', 'separator', 'referencedRule']);

export function bake(rules: readonly Rule[]): BakedNode[] {
  return rules.map(bakeNode);
}

function bakeNode(n: Node): BakedNode {
  const type = Object.entries(classes).find(([, c]) => n.constructor === c)?.[0];
  if (type === undefined) throw new Error(`baked-grammar: unknown grammar node ${n.constructor.name}`);
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n)) if (!LINKS.has(k) && v !== undefined) fields[k] = v;
  return {
    type,
    fields,
    ...(n.terminalType ? { token: n.terminalType.name } : {}),
    ...(n.separator ? { separator: n.separator.name } : {}),
    // a NonTerminal's definition is the rule it names
    ...(n instanceof NonTerminal || n instanceof Terminal ? {} : { definition: (n.definition ?? []).map(bakeNode) }),
  };
}

/** The rules again, by name, each made of Chevrotain's classes; tokens are looked up by name. */
export function unbake(baked: readonly BakedNode[], tokens: readonly TokenType[]): Map<string, Rule> {
  const byName = new Map(tokens.map(t => [t.name, t]));
  const token = (name: string) => {
    const t = byName.get(name);
    if (!t) throw new Error(`baked-grammar: no token ${name}`);
    return t;
  };
  const make = (b: BakedNode): IProduction => {
    const options = {
      ...b.fields,
      ...(b.token === undefined ? {} : { terminalType: token(b.token) }),
      ...(b.separator === undefined ? {} : { separator: token(b.separator) }),
      ...(b.definition === undefined ? {} : { definition: b.definition.map(make) }),
    };
    return new (classes[b.type as keyof typeof classes] as new (o: typeof options) => IProduction)(options);
  };
  return new Map(baked.map(b => [String(b.fields.name), make(b) as Rule]));
}
