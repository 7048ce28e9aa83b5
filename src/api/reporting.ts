/** Diagnostics and failures as the library's NshError. */
import { renderDiagnostic, type Diagnostic } from '../syntax/diagnostics.js';
import type { Site } from './call-site.js';
import { NshError, type NshDiagnostic } from './errors.js';

/** A diagnostic of the interpreter, as the library gives it. */
export function fromDiagnostic(d: Diagnostic): NshDiagnostic {
  const s = d.span;
  return {
    severity: d.severity,
    message: d.message,
    ...(d.hint === undefined ? {} : { hint: d.hint }),
    ...(d.code === undefined ? {} : { code: d.code }),
    ...(s ? { file: s.source.name, line: s.line, col: s.col, length: Math.max(1, s.end - s.start) } : {}),
    rendered: renderDiagnostic(d),
  };
}

/** A problem of a call (not of a template's text), placed at the call when the stack tells where. */
export function atCall(message: string, site: Site | undefined, hint?: string): NshDiagnostic {
  const where = site ? `${site.file}:${site.line}:${site.col}: ` : '';
  return {
    severity: 'error',
    message,
    ...(hint === undefined ? {} : { hint }),
    ...(site ? { file: site.file, line: site.line, col: site.col } : {}),
    rendered: `${where}error: ${message}${hint === undefined ? '' : `\n  hint: ${hint}`}`,
  };
}

export function checkError(ds: readonly Diagnostic[]): NshError {
  return new NshError(ds.map(fromDiagnostic), 'check');
}

export function usageError(message: string, site: Site | undefined, hint?: string): NshError {
  return new NshError([atCall(message, site, hint)], 'check');
}
