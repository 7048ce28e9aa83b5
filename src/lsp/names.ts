/**
 * The variables and defs a place of the document can use, read from the text: `let` and `for`
 * variables and defs written before it (in includes too), and inside a def its parameters. A def
 * body has a scope of its own; a loop body does not.
 */
import type { DefStmt, Statement, Word } from '../syntax/ast.js';
import type { Source } from '../syntax/source.js';
import { contains, inSource } from './syntax-walk.js';

/** A name and the word that defines it. */
export interface Definition {
  readonly name: string;
  readonly word: Word;
  /** The def whose parameter it is. */
  readonly param?: DefStmt;
}

export interface Visible {
  readonly variables: Definition[];
  readonly defs: { readonly name: string; readonly def: DefStmt }[];
}

const nameOf = (w: Word) => w.literal ?? w.raw;

/**
 * What is visible at `offset` of `source`: each name once, its latest definition before the place
 * last (the one a use there refers to, as far as the text tells).
 */
export function visibleAt(statements: readonly Statement[], source: Source, offset: number): Visible {
  const variables: Definition[] = [];
  const defs: { name: string; def: DefStmt }[] = [];
  const before = (s: Statement) => !inSource(s.span, source) || s.span.end <= offset;
  const walk = (ss: readonly Statement[]): void => {
    for (const s of ss) {
      const inside = inSource(s.span, source) && contains(s.span, offset) && !before(s);
      if (!before(s) && !inside) return;
      switch (s.kind) {
        case 'let':
          if (!inside) variables.push({ name: nameOf(s.name), word: s.name });
          break;
        case 'for':
          variables.push({ name: nameOf(s.variable), word: s.variable });
          walk(s.body);
          break;
        case 'def':
          if (inside) {
            for (const p of s.params) variables.push({ name: nameOf(p), word: p, param: s });
            walk(s.body);
          } else defs.push({ name: nameOf(s.name), def: s });
          break;
        case 'include':
          walk(s.body ?? []);
          break;
        case 'not':
          walk([s.statement]);
          break;
        default:
          break;
      }
      if (inside) return;
    }
  };
  walk(statements);
  // the last definition of a name stands
  const last = <T extends { name: string }>(xs: T[]) => xs.filter((x, i) => !xs.slice(i + 1).some(y => y.name === x.name));
  return { variables: last(variables), defs: last(defs) };
}
