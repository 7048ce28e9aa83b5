/** The library's one error type: the section-5 diagnostics as data, and as nsh prints them. */

/** A diagnostic: what is wrong, where, and the text nsh prints for it. */
export interface NshDiagnostic {
  readonly severity: 'error' | 'warning';
  /** One sentence. */
  readonly message: string;
  readonly hint?: string;
  /** A stable name for some kinds of problem (`undefined-variable` …). */
  readonly code?: string;
  /**
   * Where: the file of the template (or of the call) in your program, its line and 1-based
   * column there; `length` characters are marked. A template's text is placed where it is
   * written, so the line is the file's; columns after a `${…}` on the same line are off by the
   * difference between your expression and the placeholder nsh wrote for it.
   */
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly length?: number;
  /** As nsh prints it: `file:line:col: error: …`, the line with a caret under the culprit, the hint. */
  readonly rendered: string;
}

/**
 * An error of nsh: a template that does not check, a statement or operation that failed, a lab
 * that cannot be made. `stage` says whether anything was done: `check` — nothing was built or
 * run; `run` — something ran (a failed first build has removed what it made, unless
 * `keepOnError`; a later statement's failure leaves the lab as it is).
 */
export class NshError extends Error {
  override readonly name = 'NshError';

  constructor(
    readonly diagnostics: readonly NshDiagnostic[],
    readonly stage: 'check' | 'run',
    /** The lab a failed first build left up (`keepOnError`): attach(lab) joins it, `nsh down LAB` removes it. */
    readonly kept?: string,
  ) {
    super(diagnostics.map(d => d.rendered).join('\n') + (kept === undefined ? '' : `\n(what it made is kept: lab ${JSON.stringify(kept)})`));
  }
}
