/**
 * The sizes nsh reads and expands, each an error with a place past its limit (rather than a
 * stack or string-length overflow).
 */

/** The longest word, as written or as expanded (`$a$a` doubled again and again), in characters. */
export const MAX_WORD = 1_000_000;

/** How deep blocks `{ … }` may nest. */
export const MAX_NESTING = 100;

/** How deep an expression `${…}` may nest (parentheses, signs). */
export const MAX_EXPR_DEPTH = 100;

/** `1000000` → `1,000,000`. */
export function grouped(n: number | bigint): string {
  return n.toLocaleString('en-US');
}
