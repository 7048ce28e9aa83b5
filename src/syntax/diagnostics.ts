/** Diagnostics are data: a message, where it applies, and an optional hint. Rendering is separate. */
import { lineBounds, type Span } from './source.js';

export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly span?: Span;
  readonly hint?: string;
  /** A stable name for the kind of problem, where callers need to tell kinds apart. */
  readonly code?: string;
}

/** Control characters from user text are escaped: a message is always one line. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, c => JSON.stringify(c).slice(1, -1));
}

export function error(message: string, span?: Span, hint?: string, code?: string): Diagnostic {
  return {
    severity: 'error',
    message: oneLine(message),
    ...(span ? { span } : {}),
    ...(hint ? { hint: oneLine(hint) } : {}),
    ...(code ? { code } : {}),
  };
}

export interface Painter {
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
  cyan(s: string): string;
}

const plain: Painter = { red: s => s, yellow: s => s, bold: s => s, dim: s => s, cyan: s => s };

/** The most characters of a source line shown under a message. */
const SHOWN = 120;
/** How many characters before the culprit a cut line keeps. */
const BEFORE = 40;

/**
 * The source line of a span as shown, with the column and width of the caret in it. A line longer
 * than SHOWN is cut around the culprit, with … where it is cut, and the caret at most as wide.
 */
function shownLine(s: Span): { text: string; startCol: number; width: number } {
  const { begin, stop } = lineBounds(s);
  const col = Math.min(s.col - 1, stop - begin);
  const width = Math.max(1, Math.min(s.end - s.start, stop - begin - col));
  if (stop - begin <= SHOWN) return { text: s.source.text.slice(begin, stop), startCol: col, width };
  const from = col <= BEFORE ? 0 : col - BEFORE;
  const to = Math.min(stop - begin, from + SHOWN);
  const head = from > 0 ? '…' : '';
  const text = `${head}${s.source.text.slice(begin + from, begin + to)}${to < stop - begin ? '…' : ''}`;
  const startCol = col - from + head.length;
  return { text, startCol, width: Math.max(1, Math.min(width, to - col)) };
}

/**
 * Renders one diagnostic in nsh's error form:
 *
 *     lab.ns:3:8: error: interface name "…" is 21 characters; Linux allows at most 15
 *       3 | veth a.averyveryverylongname <-> host.v1
 *         |        ^^^^^^^^^^^^^^^^^^^^^
 *       hint: …
 */
export function renderDiagnostic(d: Diagnostic, paint: Painter = plain): string {
  const label = d.severity === 'error' ? paint.red(paint.bold('error')) : paint.yellow(paint.bold('warning'));
  const out: string[] = [];
  if (!d.span) {
    // a problem with no place in a script (a file that cannot be read) is the command's
    out.push(`${paint.bold('nsh')}: ${label}: ${d.message}`);
  } else {
    const s = d.span;
    out.push(`${paint.bold(`${s.source.name}:${s.line}:${s.col}`)}: ${label}: ${d.message}`);
    const { text, startCol, width } = shownLine(s);
    const gutter = String(s.line);
    const pad = ' '.repeat(gutter.length);
    // keep tabs so the caret lines up under the culprit
    const lead = text.slice(0, startCol).replace(/[^\t]/g, ' ');
    out.push(`  ${paint.dim(gutter + ' |')} ${text}`);
    out.push(`  ${paint.dim(pad + ' |')} ${lead}${paint.red('^'.repeat(width))}`);
  }
  if (d.hint) out.push(`  ${paint.cyan('hint')}: ${d.hint}`);
  return out.join('\n');
}

export function renderDiagnostics(ds: readonly Diagnostic[], paint?: Painter): string {
  return ds.map(d => renderDiagnostic(d, paint)).join('\n');
}

/**
 * Sorts by place (files in the order they first appear, then by offset) and keeps one diagnostic
 * per place: a loop that repeats a bad word reports it once.
 * The sort is stable, so of two problems at one place the one found first is kept.
 */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const order = new Map<string, number>();
  for (const d of ds) if (d.span && !order.has(d.span.source.name)) order.set(d.span.source.name, order.size);
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of ds) {
    // two problems starting at one place: the second is an echo of the first
    const key = d.span ? `${d.span.source.name}:${d.span.start}` : d.message;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  const rank = (d: Diagnostic) => (d.span ? order.get(d.span.source.name)! : -1);
  return out.sort((a, b) => rank(a) - rank(b) || (a.span?.start ?? 0) - (b.span?.start ?? 0));
}
