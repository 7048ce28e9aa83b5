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

type Key = { readonly name?: string; readonly ctrl?: boolean; readonly meta?: boolean };
type LineEditor = { line: string; _ttyWrite(data: string, key: Key | undefined): void };

/**
 * Ctrl-D on an empty line of a terminal: `onEof` decides, and returns true when it took the key
 * (an open entry is abandoned and the session goes on); otherwise node's REPL ends, as usual.
 */
export function onCtrlD(server: object, onEof: () => boolean): void {
  const editor = server as LineEditor;
  const write = editor._ttyWrite.bind(editor);
  editor._ttyWrite = (data, key) => {
    if (key?.ctrl && !key.meta && key.name === 'd' && editor.line === '' && onEof()) return;
    write(data, key);
  };
}
