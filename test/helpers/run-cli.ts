/** Runs the CLI in-process with captured output (the same main() that bin/nsh calls). */
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export async function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const out = collector();
  const err = collector();
  const code = await main(args, { stdout: out.stream, stderr: err.stream, env: { NO_COLOR: '1', ...env } });
  await new Promise(r => setImmediate(r));
  return { code, stdout: out.text(), stderr: err.text() };
}
