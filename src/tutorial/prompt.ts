/**
 * The tutorial's prompt: one line at a time from standard input, with line editing, Tab
 * completion and ↑ on a terminal. Lines that arrive before they are asked for (a pipe) wait
 * their turn. Each line stays on the screen after its prompt, as typed, so that what a line
 * prints follows it. Ctrl-C at the prompt (a key on a terminal) and the end of input both end
 * the wait with undefined; `interrupted` tells them apart.
 */
import * as readline from 'node:readline';
import type { In, Out } from '../core/io.js';

export class Prompt {
  readonly terminal: boolean;
  /** Ctrl-C was pressed at the prompt. */
  interrupted = false;
  private readonly rl: readline.Interface;
  private readonly queue: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private ended = false;
  /** What Enter on an empty line types (ask's `fill`). */
  private fill: string | undefined;

  constructor(
    input: In,
    private readonly output: Out,
    completer?: (line: string) => [string[], string],
  ) {
    this.terminal = Boolean(input.isTTY && output.isTTY);
    this.rl = readline.createInterface({ input, output, terminal: this.terminal, ...(completer ? { completer } : {}), historySize: 100 });
    this.rl.on('line', line => this.push(line));
    this.rl.on('close', () => {
      this.ended = true;
      this.push(undefined);
    });
    this.rl.on('SIGINT', () => this.cancel());
    if (this.terminal) {
      // Enter on an empty line first types the statement offered, so the line reads as typed
      const editor = this.rl as unknown as { line: string; _ttyWrite(d: string, key: { name?: string } | undefined): void };
      const write = editor._ttyWrite.bind(editor);
      editor._ttyWrite = (d, key) => {
        if ((key?.name === 'return' || key?.name === 'enter') && editor.line === '' && this.fill) this.rl.write(this.fill);
        write(d, key);
      };
    }
    // the tutorial asks for lines one at a time
    this.rl.pause();
  }

  private push(line: string | undefined): void {
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      // (node 24's readline throws when a closed interface is paused)
      if (!this.ended) this.rl.pause();
      w(line);
    } else if (line !== undefined) this.queue.push(line);
  }

  /**
   * Shows `prompt` and resolves with the line typed (undefined: the input ended, or Ctrl-C).
   * `fill`: what Enter on an empty line stands for; it is put where ↑ finds it, to be edited,
   * and on a terminal it is typed into the line; elsewhere the empty line is written out as it.
   */
  ask(prompt: string, fill?: string): Promise<string | undefined> {
    this.fill = fill;
    const echo = (line: string | undefined) => {
      // without a terminal nothing echoes what is read: the line is written after its prompt
      if (!this.terminal && line !== undefined) this.output.write(`${line === '' && fill ? fill : line}\n`);
      return line === '' && fill ? fill : line;
    };
    if (this.queue.length > 0) {
      this.output.write(prompt);
      return Promise.resolve(echo(this.queue.shift()));
    }
    if (this.ended || this.interrupted) return Promise.resolve(undefined);
    const history = (this.rl as unknown as { history: string[] }).history;
    if (fill !== undefined && history[0] !== fill) history.unshift(fill);
    this.rl.setPrompt(prompt);
    return new Promise(resolve => {
      this.waiting = line => resolve(echo(line));
      this.rl.prompt();
    });
  }

  /** Ctrl-C while waiting: the wait ends as if the input had ended. */
  cancel(): void {
    this.interrupted = true;
    if (this.terminal && this.waiting) this.output.write('^C\n');
    this.push(undefined);
  }

  close(): void {
    this.rl.close();
  }
}
