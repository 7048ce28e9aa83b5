/**
 * The REPL's dot-commands (`.help`, `.explain`, `.save FILE`, `.graph`, `.web` …): one entry each in DOT_COMMANDS,
 * acting through a CommandHost (the session). A new command is one more entry here, and its
 * one-line help in REPL_COMMANDS (help.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Lab } from '../runtime/lab.js';
import { helpAll, helpFor } from './help.js';
import { graph, type SessionWeb } from './lab-view.js';
import { renderSave } from './save.js';
import { fileProblem } from '../core/io.js';

/** What a dot-command may use of the session. */
export interface CommandHost {
  readonly lab: Lab;
  readonly labName: string;
  readonly cwd: string;
  /** Whether statements act on the kernel (nsh runs as root). */
  readonly privileged: boolean;
  say(text: string): void;
  complain(text: string): void;
  /** Runs text as an entry typed at the prompt, without the context rule. */
  run(text: string): Promise<void>;
  /** Turns .explain on or off; the new state. */
  toggleExplain(): boolean;
  /** Abandons the entry being typed (a block awaiting its `}`). */
  abandonEntry(): void;
  /** The session's live view (`.web`), which ends with the session. */
  readonly web: SessionWeb;
}

export interface DotCommand {
  /** Typed as `.NAME`; its help is REPL_COMMANDS[NAME]. */
  readonly name: string;
  /** `rest`: what follows the name, trimmed. */
  run(rest: string, host: CommandHost): Promise<void> | void;
}

export const DOT_COMMANDS: readonly DotCommand[] = [
  { name: 'help', run: (rest, h) => h.say(rest ? helpFor(rest.replace(/^\./, '')) ?? `there is no statement ${JSON.stringify(rest)}; .help lists them` : helpAll()) },
  {
    name: 'explain',
    run: (_rest, h) => h.say(h.toggleExplain() ? 'explain is on: each line is shown as iproute2 commands before it runs' : 'explain is off'),
  },
  { name: 'save', run: save },
  { name: 'show', run: (rest, h) => h.run(`show ${rest}\n`) },
  { name: 'graph', run: graph },
  { name: 'web', run: (rest, h) => h.web.start(rest, h) },
  { name: 'break', run: (_rest, h) => h.abandonEntry() },
];

/** `.save FILE`: a script that rebuilds the lab as the kernel holds it now. */
async function save(rest: string, h: CommandHost): Promise<void> {
  const file = rest.replace(/^(["'])(.*)\1$/, '$2');
  if (!file) {
    h.complain('usage: .save FILE');
    return;
  }
  if (!h.lab.backend.snapshot || !h.privileged) {
    h.complain('nsh: .save reads the lab back from the kernel, which needs root');
    return;
  }
  const lab = [...h.lab.namespaces];
  const snap = await h.lab.backend.snapshot(lab);
  const hostLinks = new Set(h.lab.objects().flatMap(o => (o.kind === 'link' && o.at.kind === 'name' && o.at.name === 'host' ? [o.ifname] : [])));
  const text = renderSave(snap, { lab: h.labName, hostLinks });
  try {
    fs.writeFileSync(path.resolve(h.cwd, file), text);
  } catch (e) {
    h.complain(`nsh: cannot write ${file}: ${fileProblem(e, 'write')}`);
    return;
  }
  h.say(`saved ${lab.length} namespace${lab.length === 1 ? '' : 's'} to ${file}`);
}
