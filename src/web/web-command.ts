/**
 * `nsh web [LAB] [--port N]`: the live view of a lab that is up (without LAB: the one lab that
 * is up), served on 127.0.0.1 until Ctrl-C. The REPL's `.web` calls startWebServer with a source
 * of its own (the session's lab).
 */
import type { LabReader } from '../graph/live-lab.js';
import { labSource, type LiveSource } from './live-source.js';
import { DEFAULT_PORT, startWebServer, type WebServer } from './server.js';

export type { LiveSource, WebServer };
export { DEFAULT_PORT, startWebServer };

export interface WebCommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly complain: (s: string) => void;
  /** Undefined when the process may read a lab; otherwise the sentence why not. */
  readonly missingPrivileges: () => string | undefined;
  /** The backend that reads a lab from the kernel and tells of its changes (the command line gives the Linux one). */
  readonly backend: () => Promise<LabReader>;
}

/** A port number from the command line, or a sentence why it is not one. */
export function parsePort(text: string | undefined): number | { problem: string } {
  if (text === undefined) return DEFAULT_PORT;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 65535) return { problem: `--port takes a port number from 1 to 65535, got ${JSON.stringify(text)}` };
  return Number(text);
}

export async function webCommand(args: readonly string[], portText: string | undefined, io: WebCommandIo): Promise<number> {
  if (args.length > 1) {
    io.complain(`nsh: web takes at most one lab, got ${args.join(' ')}\nTry 'nsh --help'.`);
    return 2;
  }
  const port = parsePort(portText);
  if (typeof port !== 'number') {
    io.complain(`nsh: ${port.problem}\nTry 'nsh --help'.`);
    return 2;
  }
  const missing = io.missingPrivileges();
  if (missing) {
    io.complain(`nsh: reading a lab ${missing.replace(/^building a lab /, '')}`);
    return 1;
  }
  const backend = await io.backend();
  try {
    const lab = await whichLab(args[0], backend, io.complain);
    if (lab === undefined) return 1;
    let server: WebServer;
    try {
      server = await startWebServer(await labSource(lab, backend), { lab, port });
    } catch (e) {
      io.complain(`nsh: ${(e as Error).message}`);
      return 1;
    }
    io.stdout.write(`nsh: lab "${lab}" at ${server.url} (read-only; Ctrl-C stops)\n`);
    const signal = await new Promise<NodeJS.Signals>(resolve => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    await server.close();
    return signal === 'SIGTERM' ? 143 : 130;
  } finally {
    backend.close?.();
  }
}

/** The lab named, or (none named) the one lab that is up; undefined after saying why there is none. */
async function whichLab(named: string | undefined, backend: LabReader, complain: (s: string) => void): Promise<string | undefined> {
  const { labNamespaces, labsUp, noSuchLab } = await import('../graph/live-lab.js');
  if (named !== undefined) {
    if (labNamespaces(named, backend) !== undefined) return named;
    complain(`nsh: ${noSuchLab(named)}`);
    return undefined;
  }
  const up = labsUp();
  if (up.length === 1) return up[0]!;
  complain(up.length === 0 ? 'nsh: no lab is up; run a script first (`nsh FILE.ns`)' : `nsh: ${up.length} labs are up (${up.join(', ')}): name one, as in \`nsh web ${up[0]}\``);
  return undefined;
}
