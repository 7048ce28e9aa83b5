/**
 * Input and continuation: the lines of one entry are gathered until they parse as complete (the
 * `...` prompt meanwhile). An entry is open while a `{` is unclosed or a line ends in `\`.
 */
import { sortDiagnostics, type Diagnostic } from '../syntax/diagnostics.js';
import { isUnclosed, loadInline, type Loaded } from './pipeline-load.js';

/** A complete entry: what it loaded to, and its lines as they were typed. */
export interface Complete {
  readonly loaded: Loaded;
  readonly lines: readonly string[];
}

export class EntryBuffer {
  private text = '';
  private typed: string[] = [];

  /** Whether an entry awaits more lines. */
  get open(): boolean {
    return this.text !== '';
  }

  /**
   * Adds a line (ending in its newline; `typed`: as the user typed it, before the context rule
   * changed it): the entry once complete, undefined while it needs more.
   */
  add(line: string, typed = line): Complete | undefined {
    const text = this.text + line;
    this.typed.push(typed.replace(/\r?\n$/, ''));
    const l = loadInline('repl', text);
    // an unclosed `{` awaits its `}`, and a line ending in a backslash goes on on the next one;
    // a statement that ends before its words (`forward` alone) is an error at once
    if ((l.incomplete && l.diagnostics.some(d => isUnclosed(d.message))) || /(^|[^\\])(\\\\)*\\\r?\n$/.test(text)) {
      this.text = text;
      return undefined;
    }
    this.text = '';
    return { loaded: l, lines: this.typed.splice(0) };
  }

  /** Drops the open entry: its lines. */
  abandon(): string[] {
    this.text = '';
    return this.typed.splice(0);
  }

  /** At the end of input: the open entry's problems, and the entry is dropped. */
  close(): Diagnostic[] {
    const text = this.text;
    this.abandon();
    return text.trim() ? sortDiagnostics(loadInline('repl', text).diagnostics) : [];
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
