/**
 * The terminal while an entry runs. It is taken out of raw mode, as a shell does: Ctrl-C then
 * sends SIGINT to the whole foreground group (nsh and the programs it runs, with their children),
 * and the terminal echoes ^C. The line after that ^C is written once, before any error.
 */
import type { In, Out } from '../core/io.js';

type RawInput = In & { setRawMode?: (raw: boolean) => void; isRaw?: boolean };

export class RunningTerminal {
  private cooked = false;
  /** SIGINT during this entry: seen already, or to be swallowed when it comes (its line is written). */
  private sigint = { seen: false, swallow: false };

  /** `usable`: whether nsh handles the process's signals on a terminal with line editing (the command line). */
  constructor(
    private readonly input: In,
    private readonly output: Out,
    private readonly usable: () => boolean,
  ) {}

  /** An entry starts running. */
  begin(): void {
    this.sigint = { seen: false, swallow: false };
    const input = this.input as RawInput;
    this.cooked = this.usable() && Boolean(input.isTTY && input.setRawMode && input.isRaw);
    if (this.cooked) input.setRawMode!(false);
  }

  /** The entry ended. */
  end(): void {
    if (this.cooked) (this.input as RawInput).setRawMode!(true);
    this.cooked = false;
  }

  /** SIGINT came to nsh: false when it has nothing left to do (its line was written already). */
  signal(): boolean {
    if (this.sigint.swallow) {
      this.sigint.swallow = false;
      return false;
    }
    this.sigint.seen = true;
    return true;
  }

  /**
   * A statement failed. The terminal's Ctrl-C reaches the program and nsh at once, but nsh may
   * learn of the program's end first: then the line break after the terminal's ^C goes now,
   * before the error, and the signal, when it comes, has nothing left to do.
   */
  failed(message: string): void {
    if (!this.cooked || this.sigint.seen || !/was ended by SIGINT$/.test(message)) return;
    this.output.write('\n');
    this.sigint = { seen: true, swallow: true };
  }
}
