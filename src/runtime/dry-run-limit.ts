/**
 * How much a dry run (`nsh check`) may expand: loops nested in loops multiply, and a check that
 * would run 10^12 statements never ends. A loop whose statements, its inner loops multiplied out,
 * number more than DRY_RUN_LIMIT is an error at the loop; where inner ranges are known only as the
 * loop runs (`for j in 1..$i`), the statements are counted as they run, and the loops stop once the
 * count passes the limit. Each outermost loop has the limit to itself.
 */
import type * as A from '../syntax/ast.js';
import { error } from '../syntax/diagnostics.js';
import { DiagnosticError } from './errors.js';

export const DRY_RUN_LIMIT = 1_000_000;
const HINT = 'make the ranges smaller to check the script; running it has no such limit';

/** `1000000` → `1,000,000`. */
const grouped = (n: number) => n.toLocaleString('en-US');

/**
 * The statements a run of `body` runs, loops multiplied out; `size` gives a loop's number of
 * values where it is known before the loop runs (a loop whose size is not known counts once).
 */
export function statementsIn(body: readonly A.Statement[], size: (f: A.ForStmt) => number | undefined): number {
  let n = 0;
  for (const s of body) {
    if (s.kind === 'for') n += (size(s) ?? 1) * statementsIn(s.body, size);
    else if (s.kind === 'not') n += statementsIn([s.statement], size);
    else if (s.kind === 'include') n += statementsIn(s.body ?? [], size);
    else if (s.kind !== 'def') n += 1;
  }
  return n;
}

/** How many values a loop has, if that is known before it runs (its words expand now). */
export function loopSize(f: A.ForStmt, expand: (w: A.Word) => string): number | undefined {
  if (f.items.kind === 'list') return f.items.words.length;
  try {
    return Math.abs(Number(expand(f.items.to)) - Number(expand(f.items.from))) + 1 || undefined;
  } catch {
    return undefined;
  }
}

/** The loops of one dry run: what they ran so far, and whether they were stopped. */
export class DryRunLoops {
  private ran = 0;
  private depth = 0;
  private stopped = false;

  /**
   * Before a loop of `count` values runs: an error at the loop if its statements, inner loops
   * multiplied out, are more than the limit.
   */
  enter(s: A.ForStmt, count: number, size: (f: A.ForStmt) => number | undefined): void {
    const total = count * statementsIn(s.body, size);
    if (total > DRY_RUN_LIMIT) {
      throw new DiagnosticError(
        error(
          `a check of this loop would run ${grouped(total)} statements; nsh checks at most ${grouped(DRY_RUN_LIMIT)}`,
          s.items.span,
          HINT,
        ),
      );
    }
    this.depth++;
  }

  /** Before each pass of the loop's body: false once the loops are stopped (the error is thrown once, here). */
  pass(s: A.ForStmt): boolean {
    if (this.stopped) return false;
    // the statements of this pass but its inner loops, which count their own passes
    this.ran += statementsIn(s.body, () => 0);
    if (this.ran <= DRY_RUN_LIMIT) return true;
    this.stopped = true;
    throw new DiagnosticError(
      error(`a check of this loop runs more than ${grouped(DRY_RUN_LIMIT)} statements; nsh checks at most ${grouped(DRY_RUN_LIMIT)}`, s.items.span,
        HINT),
    );
  }

  /** After the loop: the end of the outermost one starts the count again for the next. */
  exit(): void {
    if (--this.depth > 0) return;
    this.stopped = false;
    this.ran = 0;
  }
}
