/** What lowering a statement into operations may read: words in their roles, and the lab's namespaces. */
import type { Roles } from '../roles.js';
import type { Scope } from '../environment.js';

export interface LowerContext {
  readonly roles: Roles;
  readonly scope: Scope;
  /** The lab's namespaces in creation order (as the statement finds them). */
  readonly lab: ReadonlySet<string>;
  /** The lab's name (its nftables table is named after it). */
  readonly labName?: string | undefined;
  /** The links the lab's record holds in a namespace it did not make. */
  readonly labLinks?: ((ns: string) => string[]) | undefined;
}
