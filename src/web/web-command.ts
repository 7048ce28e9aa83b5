/**
 * `nsh web [LAB] [--port N]`: the live view of a lab that is up (without LAB: the one lab that
 * is up), served on 127.0.0.1 until Ctrl-C. The REPL's `.web` calls startWeb for its own lab.
 */
import { labSource, type LiveSource } from './live-source.js';
import { DEFAULT_PORT, startWebServer, type WebServer } from './server.js';

export type { LiveSource, WebServer };
export { DEFAULT_PORT };

export interface WebCommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly complain: (s: string) => void;
  /** Undefined when the process may read a lab; otherwise the sentence why not. */
  readonly missingPrivileges: () => string | undefined;
}

/** A port number from the command line, or a sentence why it is not one. */
export function parsePort(text: string | undefined): number | { problem: string } {
  if (text === undefined) return DEFAULT_PORT;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 65535) return { problem: `--port takes a port number from 1 to 65535, got ${JSON.stringify(text)}` };
  return Number(text);
}

/**
 * Serves the live view of `lab` (the REPL's session lab, say) until close(). `source` defaults to
 * the lab's journal and the kernel; the REPL may pass its own (its backend's snapshot).
 */
export async function startWeb(opts: { lab: string; port?: number; source?: LiveSource }): Promise<WebServer> {
  const source = opts.source ?? (await labSource(opts.lab));
  return startWebServer(source, { lab: opts.lab, ...(opts.port === undefined ? {} : { port: opts.port }) });
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
  const { labNamespaces, labsUp, noSuchLab } = await import('../graph/live-lab.js');
  let lab = args[0];
  if (lab === undefined) {
    const up = labsUp();
    if (up.length !== 1) {
      io.complain(up.length === 0 ? 'nsh: no lab is up; run a script first (`nsh FILE.ns`)' : `nsh: ${up.length} labs are up (${up.join(', ')}): name one, as in \`nsh web ${up[0]}\``);
      return 1;
    }
    lab = up[0]!;
  } else if (labNamespaces(lab) === undefined) {
    io.complain(`nsh: ${noSuchLab(lab)}`);
    return 1;
  }
  let server: WebServer;
  try {
    server = await startWeb({ lab, port });
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
}
