/**
 * The REPL's history: ~/.nsh_history (after $HOME), appended to, the last HISTORY_KEEP entries
 * recalled. A multi-line entry (a block) is one history entry, as bash keeps one: its lines
 * joined into one line with `;` where a statement ends, when that line means the same.
 */
import * as fs from 'node:fs';
import { loadInline } from './pipeline-load.js';

export const HISTORY_KEEP = 1000;

/** The line editor's history, newest first (node's readline keeps it so). */
export interface Recall {
  history: string[];
}

export class History {
  private last: string | undefined;

  /** `file`: undefined for no history file. */
  constructor(private readonly file: string | undefined) {}

  /** The entries to recall, newest first. */
  load(): string[] {
    if (!this.file) return [];
    try {
      const all = fs.readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
      const lines = all.slice(-HISTORY_KEEP);
      // the file is appended to; it is cut back to what is recalled once it holds twice that
      if (all.length > 2 * HISTORY_KEEP) fs.writeFileSync(this.file, `${lines.join('\n')}\n`, { mode: 0o600 });
      this.last = lines[lines.length - 1];
      return lines.reverse();
    } catch {
      return []; // no history yet
    }
  }

  /**
   * An entry typed (run, or dropped unfinished): its lines. A block that joins into one line
   * becomes that one entry, in the file and in the line editor's recall (where each of its
   * lines went as it was typed).
   */
  entry(lines: readonly string[], recall?: Recall): void {
    const joined = lines.length > 1 ? joinBlock(lines) : undefined;
    if (joined === undefined) {
      for (const l of lines) this.add(l);
      return;
    }
    this.add(joined);
    if (recall) replaceLines(recall.history, lines, joined);
  }

  /** Appends an entry to the file (not a blank one, nor the same as the one before). */
  add(entry: string): void {
    if (!this.file || !entry.trim() || entry === this.last) return;
    this.last = entry;
    try {
      fs.appendFileSync(this.file, `${entry}\n`, { mode: 0o600 });
    } catch {
      /* history is a convenience */
    }
  }
}

/**
 * A block's lines as one line: comment lines dropped, a trailing `\` joined with a space, and a
 * `;` between statements (none after `{` or before `}`). Undefined when that line would not parse
 * to the same statements (a comment at the end of a line, a block with an error).
 */
export function joinBlock(lines: readonly string[]): string | undefined {
  const statements: string[] = [];
  let continued = '';
  for (const raw of lines) {
    const t = raw.trim();
    if (!continued && (t === '' || t.startsWith('#'))) continue;
    if (/(^|[^\\])(\\\\)*\\$/.test(t)) continued += `${t.slice(0, -1).trimEnd()} `;
    else {
      statements.push(continued + t);
      continued = '';
    }
  }
  if (continued.trim()) statements.push(continued.trimEnd());
  let joined = '';
  for (const s of statements) {
    if (!joined) joined = s;
    else joined += joined.endsWith('{') || joined.endsWith(';') || s.startsWith('}') ? ` ${s}` : `; ${s}`;
  }
  return sameStatements(`${lines.join('\n')}\n`, `${joined}\n`) ? joined : undefined;
}

function sameStatements(a: string, b: string): boolean {
  const la = loadInline('repl', a);
  const lb = loadInline('repl', b);
  if (la.diagnostics.length > 0 || lb.diagnostics.length > 0 || la.incomplete || lb.incomplete) return false;
  const shape = (l: typeof la) => JSON.stringify(l.program.statements, (k, v: unknown) => (k === 'span' ? undefined : v));
  return shape(la) === shape(lb);
}

/** In the editor's recall, the block's lines (as readline added them) become the one joined entry. */
function replaceLines(history: string[], lines: readonly string[], joined: string): void {
  // readline skips blank lines and a line equal to the one just before it; newest first
  const added: string[] = [];
  for (const l of lines) if (l.trim() && added[0] !== l) added.unshift(l);
  for (let i = 0; i + added.length <= history.length; i++) {
    if (added.every((l, k) => history[i + k] === l)) {
      history.splice(i, added.length, joined);
      return;
    }
  }
}
