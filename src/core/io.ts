/** The streams a command talks through, and the one place that decides whether to use colour. */
import pc from 'picocolors';

export type In = NodeJS.ReadableStream & { isTTY?: boolean };
export type Out = NodeJS.WritableStream & { isTTY?: boolean };
export type Env = Readonly<Record<string, string | undefined>>;

export interface Io {
  readonly stdout: Out;
  readonly stderr: Out;
  /** May be a getter: process.stdin makes a stream (node's stream or net code) when first read. */
  readonly stdin?: In;
  /** Whether stdin is a terminal, when known without making the stream (default: stdin.isTTY). */
  readonly stdinIsTTY?: boolean;
  /**
   * Writes a short text to standard output without making its stream, where the caller can
   * (bin/nsh: a write on file descriptor 1); else stdout.write. Making process.stdout loads node's
   * stream, net and tty code, a tenth of node's own start, which `nsh check` spends on one line.
   */
  readonly print?: (text: string) => void;
  /**
   * The same for standard error (bin/nsh: a write on file descriptor 2): a run that ends with one
   * line there ("lab … is up", a problem) then makes no stream for it.
   */
  readonly printError?: (text: string) => void;
  /** Whether stderr is a terminal, when known without making the stream (default: stderr.isTTY). */
  readonly stderrIsTTY?: boolean;
  readonly env: Env;
}

/** Colour on a terminal, unless NO_COLOR is set (to anything) or the terminal is dumb. */
export function colorOn(stream: { isTTY?: boolean }, env: Env): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in env) && env.TERM !== 'dumb';
}

export type Colors = ReturnType<typeof pc.createColors>;

/** picocolors' functions for a stream, coloured or plain as colorOn() says. */
export function colors(stream: { isTTY?: boolean }, env: Env): Colors {
  return pc.createColors(colorOn(stream, env));
}

/** `text` with a line break at its end. */
const ended = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

/** Writes a line (adding the line break when missing). */
export function line(stream: NodeJS.WritableStream, text: string): void {
  stream.write(ended(text));
}

/** Writes lines through `print` where the caller gave one, else on the stream (made when first written to). */
function lineWriter(print: ((text: string) => void) | undefined, stream: () => Out): (text: string) => void {
  return text => (print ? print(ended(text)) : stream().write(ended(text)));
}

/** Writes lines on standard output: through print where the caller gave one, else stdout. */
export function sayer(io: Io): (text: string) => void {
  return lineWriter(io.print, () => io.stdout);
}

/** Writes lines on standard error: through printError where the caller gave one, else stderr. */
export function complainer(io: Io): (text: string) => void {
  return lineWriter(io.printError, () => io.stderr);
}

/** Whether standard error is a terminal, without making its stream where the caller can tell (stderrIsTTY). */
export function stderrIsTTY(io: Io): boolean {
  return io.stderrIsTTY ?? Boolean(io.stderr.isTTY);
}

/** Why a file could not be read or written, in words (`reading`: ENOENT is the file; else its directory). */
export function fileProblem(e: unknown, doing: 'read' | 'write'): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const why: Record<string, string> = {
    ENOENT: doing === 'read' ? 'no such file' : 'no such directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
  };
  return why[code] ?? (e instanceof Error ? e.message : String(e));
}
