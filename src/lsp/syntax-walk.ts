/** Walks over nsh's syntax tree: the words of a statement, the variables they use, the statements of a text. */
import type { Expr, Statement, Word } from '../syntax/ast.js';
import type { Source, Span } from '../syntax/source.js';

/** The fields of a statement that hold other statements (walked on their own). */
const NESTED = new Set(['body', 'statement', 'span']);

/** The words written in a statement itself, in order (not those of the statements in its block). */
export function ownWords(s: Statement): Word[] {
  const out: Word[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
    } else if (v !== null && typeof v === 'object') {
      const o = v as { kind?: string };
      if (o.kind === 'word') out.push(v as Word);
      else for (const [k, x] of Object.entries(o)) if (!NESTED.has(k)) visit(x);
    }
  };
  for (const [k, v] of Object.entries(s)) if (!NESTED.has(k)) visit(v);
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** The names of the variables a word uses: `$a`, `${a}`, and those in `${a+1}`. */
export function varNames(w: Word): string[] {
  const out: string[] = [];
  const inExpr = (e: Expr): void => {
    if (e.kind === 'ref') out.push(e.name);
    else if (e.kind === 'neg') inExpr(e.operand);
    else if (e.kind === 'bin') {
      inExpr(e.left);
      inExpr(e.right);
    }
  };
  for (const p of w.parts) {
    if (p.kind === 'var') out.push(p.name);
    else if (p.kind === 'expr') inExpr(p.expr);
  }
  return out;
}

/** The statements directly inside one: a block's, an include's, or the one under `!`. */
export function children(s: Statement): readonly Statement[] {
  switch (s.kind) {
    case 'for':
    case 'def':
      return s.body;
    case 'include':
      return s.body ?? [];
    case 'not':
      return [s.statement];
    default:
      return [];
  }
}

/** Every statement written in `source`, outermost first, with the defs it is inside (innermost last). */
export function* statementsIn(
  statements: readonly Statement[],
  source: Source,
  defs: readonly Statement[] = [],
): Generator<{ readonly statement: Statement; readonly defs: readonly Statement[] }> {
  for (const s of statements) {
    if (!inSource(s.span, source)) continue;
    yield { statement: s, defs };
    // an include's statements are another file's
    if (s.kind !== 'include') yield* statementsIn(children(s), source, s.kind === 'def' ? [...defs, s] : defs);
  }
}

export const contains = (span: Span, offset: number): boolean => span.start <= offset && offset <= span.end;

/**
 * Whether a span is in the document's text. Statements kept from an earlier parse of the document
 * (syntax/piece-cache.ts) keep the source object of that parse: the same name, and the same text
 * where they are.
 */
export const inSource = (span: Span, source: Source): boolean => span.source === source || span.source.name === source.name;

/** The innermost statement of `source` at `offset`, and the statements around it (outermost first). */
export function statementAt(statements: readonly Statement[], source: Source, offset: number): Statement[] {
  const path: Statement[] = [];
  let level = statements;
  for (;;) {
    const s = level.find(x => inSource(x.span, source) && contains(x.span, offset));
    if (!s) return path;
    path.push(s);
    if (s.kind === 'include') return path;
    level = children(s);
  }
}
