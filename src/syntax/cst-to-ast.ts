/** Turns the parser's CST into the typed AST, splitting words into their parts: a Chevrotain CST visitor. */
import type { NshCstVisitor } from './cst.js';
import { AstBuilderBase } from './cst-to-ast-base.js';
import { edgeVisits } from './cst-to-ast-edge.js';
import { linkVisits } from './cst-to-ast-links.js';
import { programVisits } from './cst-to-ast-programs.js';
import { scriptVisits } from './cst-to-ast-script.js';
import type { Origin, Span } from './source.js';

/** The visitor classes whose methods were checked: every builder of a class has its prototype's (one builder per piece). */
const validated = new WeakSet<object>();

/**
 * The CST visitor: one method per parser rule, each given the rule node's typed children (cst.ts,
 * generated from the grammar) and the node's span. The methods are written by group of rules, as
 * the parser's are (cst-to-ast-script/links/programs/edge.ts), and gathered here on the one class.
 * The constructor checks that every rule has its method, so a rule added to the parser without
 * one fails at the first parse.
 */
export class AstBuilder extends AstBuilderBase implements NshCstVisitor<Span, unknown> {
  constructor(at: Origin, recovered: boolean) {
    super(at, recovered);
    const proto = Object.getPrototypeOf(this) as object;
    if (!validated.has(proto)) this.validateVisitor();
    validated.add(proto);
  }
}

type Visits = typeof scriptVisits & typeof linkVisits & typeof programVisits & typeof edgeVisits;
export interface AstBuilder extends Visits {}
Object.assign(AstBuilder.prototype, scriptVisits, linkVisits, programVisits, edgeVisits);
