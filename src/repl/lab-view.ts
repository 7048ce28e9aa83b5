/**
 * The session's lab as pictures: `.graph [FILE]` (as `nsh graph`) and `.web` (the live view, as
 * `nsh web`, until the session ends). Both read the lab through the Lab: its namespaces, the
 * links it made in the host, and its backend's snapshot (and watch, for the live view's changes).
 * The graph and web modules are loaded only when a command asks for them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LabSnapshot } from '../backend/backend.js';
import { fileProblem } from '../core/io.js';
import type { Lab } from '../runtime/lab.js';
import type { WebServer } from '../web/server.js';
import type { LiveSource } from '../web/live-source.js';
import type { CommandHost } from './commands.js';

/** The lab's namespaces that exist now, and the lab's part of the host, from the backend's snapshot. */
async function sessionSnapshot(lab: Lab): Promise<LabSnapshot> {
  const { labPart } = await import('../graph/lab-part.js');
  const there = new Set(lab.backend.namespaces?.() ?? []);
  const snap = await lab.backend.snapshot!([...lab.namespaces].filter(n => there.has(n)));
  return labPart(snap, lab.linksIn('host'));
}

/** The sentence when the lab cannot be read back (no root: the backend refuses). */
function readable(h: CommandHost, what: string): boolean {
  if (h.lab.backend.snapshot && h.privileged) return true;
  h.complain(`nsh: ${what} reads the lab from the kernel, which needs root`);
  return false;
}

const unquote = (s: string) => s.replace(/^(["'])(.*)\1$/, '$2');

/** `.graph [FILE]`: the lab's picture in FILE's format (its extension), or DOT here. */
export async function graph(rest: string, h: CommandHost): Promise<void> {
  const file = unquote(rest);
  const { FORMATS, formatOf, render } = await import('../graph/render.js');
  const format = file ? formatOf(file) : 'dot';
  if (!format) {
    h.complain(`nsh: cannot tell the format of ${file}: give it one of the extensions ${FORMATS.map(x => '.' + x).join(' ')}`);
    return;
  }
  if (!readable(h, '.graph')) return;
  const { topologyOf } = await import('../graph/topology.js');
  const snap = await sessionSnapshot(h.lab);
  const text = await render(topologyOf(snap, { lab: h.labName }), format);
  if (!file) {
    h.say(text);
    return;
  }
  try {
    fs.writeFileSync(path.resolve(h.cwd, file), text);
  } catch (e) {
    h.complain(`nsh: cannot write ${file}: ${fileProblem(e, 'write')}`);
    return;
  }
  const n = snap.namespaces.filter(ns => ns.name !== 'host').length;
  h.say(`drew ${n} namespace${n === 1 ? '' : 's'} to ${file}`);
}

/** The session's live view: started by `.web`, ended with the session. */
export class SessionWeb {
  private server: WebServer | undefined;

  /** `.web [--port N]`: starts the live view (or says where it runs). */
  async start(rest: string, h: CommandHost): Promise<void> {
    if (this.server) {
      h.say(`the live view of lab "${h.labName}" is running at ${this.server.url}`);
      return;
    }
    const words = rest.split(/\s+/).filter(Boolean);
    if (words.length > 0 && (words.length !== 2 || words[0] !== '--port')) {
      h.complain('usage: .web [--port N]');
      return;
    }
    const { parsePort, startWebServer } = await import('../web/web-command.js');
    const port = parsePort(words[1]);
    if (typeof port !== 'number') {
      h.complain(`nsh: ${port.problem}`);
      return;
    }
    if (!readable(h, '.web')) return;
    const lab = h.lab;
    const watch = lab.backend.watch?.bind(lab.backend);
    const source: LiveSource = {
      snapshot: () => sessionSnapshot(lab),
      ...(watch ? { onChange: (cb: () => void) => watch(() => [...lab.namespaces], cb) } : {}),
    };
    try {
      this.server = await startWebServer(source, { lab: h.labName, port });
    } catch (e) {
      h.complain(`nsh: ${(e as Error).message}`);
      return;
    }
    h.say(`the live view of lab "${h.labName}" is at ${this.server.url} (read-only; it ends with this session)`);
  }

  /** The end of the session: the server stops, and with it the watch of the lab. */
  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    await s?.close();
  }
}
