/** The REPL's history: ~/.nsh_history (after $HOME), appended to, the last HISTORY_KEEP lines recalled. */
import * as fs from 'node:fs';

export const HISTORY_KEEP = 1000;

export class History {
  private last: string | undefined;

  /** `file`: undefined for no history at all. */
  constructor(private readonly file: string | undefined) {}

  /** The lines to recall, newest first. */
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
