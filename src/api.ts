/**
 * nsh as a library: `import { lab } from 'nsh'`. A lab is built from nsh text (a tagged
 * template whose values are words, never text), checked before anything is made, and torn down
 * by `down()` or when an `await using` block is left. See docs/api.md.
 */
export { attach, lab, Lab } from './api/lab.js';
export { NshError, type NshDiagnostic } from './api/errors.js';
export type * from './api/types.js';
