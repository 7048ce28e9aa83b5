/**
 * What every method of the CST visitor (cst-to-ast.ts) builds on: Chevrotain's visitor base for
 * this grammar, the source the words come from, the diagnostics found, and the checks of words.
 */
import type { CstNode, IToken } from 'chevrotain';
import type * as A from './ast.js';
import { error, type Diagnostic } from './diagnostics.js';
import { theParser } from './parser.js';
import { statementSpec } from './statements.js';
import { SHAPE_OPTIONS } from './statement-spec.js';
import * as V from './values.js';
import { type Origin, type Span, subSpan } from './source.js';
import { parseWord, tokenSpan } from './words.js';

export type Child = CstNode | IToken;

/** `n` as V8's small integer where it is one (a whole number that fits 32 bits), else `n` as it is. */
export function small(n: number): number {
  return (n | 0) === n ? n | 0 : n;
}

export function isToken(c: Child): c is IToken {
  return (c as IToken).image !== undefined;
}

/** Whether the parser made up part of the node while recovering from an error. */
export function damaged(node: CstNode): boolean {
  if (node.recoveredNode) return true;
  for (const list of Object.values(node.children)) {
    for (const c of list as Child[]) {
      if (isToken(c) ? c.isInsertedInRecovery === true || Number.isNaN(c.startOffset) : damaged(c)) return true;
    }
  }
  return false;
}

/** Chevrotain's visitor base for this grammar: `visit` dispatches on the rule name; the rule names are known for `validateVisitor`. */
const Visitor = theParser(false).getBaseCstVisitorConstructor<Span, unknown>();

export class AstBuilderBase extends Visitor {
  readonly diagnostics: Diagnostic[] = [];
  /** `recovered`: the parser reported errors, so nodes may hold tokens it made up. */
  constructor(
    readonly at: Origin,
    readonly recovered: boolean,
  ) {
    super();
  }

  span(node: CstNode): Span {
    const loc = node.location;
    const { source, offset, line } = this.at;
    if (!loc || Number.isNaN(loc.startOffset)) return { source, start: offset, end: offset, line, col: 1 };
    // Chevrotain's locations start as NaN, so V8 holds their numbers boxed; `small` keeps the
    // span's as small integers (one boxed number in a span's field makes every span box them).
    return {
      source,
      start: small(offset + loc.startOffset),
      end: small(offset + (loc.endOffset ?? loc.startOffset) + 1),
      line: small(line + (loc.startLine ?? 1) - 1),
      col: small(loc.startColumn ?? 1),
    };
  }

  word(tok: IToken): A.Word {
    const { word, diagnostics } = parseWord(this.at, tok);
    for (const d of diagnostics) this.diagnostics.push(d);
    return word;
  }
  words(toks: readonly IToken[] | undefined): A.Word[] {
    return (toks ?? []).map(t => this.word(t));
  }
  optWord(toks: readonly IToken[] | undefined): A.Word | undefined {
    const t = toks?.[0];
    return t && this.word(t);
  }
  /** An option that may be given once (`via`, `dev`, `hostname`, `as`): `keywords` are its keyword tokens, `values` its value words. */
  lastWord(values: readonly IToken[] | undefined, what: string, keywords?: readonly IToken[]): A.Word | undefined {
    const ts = values ?? [];
    if (ts.length > 1) this.diagnostics.push(error(`${what} is given twice`, tokenSpan(this.at, (keywords ?? ts)[1]!)));
    const t = ts[ts.length - 1];
    return t && this.word(t);
  }

  /**
   * Checks a word that holds no variable with `check`, as the interpreter checks an expanded one:
   * a problem becomes a diagnostic under the word (or the part at fault). A word with variables is
   * checked when it is expanded.
   */
  literal<T>(w: A.Word | undefined, check: (text: string) => T | V.Problem): void {
    if (w?.literal === undefined) return;
    const r = check(w.literal);
    if (!V.isProblem(r)) return;
    const span = r.from !== undefined && !w.quoted && w.raw === w.literal ? subSpan(w.span, r.from, r.to ?? r.from + 1) : w.span;
    this.diagnostics.push(error(r.problem, span, r.hint));
  }

  /** An option word's value, checked by the kind the registry gives it (TIME, PCT …). */
  optionValue(statement: string, option: string, w: A.Word | undefined): A.Word | undefined {
    const spec = [...(statementSpec(statement)?.options ?? []), ...SHAPE_OPTIONS].find(o => o.word === option);
    if (spec) this.literal(w, t => V.checkOptionValue(spec, t));
    return w;
  }

}
