/**
 * A real terminal for tests: tmux (started from inside the test sandbox) runs a command in a
 * pane; the test types keys and reads the screen with capture-pane.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export class Pane {
  private made: string | undefined;

  /** A directory of the pane's own (made when first asked for): the tmux socket, and a HOME for what runs in it. */
  get dir(): string {
    return (this.made ??= fs.mkdtempSync('/tmp/nsh-pty-'));
  }

  /** Each pane its own server: a server just told to end may still hold the socket. */
  private panes = 0;

  private get sock(): string {
    return path.join(this.dir, `tmux-${this.panes}.sock`);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.sock, ...args], { encoding: 'utf8', env: { ...process.env, TERM: 'xterm' } });
  }

  /** Runs a shell command line in a new pane 120 columns wide (the one before is closed). */
  start(command: string): void {
    this.stop();
    this.panes++;
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'nsh', '-x', '120', '-y', '50', command);
  }

  stop(): void {
    try {
      this.tmux('kill-server');
    } catch {
      /* none running */
    }
  }

  /** The screen and what scrolled off it (200 lines). */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'nsh', '-S', '-200');
  }

  /** Types text as it is. */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'nsh', '-l', text);
  }

  /** Presses keys (tmux names: Enter, C-c, Up …). */
  key(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'nsh', ...keys);
  }

  /** Waits until the screen matches; returns it. */
  async waitFor(re: RegExp, timeoutMs = 15_000): Promise<string> {
    const t0 = Date.now();
    for (;;) {
      const s = this.screen();
      if (re.test(s)) return s;
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${re}; the screen:\n${s}`);
      await new Promise(r => setTimeout(r, 50));
    }
  }

  /** How many times the screen matches. */
  count(re: RegExp): number {
    return (this.screen().match(new RegExp(re.source, 'g')) ?? []).length;
  }
}
