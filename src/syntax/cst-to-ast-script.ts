/** The CST visitor (cst-to-ast.ts) for a script as a whole: a program, its statements, a statement, a call of a def. */
import { tokenMatcher } from 'chevrotain';
import type { CstNode } from 'chevrotain';
import type * as A from './ast.js';
import type * as C from './cst.js';
import type { AstBuilder } from './cst-to-ast.js';
import { damaged, isToken, type Child } from './cst-to-ast-base.js';
import * as T from './tokens.js';
import type { Span } from './source.js';

export const scriptVisits = {
  program(this: AstBuilder, c: C.ProgramCstChildren): A.Program {
    const statements = this.statements(c.statements[0]?.children);
    const { source } = this.at;
    return { kind: 'program', statements, span: { source, start: 0, end: source.text.length, line: 1, col: 1 } };
  },

  statements(this: AstBuilder, c: C.StatementsCstChildren | undefined): A.Statement[] {
    const list = c?.statement ?? [];
    // the span of a statement node is that of the statement inside it, but for a `!` before it
    const one = (s: C.StatementCstNode): A.Statement => this.statement(s.children, s.children.Bang ? this.span(s) : undefined);
    // (an array of the statements' number: one grown by push would keep room for more, in the tree)
    if (!this.recovered) return list.map(one);
    const out: A.Statement[] = [];
    for (const s of list) {
      if (damaged(s)) this.wordProblems(s);
      else out.push(one(s));
    }
    return out;
  },

  /** `span`: the node's span, needed only when it holds a `!`. */
  statement(this: AstBuilder, c: C.StatementCstChildren, span?: Span): A.Statement {
    // the one child that is a rule node is the statement itself ("!" is a token)
    let inner: CstNode | undefined;
    for (const key in c) {
      const first = (c as Record<string, Child[]>)[key]![0]!;
      if (!isToken(first)) {
        inner = first;
        break;
      }
    }
    const stmt = this.visit(inner!, this.span(inner!)) as A.Statement;
    if (c.Bang) return { kind: 'not', statement: stmt, span: span! };
    return stmt;
  },

  /** Reports the problems inside the words of a statement that did not parse (an unterminated string is often why). */
  wordProblems(this: AstBuilder, node: CstNode): void {
    for (const list of Object.values(node.children)) {
      for (const c of list as Child[]) {
        if (!isToken(c)) this.wordProblems(c);
        else if (!c.isInsertedInRecovery && tokenMatcher(c, T.Word)) this.word(c);
      }
    }
  },

  callStmt(this: AstBuilder, c: C.CallStmtCstChildren, span: Span): A.CallStmt {
    return { kind: 'call', name: this.word(c.name[0]!), args: this.words(c.args), span };
  },
};
