/**
 * The parser (parser.ts) as its rule files see it: Chevrotain's parsing DSL, which CstParser keeps
 * protected, and the grammar's rules, one per rule of grammar/nsh.ebnf.
 */
import { tokenMatcher } from 'chevrotain';
import type { ConsumeMethodOpts, CstNode, DSLMethodOpts, DSLMethodOptsWithErr, GrammarAction, IOrAlt, IToken, OrMethodOpts, ParserMethod, SubruleMethodOpts, TokenType } from 'chevrotain';

export type Rule = ParserMethod<[], CstNode>;
type Consume = (tokType: TokenType, options?: ConsumeMethodOpts) => IToken;
type Subrule = <ARGS extends unknown[]>(rule: ParserMethod<ARGS, CstNode>, options?: SubruleMethodOpts<ARGS>) => CstNode;
interface Or {
  <T>(altsOrOpts: IOrAlt<T>[] | OrMethodOpts<T>): T;
  (altsOrOpts: IOrAlt<unknown>[] | OrMethodOpts<unknown>): unknown;
}
type Many = (action: GrammarAction<unknown> | DSLMethodOpts<unknown>) => void;
type Option = <OUT>(action: GrammarAction<OUT> | DSLMethodOpts<OUT>) => OUT | undefined;
type AtLeastOne = (action: GrammarAction<unknown> | DSLMethodOptsWithErr<unknown>) => void;

/** The DSL methods the rules use (the digit tells occurrences of one method in a rule apart). */
interface Dsl {
  RULE(name: string, implementation: () => void): Rule;
  LA(howMuch: number): IToken;
  CONSUME: Consume;
  CONSUME2: Consume;
  CONSUME3: Consume;
  CONSUME4: Consume;
  CONSUME5: Consume;
  CONSUME6: Consume;
  CONSUME7: Consume;
  SUBRULE: Subrule;
  SUBRULE2: Subrule;
  OR: Or;
  OR2: Or;
  MANY: Many;
  MANY2: Many;
  MANY3: Many;
  OPTION: Option;
  OPTION2: Option;
  AT_LEAST_ONE: AtLeastOne;
}

/** The rules, in the order they are defined. */
export interface Rules {
  program: Rule;
  statements: Rule;
  statement: Rule;
  nsStmt: Rule;
  delStmt: Rule;
  vethStmt: Rule;
  shapeOption: Rule;
  shapeStmt: Rule;
  bridgeStmt: Rule;
  attachStmt: Rule;
  addrStmt: Rule;
  upStmt: Rule;
  downStmt: Rule;
  moveStmt: Rule;
  routeStmt: Rule;
  forwardStmt: Rule;
  sysctlStmt: Rule;
  nsRef: Rule;
  commandTail: Rule;
  inStmt: Rule;
  pingallStmt: Rule;
  showStmt: Rule;
  infoStmt: Rule;
  sameStmt: Rule;
  pinStmt: Rule;
  spawnStmt: Rule;
  block: Rule;
  forStmt: Rule;
  defStmt: Rule;
  letStmt: Rule;
  includeStmt: Rule;
  echoStmt: Rule;
  sleepStmt: Rule;
  jobsStmt: Rule;
  waitStmt: Rule;
  killStmt: Rule;
  captureStmt: Rule;
  awaitStmt: Rule;
  vlanStmt: Rule;
  macvlanStmt: Rule;
  natStmt: Rule;
  publishStmt: Rule;
  vxlanStmt: Rule;
  machineStmt: Rule;
  callStmt: Rule;
}

/** What a rule file defines its rules on: the parser itself. */
export type Grammar = Dsl & Rules;

/** A gate: the next token is none of `types`. */
export function isNot($: Grammar, ...types: TokenType[]): () => boolean {
  return () => !types.some(t => tokenMatcher($.LA(1), t));
}
