/**
 * nsh's diagnostics as the protocol's: the message, then its hint on a line of its own, at the
 * span's range. A problem in an included file is shown on the include that brings it in (each
 * level of includes), with the file's place in front of the message and as related information.
 */
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import * as path from 'node:path';
import type { IncludeStmt, Statement } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import type { Source, Span } from '../syntax/source.js';
import { fileOfSource, locationOf, rangeOf } from './positions.js';
import { children, inSource } from './syntax-walk.js';

/** The text of a diagnostic as `nsh check` gives it, without its place: the message, and the hint below. */
export function diagnosticText(d: Diagnostic): string {
  return d.hint === undefined ? d.message : `${d.message}\nhint: ${d.hint}`;
}

/** The file an include reads (as the loader resolves it: relative to the including file). */
export function includedFile(s: IncludeStmt): string | undefined {
  return s.path.literal ? path.resolve(path.dirname(fileOfSource(s.span.source)), s.path.literal) : undefined;
}

/** For each file the document includes, at any depth, the path word of the document's include that brings it in. */
function includesOf(statements: readonly Statement[], source: Source): Map<string, Span> {
  const out = new Map<string, Span>();
  const visit = (ss: readonly Statement[], by: Span | undefined) => {
    for (const s of ss) {
      if (s.kind === 'include') {
        const here = by ?? (inSource(s.span, source) ? s.path.span : undefined);
        const file = includedFile(s);
        if (here && file && !out.has(file)) out.set(file, here);
        visit(s.body ?? [], here);
      } else visit(children(s), by);
    }
  };
  visit(statements, undefined);
  return out;
}

export function toLsp(ds: readonly Diagnostic[], document: { readonly source: Source; readonly uri: string; readonly statements: readonly Statement[] }): LspDiagnostic[] {
  let includes: Map<string, Span> | undefined;
  return ds.map(d => {
    const severity = d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
    const base = { severity, source: 'nsh', ...(d.code === undefined ? {} : { code: d.code }) };
    if (!d.span) return { ...base, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: diagnosticText(d) };
    if (inSource(d.span, document.source)) return { ...base, range: rangeOf(d.span), message: diagnosticText(d) };
    includes ??= includesOf(document.statements, document.source);
    const by = includes.get(fileOfSource(d.span.source));
    const place = `${d.span.source.name}:${d.span.line}:${d.span.col}`;
    return {
      ...base,
      range: by ? rangeOf(by) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `${place}: ${diagnosticText(d)}`,
      relatedInformation: [{ location: locationOf(d.span, document), message: d.message }],
    };
  });
}
