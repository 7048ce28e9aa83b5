/**
 * The operations a check lowered, kept for the run that follows it: a statement whose lowering
 * read only literal words and the lab's namespaces, in the straight-line start of a script, is
 * lowered to the same operations when it runs, so the run takes them as they are.
 */
import type * as A from '../syntax/ast.js';
import type { Op } from '../backend/ops.js';

/** The statements whose lowering reads nothing but their words and the lab's namespaces (lower/links.ts). */
const REUSABLE: ReadonlySet<A.Statement['kind']> = new Set(['ns', 'del', 'veth', 'bridge', 'attach', 'addr', 'link-state', 'move', 'route', 'forward', 'sysctl']);

export class LoweredOps {
  private readonly ops = new Map<A.Statement, readonly Op[]>();
  /**
   * Until the check meets a statement that is not kept (a loop, a def, a variable …), the lab's
   * namespaces at each statement are the ones the run will find there, if it starts from the lab
   * the check started from (a new lab).
   */
  private open = true;

  /** The check lowered `s` into `ops`; `literal`: it read no variable. */
  keep(s: A.Statement, ops: readonly Op[], literal: boolean): void {
    if (this.open && literal && REUSABLE.has(s.kind)) this.ops.set(s, ops);
    else this.open = false;
  }

  /** The check met a statement it did not keep, or one that failed: what follows is not kept. */
  close(): void {
    this.open = false;
  }

  get keeping(): boolean {
    return this.open;
  }

  /** What the check lowered `s` into, when the run may take it. */
  get(s: A.Statement): readonly Op[] | undefined {
    return this.ops.get(s);
  }
}
