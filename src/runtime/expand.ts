/** Word expansion: variables, `${…}` arithmetic and quoting, with errors pointing into the word. */
import type { Expr, Word } from '../syntax/ast.js';
import { error } from '../syntax/diagnostics.js';
import type { Span } from '../syntax/source.js';
import { grouped, MAX_WORD } from '../syntax/limits.js';
import { INT_RANGE, inIntRange, outOfIntRange, show } from '../syntax/values.js';
import { piecesOf, textOf, type Piece, type Text } from '../core/text.js';
import { isUnknown, type Scope } from './environment.js';
import { DiagnosticError } from './errors.js';

export interface VarSource {
  readonly scope: Scope;
  /** Process environment, consulted after nsh's own variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
}


/**
 * Thrown (never shown) when expansion meets UNKNOWN or a word with a syntax error (its problem is
 * reported by the parser): the statement ends quietly. Cheap: no stack is captured.
 */
export class UnknownValue {}
const unknownValue = new UnknownValue();

function undefinedVar(name: string, span: Span): DiagnosticError {
  const hint = name === '!' ? '$! is set by a statement ending in &' : `define it first, e.g. let ${name} = …`;
  return new DiagnosticError(error(`variable $${name} is not defined`, span, hint, 'undefined-variable'));
}

function lookup(name: string, span: Span, vars: VarSource): Text {
  const v = vars.scope.get(name) ?? (name === '!' ? undefined : vars.env[name]);
  if (v === undefined) throw undefinedVar(name, span);
  if (isUnknown(v)) throw unknownValue;
  return v;
}

/** A variable's text where nsh needs characters: a pid known only when the commands run is an error there. */
function lookupPlain(name: string, span: Span, vars: VarSource): string {
  const v = lookup(name, span, vars);
  if (typeof v === 'string') return v;
  throw new DiagnosticError(error(
    `$${name} holds a process id known only when the commands run, which cannot stand here`,
    span,
    'such a process id can name a process (kill, wait, in pid …) or be a word of a program',
    'pid-unknown-here',
  ));
}

/** A value of nsh's integers, or an error at `span` (`what` names it). */
function integer(n: bigint, what: string, span: Span): bigint {
  if (inIntRange(n)) return n;
  throw new DiagnosticError(error(outOfIntRange(what, n).problem, span, undefined, 'integer-range'));
}

function evaluate(e: Expr, vars: VarSource): bigint {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'ref': {
      const v = lookupPlain(e.name, e.span, vars).trim();
      if (!/^-?\d+$/.test(v)) {
        throw new DiagnosticError(error(`$${e.name} is ${show(v)}, not a whole number`, e.span));
      }
      const n = BigInt(v);
      if (!inIntRange(n)) throw new DiagnosticError(error(`$${e.name} is ${v}, out of range: nsh's integers are ${INT_RANGE}`, e.span, undefined, 'integer-range'));
      return n;
    }
    case 'neg':
      return -evaluate(e.operand, vars);
    case 'bin': {
      const a = evaluate(e.left, vars);
      const b = evaluate(e.right, vars);
      switch (e.op) {
        case '+':
          return integer(a + b, 'the result', e.span);
        case '-':
          return integer(a - b, 'the result', e.span);
        case '*':
          return integer(a * b, 'the result', e.span);
        case '/':
        case '%':
          if (b === 0n) throw new DiagnosticError(error('division by zero', e.span));
          return e.op === '/' ? a / b : a % b;
      }
    }
  }
}

/** The text of `w`: characters, with the pids known only when the commands run that it holds. */
export function expandText(w: Word, vars: VarSource): Text {
  return expand(w, vars, lookup);
}

/** The characters of `w`, where nsh itself reads them (a name, an address, a number …). */
export function expandWord(w: Word, vars: VarSource): string {
  // every piece is characters (lookupPlain), so textOf joined them into one string
  return expand(w, vars, lookupPlain) as string;
}

function expand(w: Word, vars: VarSource, value: (name: string, span: Span, vars: VarSource) => Text): Text {
  if (w.literal !== undefined) return w.literal;
  // characters, joined as they come, until a piece is not (then the pieces, joined by textOf)
  let chars = '';
  let pieces: Piece[] | undefined;
  let length = 0;
  for (const p of w.parts) {
    let piece: Text;
    if (p.kind === 'text') piece = p.value;
    else if (p.kind === 'var') piece = value(p.name, p.span, vars);
    else if (p.kind === 'expr') piece = evaluate(p.expr, vars).toString();
    else throw unknownValue;
    // `let a = $a$a`, again and again, doubles a value until no string can hold it
    length += typeof piece === 'string' ? piece.length : textLength(piece);
    if (length > MAX_WORD) {
      throw new DiagnosticError(
        error(`the value of this word is more than ${grouped(MAX_WORD)} characters, the most nsh allows`, w.span, undefined, 'value-too-long'),
      );
    }
    if (pieces === undefined && typeof piece === 'string') chars += piece;
    else {
      pieces ??= [chars];
      for (const q of piecesOf(piece)) pieces.push(q);
    }
  }
  return pieces === undefined ? chars : textOf(pieces);
}

/** A text's length as the shell will print it (a pid as its "${variable}"). */
function textLength(t: Text): number {
  return piecesOf(t).reduce((n, p) => n + (typeof p === 'string' ? p.length : p.name.length + 5), 0);
}
