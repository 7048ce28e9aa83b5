/**
 * Input and continuation: the lines of one entry are gathered until they parse as complete (the
 * `...` prompt meanwhile). An entry is open while a `{` is unclosed or a line ends in `\`.
 */
import { loadInline, type Loaded } from '../pipeline.js';
import { sortDiagnostics, type Diagnostic } from '../syntax/diagnostics.js';

export class EntryBuffer {
  private text = '';

  /** Whether an entry awaits more lines. */
  get open(): boolean {
    return this.text !== '';
  }

  /** Adds a line (ending in its newline): the loaded entry once complete, undefined while it needs more. */
  add(line: string): Loaded | undefined {
    const text = this.text + line;
    const l = loadInline('repl', text);
    // a line ending in a backslash goes on on the next one
    if (l.incomplete || /(^|[^\\])(\\\\)*\\\r?\n$/.test(text)) {
      this.text = text;
      return undefined;
    }
    this.text = '';
    return l;
  }

  abandon(): void {
    this.text = '';
  }

  /** At the end of input: the open entry's problems, and the entry is dropped. */
  close(): Diagnostic[] {
    if (!this.text.trim()) return [];
    const l = loadInline('repl', this.text);
    this.text = '';
    return sortDiagnostics(l.diagnostics);
  }
}
