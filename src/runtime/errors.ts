/** A diagnostic raised while interpreting: an expanded word that is invalid, an unknown name … */
import type { Diagnostic } from '../syntax/diagnostics.js';

export class DiagnosticError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'DiagnosticError';
  }
}
