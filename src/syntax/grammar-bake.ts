/**
 * The grammar's analysis, baked at build time: the productions Chevrotain records from the rules
 * (its GAST), and the recovering parser's resynchronisation sets.
 *
 * Chevrotain records the grammar at every start by running each rule once in a recording mode:
 * about a fifth of a start of `nsh check`. The recording depends on the grammar only, so the
 * bundle build writes it out (`bakeGrammar`, as text: `grammarText`) and the parser rebuilds the
 * same productions from it (`lazyGrammar`), then only makes its lookahead functions, as
 * Chevrotain's own analysis ends. A rule's productions are rebuilt when first asked for (its
 * lookahead functions are made from them when the parser first enters it): a script uses a few of
 * the grammar's rules, and reading and rebuilding all of them was a tenth of a start's parse.
 * Without a baked grammar (the tests, the unbundled build) Chevrotain records it as usual; the
 * tests check that both give the same productions.
 */
import * as chevrotain from 'chevrotain';
import type { IProduction, Rule, TokenType } from 'chevrotain';
import { lazyProperty } from './lazy-property.js';

/** Chevrotain's production classes, by name. */
const kindNames = [
  'Alternation',
  'Alternative',
  'NonTerminal',
  'Option',
  'Repetition',
  'RepetitionMandatory',
  'RepetitionMandatoryWithSeparator',
  'RepetitionWithSeparator',
  'Rule',
  'Terminal',
] as const;
type Kind = (typeof kindNames)[number];
const kinds = Object.fromEntries(kindNames.map(k => [k, chevrotain[k]])) as { [K in Kind]: (typeof chevrotain)[K] };

/** One production: its class, its plain fields, and its links by name. */
export interface BakedNode {
  readonly kind: Kind;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
  readonly definition?: readonly BakedNode[];
  /** a Terminal's token, or a separator's */
  readonly token?: string;
  /** a NonTerminal's rule */
  readonly rule?: string;
}

export interface BakedGrammar {
  readonly rules: readonly BakedNode[];
  /** the recovering parser's resynchronisation sets: key → token names */
  readonly follows: Readonly<Record<string, readonly string[]>>;
}

/** A baked grammar as the bundle holds it: each rule's BakedNode as JSON, by name, in order; the follows as JSON. */
export interface BakedText {
  readonly rules: readonly (readonly [name: string, json: string])[];
  readonly follows: string;
}

export function grammarText(g: BakedGrammar): BakedText {
  return { rules: g.rules.map(r => [String(r.fields['name']), JSON.stringify(r)] as const), follows: JSON.stringify(g.follows) };
}

export function grammarOfText(t: BakedText): BakedGrammar {
  return { rules: t.rules.map(([, json]) => JSON.parse(json) as BakedNode), follows: JSON.parse(t.follows) as BakedGrammar['follows'] };
}

/** The links and the definition are baked by name; every other own field is a plain value. */
const linkFields = new Set(['_definition', 'terminalType', 'separator', 'referencedRule']);

function kindOf(node: object): Kind {
  for (const [name, cls] of Object.entries(kinds)) if (Object.getPrototypeOf(node) === cls.prototype) return name as Kind;
  throw new Error(`grammar bake: unknown production ${node.constructor.name}`);
}

function bakeNode(node: IProduction): BakedNode {
  const fields: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(node)) {
    if (linkFields.has(k) || v === undefined) continue;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new Error(`grammar bake: field ${k} is not plain`);
    fields[k] = v;
  }
  const n = node as { _definition?: IProduction[]; terminalType?: TokenType; separator?: TokenType; referencedRule?: Rule };
  const kind = kindOf(node);
  return {
    kind,
    fields,
    ...(n._definition !== undefined && kind !== 'NonTerminal' ? { definition: n._definition.map(bakeNode) } : {}),
    ...(n.terminalType !== undefined ? { token: n.terminalType.name } : n.separator !== undefined ? { token: n.separator.name } : {}),
    ...(n.referencedRule !== undefined ? { rule: n.referencedRule.name } : {}),
  };
}

/** The recorded grammar of a parser (its rules, and a recovering parser's resynchronisation sets). */
export function bakeGrammar(rules: readonly Rule[], follows: Readonly<Record<string, readonly TokenType[]>>): BakedGrammar {
  return {
    rules: rules.map(bakeNode),
    follows: Object.fromEntries(Object.entries(follows).map(([k, ts]) => [k, ts.map(t => t.name)])),
  };
}

/**
 * The productions again, as Chevrotain's recording makes them: an object of the rules by name (in
 * the grammar's order), each rebuilt from its text when first read; a NonTerminal finds the rule
 * it refers to there when asked. `follows` reads the resynchronisation sets (only a recovering
 * parser needs them).
 */
export function lazyGrammar(baked: BakedText, tokens: readonly TokenType[]): { productions: Record<string, Rule>; follows: () => Record<string, TokenType[]> } {
  const token = new Map(tokens.map(t => [t.name, t]));
  const byName = (name: string) => {
    const t = token.get(name);
    if (t === undefined) throw new Error(`grammar bake: unknown token ${name}`);
    return t;
  };
  const productions: Record<string, Rule> = {};
  const build = (b: BakedNode): IProduction => {
    // the classes' constructors only set these same fields (and defaults the fields overwrite)
    const node = Object.create(kinds[b.kind].prototype) as Record<string, unknown>;
    if (b.kind === 'NonTerminal') node._definition = [];
    else if (b.definition !== undefined) node._definition = b.definition.map(build);
    Object.assign(node, b.fields);
    if (b.token !== undefined) node[b.kind === 'Terminal' ? 'terminalType' : 'separator'] = byName(b.token);
    const rule = b.rule;
    if (rule !== undefined) Object.defineProperty(node, 'referencedRule', { get: () => productions[rule], enumerable: true, configurable: true });
    return node as unknown as IProduction;
  };
  for (const [name, json] of baked.rules) lazyProperty(productions, name, () => build(JSON.parse(json) as BakedNode));
  const follows = () => Object.fromEntries(Object.entries(JSON.parse(baked.follows) as BakedGrammar['follows']).map(([k, ns]) => [k, ns.map(byName)]));
  return { productions, follows };
}

/** Every production rebuilt at once (the tests). */
export function unbakeGrammar(baked: BakedGrammar, tokens: readonly TokenType[]): { rules: Rule[]; follows: Record<string, TokenType[]> } {
  const { productions, follows } = lazyGrammar(grammarText(baked), tokens);
  return { rules: baked.rules.map(r => productions[String(r.fields['name'])]!), follows: follows() };
}
