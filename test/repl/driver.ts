/** Drives the REPL through PassThrough streams, as a terminal-less user would. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { startRepl, type Repl, type ReplOptions } from '../../src/repl/repl.js';
import { LinuxBackend } from '../../src/backend/linux/linux-backend.js';

export interface Driver {
  readonly repl: Repl;
  readonly home: string;
  /** Everything written so far (output and errors). */
  text(): string;
  type(text: string): void;
  /** Waits until the output matches (after `from` characters); returns the output since `from`. */
  until(re: RegExp, from?: number, timeoutMs?: number): Promise<string>;
  /** Ends the input (Ctrl-D) and waits for the REPL to end. */
  end(): Promise<number>;
}

/** `privileged`: statements act on the kernel (the Linux backend), as for root; otherwise they are refused. */
export function drive({ privileged, ...opts }: Partial<ReplOptions> & { privileged: boolean }): Driver {
  const input = new PassThrough();
  const output = new PassThrough();
  const backend = privileged ? new LinuxBackend({ stdout: output, stderr: opts.errors ?? output, inheritStdin: false, color: false }) : undefined;
  let out = '';
  output.on('data', (d: Buffer) => (out += d.toString()));
  const home = opts.env?.HOME ?? fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-home-'));
  const repl = startRepl({
    input,
    output,
    terminal: false,
    ...(backend ? { backend } : {}),
    ...opts,
    env: { ...process.env, NO_COLOR: '1', ...opts.env, HOME: home },
  });
  return {
    repl,
    home,
    text: () => out,
    type: t => input.write(t),
    async until(re, from = 0, timeoutMs = 15_000) {
      const t0 = Date.now();
      while (!re.test(out.slice(from))) {
        if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${re} in:\n${out.slice(from)}`);
        await new Promise(r => setTimeout(r, 10));
      }
      return out.slice(from);
    },
    async end() {
      input.end();
      return repl.done;
    },
  };
}

/** Types lines, then waits for the marker that an `echo` after them prints. */
export async function session(d: Driver, lines: readonly string[]): Promise<string> {
  const from = d.text().length;
  const marker = `--done-${Math.random().toString(36).slice(2)}--`;
  d.type(`${lines.join('\n')}\necho ${marker}\n`);
  const text = await d.until(new RegExp(`${marker}\\n`), from);
  return text.slice(0, text.indexOf(marker));
}
