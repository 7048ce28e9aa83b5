/** The rules of a script as a whole (parser.ts): statements, a statement, a call of a def. */
import { EMPTY_ALT, EOF, tokenMatcher } from 'chevrotain';
import type { Grammar } from './parser-dsl.js';
import * as T from './tokens.js';

/** The first rules: a program, its statements, a statement (whose alternatives are the other files' rules). */
export function scriptRules($: Grammar): void {

  $.program = $.RULE('program', () => {
    $.SUBRULE($.statements);
  });

  // The alternatives of the ORs below are made once, here, not at every statement: the parser only
  // reads them, and made anew they were most of what it allocated (the 38 of a statement above all).

  /** What ends a statement: a new line, ";", or nothing before "}" or the end of the input. */
  const end = {
    IGNORE_AMBIGUITIES: true,
    DEF: [
      { ALT: () => $.CONSUME2(T.Newline) },
      { ALT: () => $.CONSUME2(T.Semicolon) },
      { GATE: () => tokenMatcher($.LA(1), T.RBrace) || $.LA(1).tokenType === EOF, ALT: EMPTY_ALT() },
    ],
    ERR_MSG: 'a new line or ";" after the statement',
  };
  const item = [
    { ALT: () => $.CONSUME(T.Newline) },
    { ALT: () => $.CONSUME(T.Semicolon) },
    {
      ALT: () => {
        $.SUBRULE($.statement);
        $.OR2(end);
      },
    },
  ];
  const oneItem = () => $.OR(item);

  /** Statements, separated by new lines or ";"; one also ends before "}" or the end of the input. */
  $.statements = $.RULE('statements', () => {
    $.MANY(oneItem);
  });

  const bang = () => $.CONSUME(T.Bang);
  const statement = {
    IGNORE_AMBIGUITIES: true,
    DEF: [
      { ALT: () => $.SUBRULE($.nsStmt) },
      { ALT: () => $.SUBRULE($.delStmt) },
      { ALT: () => $.SUBRULE($.vethStmt) },
      { ALT: () => $.SUBRULE($.bridgeStmt) },
      { ALT: () => $.SUBRULE($.attachStmt) },
      { ALT: () => $.SUBRULE($.addrStmt) },
      { ALT: () => $.SUBRULE($.upStmt) },
      { ALT: () => $.SUBRULE($.downStmt) },
      { ALT: () => $.SUBRULE($.moveStmt) },
      { ALT: () => $.SUBRULE($.routeStmt) },
      { ALT: () => $.SUBRULE($.forwardStmt) },
      { ALT: () => $.SUBRULE($.sysctlStmt) },
      { ALT: () => $.SUBRULE($.inStmt) },
      { ALT: () => $.SUBRULE($.pingallStmt) },
      { ALT: () => $.SUBRULE($.showStmt) },
      { ALT: () => $.SUBRULE($.infoStmt) },
      { ALT: () => $.SUBRULE($.sameStmt) },
      { ALT: () => $.SUBRULE($.pinStmt) },
      { ALT: () => $.SUBRULE($.spawnStmt) },
      { ALT: () => $.SUBRULE($.forStmt) },
      { ALT: () => $.SUBRULE($.defStmt) },
      { ALT: () => $.SUBRULE($.letStmt) },
      { ALT: () => $.SUBRULE($.includeStmt) },
      { ALT: () => $.SUBRULE($.echoStmt) },
      { ALT: () => $.SUBRULE($.sleepStmt) },
      { ALT: () => $.SUBRULE($.jobsStmt) },
      { ALT: () => $.SUBRULE($.waitStmt) },
      { ALT: () => $.SUBRULE($.killStmt) },
      { ALT: () => $.SUBRULE($.shapeStmt) },
      { ALT: () => $.SUBRULE($.captureStmt) },
      { ALT: () => $.SUBRULE($.awaitStmt) },
      { ALT: () => $.SUBRULE($.vlanStmt) },
      { ALT: () => $.SUBRULE($.macvlanStmt) },
      { ALT: () => $.SUBRULE($.natStmt) },
      { ALT: () => $.SUBRULE($.publishStmt) },
      { ALT: () => $.SUBRULE($.vxlanStmt) },
      { ALT: () => $.SUBRULE($.machineStmt) },
      { ALT: () => $.SUBRULE($.callStmt) },
    ],
    ERR_MSG: 'a statement',
  };

  /** A statement: "!" inverts its outcome. */
  $.statement = $.RULE('statement', () => {
    $.OPTION(bang);
    $.OR(statement);
  });
}

/** The last rule: a call of a def. */
export function callRule($: Grammar): void {
  /** A call of a def: any word but a statement keyword (those start their statements, chosen first). */
  $.callStmt = $.RULE('callStmt', () => {
    $.CONSUME(T.Word, { LABEL: 'name' });
    $.MANY(() => $.CONSUME2(T.Word, { LABEL: 'args' }));
  });
}
