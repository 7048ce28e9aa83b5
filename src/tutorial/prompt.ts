/**
 * The tutorial's prompt: one line at a time from standard input, with line editing, Tab
 * completion and ↑ on a terminal. Lines that arrive before they are asked for (a pipe) wait
 * their turn. Ctrl-C at the prompt (a key on a terminal) and the end of input both end the wait
 * with undefined; `interrupted` tells them apart.
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
    // the tutorial asks for lines one at a time
    this.rl.pause();
  }

  private push(line: string | undefined): void {
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      this.rl.pause();
      w(line);
    } else if (line !== undefined) this.queue.push(line);
  }

  /**
   * Shows `prompt` and resolves with the line typed (undefined: the input ended, or Ctrl-C).
   * `recall`: put where ↑ finds it, to be edited.
   */
  ask(prompt: string, recall?: string): Promise<string | undefined> {
    if (this.queue.length > 0) {
      this.output.write(prompt);
      return Promise.resolve(this.queue.shift());
    }
    if (this.ended || this.interrupted) return Promise.resolve(undefined);
    const history = (this.rl as unknown as { history: string[] }).history;
    if (recall !== undefined && history[0] !== recall) history.unshift(recall);
    this.rl.setPrompt(prompt);
    return new Promise(resolve => {
      this.waiting = resolve;
      this.rl.prompt();
    });
  }

  /** Ctrl-C while waiting: the wait ends as if the input had ended. */
  cancel(): void {
    this.interrupted = true;
    if (this.terminal && this.waiting) this.output.write('^C\n');
    this.push(undefined);
  }

  /**
   * After Enter on an empty line of a terminal: that line is written again with `text` after
   * its prompt, so what runs reads as typed.
   */
  retype(prompt: string, text: string): void {
    if (this.terminal) this.output.write(`\x1b[1A\r\x1b[2K${prompt}${text}\n`);
    else this.output.write(`${text}\n`);
  }

  close(): void {
    this.rl.close();
  }
}
