/** nsh's command line. Exit status: 0 success, 1 a statement failed, 2 usage or syntax error, 130 Ctrl-C. */
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { colors, type Io } from './core/io.js';
import { renderDiagnostics, type Diagnostic, type Painter } from './syntax/diagnostics.js';
import type { Program } from './syntax/ast.js';
import { checkNsName, isProblem } from './syntax/values.js';
import { missingPrivileges } from './privileges.js';
import { insideRootless, rerunRootless } from './rootless.js';
// The lab commands, the REPL and the tutorial are imported where they are used, each a chunk of
// its own in dist/: `nsh check` never loads the Linux backend, node:repl or child_process.
import type { Statement } from './syntax/ast.js';

declare const NSH_VERSION: string;
const version = typeof NSH_VERSION === 'string' ? NSH_VERSION : '0.0.0-dev';

const HELP = `nsh — a small language for Linux namespaces

usage:
  nsh FILE.ns               run a script (the lab it builds stays up)
  nsh --rm FILE.ns          run it and tear the lab down at the end
  nsh -e 'TEXT'             run inline statements
  nsh -i FILE.ns            run a script, then open the REPL in its lab
  nsh                       the REPL
  nsh --explain FILE.ns     print the equivalent iproute2 / shell commands (no privileges needed)
  nsh check FILE.ns         parse and check only (no privileges needed)
  nsh down LAB | --all      tear down a recorded lab
  nsh ls                    list recorded labs
  nsh tutorial [N]          a guided walk through network namespaces, from step N (no root needed)

options:
  --name LAB          record the lab under this name (default: the script's base name)
  --keep-on-error     keep what a failed run created
  --replace           take down a lab of the same name that is up, then run
  --rootless          run the lab inside a private user + network namespace
  --keep              (REPL) keep the lab on exit
  --auto              (tutorial) run every step without waiting
  --host              (tutorial) run on this machine's own network, not in a sandbox (root)
  -h, --help          this help
  --version           print the version

Exit status: 0 success, 1 a statement failed, 2 usage or syntax error, 130 interrupted.`;

export type { Io };

/**
 * The lab a script builds is named after its file (`router.ns` → router) unless --name says; an
 * `-e` text's lab is `inline-N`, the first N that no lab has (each run's lab is its own).
 */
async function labName(opts: { name?: string; file?: string }): Promise<string> {
  if (opts.name !== undefined) return opts.name;
  if (opts.file === undefined) return (await import('./runtime/journal.js')).freeLabName('inline');
  const base = path.basename(opts.file).replace(/\.ns$/, '');
  return base.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^([^A-Za-z_])/, '_$1').slice(0, 64);
}

function painter(stream: { isTTY?: boolean }, env: Io['env']): Painter {
  return colors(stream, env);
}

class UsageError extends Error {}

interface Options {
  command: 'run' | 'check' | 'explain' | 'down' | 'ls' | 'tutorial' | 'repl';
  file?: string;
  inline?: string;
  args: string[];
  name?: string;
  rm: boolean;
  keepOnError: boolean;
  replace: boolean;
  rootless: boolean;
  keep: boolean;
  interactive: boolean;
  all: boolean;
  /** `nsh tutorial --auto`: every step without waiting. */
  auto: boolean;
  /** `nsh tutorial --host`: on the machine's own namespaces. */
  host: boolean;
}

function parseOptions(argv: string[]): Options | 'help' | 'version' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        eval: { type: 'string', short: 'e' },
        interactive: { type: 'boolean', short: 'i' },
        explain: { type: 'boolean' },
        rm: { type: 'boolean' },
        name: { type: 'string' },
        'keep-on-error': { type: 'boolean' },
        replace: { type: 'boolean' },
        rootless: { type: 'boolean' },
        keep: { type: 'boolean' },
        all: { type: 'boolean' },
        auto: { type: 'boolean' },
        host: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify.*$/s, '').replace(/^Unknown option '(.*)'.*$/s, 'unknown option $1'));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (v.version) return 'version';
  const pos = [...parsed.positionals];
  const base = {
    args: pos,
    rm: Boolean(v.rm),
    keepOnError: Boolean(v['keep-on-error']),
    replace: Boolean(v.replace),
    rootless: Boolean(v.rootless),
    keep: Boolean(v.keep),
    interactive: Boolean(v.interactive),
    all: Boolean(v.all),
    auto: Boolean(v.auto),
    host: Boolean(v.host),
    ...(v.name === undefined ? {} : { name: v.name }),
    ...(v.eval === undefined ? {} : { inline: v.eval }),
  };
  const sub = pos[0];
  if (sub === 'check' || sub === 'down' || sub === 'ls' || sub === 'tutorial') {
    pos.shift();
    if (sub === 'check') {
      if (pos.length !== 1 && base.inline === undefined) throw new UsageError('nsh check takes one file');
      return { ...base, command: 'check', ...(pos[0] ? { file: pos[0] } : {}) };
    }
    return { ...base, command: sub, args: pos };
  }
  if (pos.length > 1) throw new UsageError(`nsh takes one script, got ${pos.length}: ${pos.join(' ')}`);
  if (pos.length === 1 && base.inline !== undefined) throw new UsageError('give either a script or -e TEXT, not both');
  const file = pos[0];
  const command = v.explain ? 'explain' : file === undefined && base.inline === undefined ? 'repl' : 'run';
  if (command === 'explain' && file === undefined && base.inline === undefined) throw new UsageError('--explain needs a script or -e TEXT');
  return { ...base, command, ...(file === undefined ? {} : { file }) };
}

export async function main(argv: string[], io: Io): Promise<number> {
  const errPaint = painter(io.stderr, io.env);
  const say = (s: string) => io.stdout.write(s.endsWith('\n') ? s : s + '\n');
  const complain = (s: string) => io.stderr.write(s.endsWith('\n') ? s : s + '\n');
  const report = (ds: readonly Diagnostic[]) => complain(renderDiagnostics(ds, errPaint));

  let opts: Options | 'help' | 'version';
  try {
    opts = parseOptions(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    complain(`nsh: ${e.message}\nTry 'nsh --help'.`);
    return 2;
  }
  if (opts === 'help') {
    say(HELP);
    return 0;
  }
  if (opts === 'version') {
    say(`nsh ${version}`);
    return 0;
  }

  /** The program when it has no problem at all; otherwise every problem is reported. */
  const loadChecked = async (): Promise<Program | undefined> => {
    // the parser (and chevrotain) load only for a command that reads a script: not for down or ls
    const { checkLoaded, loadInline, loadScript } = await import('./pipeline.js');
    const l = opts.inline !== undefined ? loadInline('-e', opts.inline) : loadScript(opts.file!);
    const problems = await checkLoaded(l, { env: io.env });
    if (problems.length > 0) {
      report(problems);
      return undefined;
    }
    return l.program;
  };

  const touchesKernel = opts.command === 'run' || opts.command === 'repl' || opts.command === 'tutorial';
  if (opts.rootless && touchesKernel && !insideRootless(io.env)) {
    // check first, so a script with errors fails here, with nothing started
    if (opts.command === 'run' && !(await loadChecked())) return 2;
    return rerunRootless(argv, io.env);
  }

  switch (opts.command) {
    case 'check': {
      const program = await loadChecked();
      if (!program) return 2;
      say(`${opts.file ?? '-e'}: ok`);
      return 0;
    }
    case 'explain': {
      const program = await loadChecked();
      if (!program) return 2;
      const title = opts.file ? path.basename(opts.file) : 'the -e text';
      const { explainProgram } = await import('./pipeline.js');
      io.stdout.write(await explainProgram(program, title, io.env));
      return 0;
    }
    case 'run': {
      const program = await loadChecked();
      if (!program) return 2;
      if (opts.interactive) return interactive(opts, io, program.statements);
      if (opts.name !== undefined) {
        const bad = checkNsName(opts.name, { allowHost: true });
        if (isProblem(bad)) {
          complain(`nsh: lab name ${JSON.stringify(opts.name)} is not usable: ${bad.problem}`);
          return 2;
        }
      }
      const missing = missingPrivileges();
      if (missing) {
        complain(`nsh: ${missing}`);
        return 1;
      }
      const lab = await labName(opts);
      const { runLab } = await import('./lab-commands.js');
      return runLab(program, lab, opts, io, report);
    }
    case 'down':
    case 'ls': {
      const missing = missingPrivileges();
      if (missing) {
        complain(`nsh: ${missing}`);
        return 1;
      }
      const { downCommand, listLabsCommand } = await import('./lab-commands.js');
      return opts.command === 'ls' ? listLabsCommand(say) : downCommand(opts, io);
    }
    case 'repl':
      return interactive(opts, io);
    case 'tutorial': {
      const { tutorialCommand } = await import('./tutorial/command.js');
      return tutorialCommand(argv, opts, io);
    }
  }
}

/** `nsh` (the REPL) and `nsh -i FILE` (the script as a lab, then the REPL inside it). */
async function interactive(opts: Options, io: Io, script?: readonly Statement[]): Promise<number> {
  if (opts.name !== undefined) {
    const bad = checkNsName(opts.name, { allowHost: true });
    if (isProblem(bad)) {
      io.stderr.write(`nsh: lab name ${JSON.stringify(opts.name)} is not usable: ${bad.problem}\n`);
      return 2;
    }
  }
  const privileged = missingPrivileges() === undefined;
  // (a lab that records nothing, without privileges, takes no name from the others)
  const lab = !script ? opts.name ?? 'repl' : privileged || opts.name !== undefined || opts.file !== undefined ? await labName(opts) : 'inline';
  const { startRepl } = await import('./repl/repl.js');
  // without privileges the REPL still checks, explains, and runs let, def and echo
  const backend = privileged
    ? (await import('./lab-commands.js')).linuxBackend(io, { inheritStdin: false }) // the REPL reads the terminal; Ctrl-C comes to it as a key
    : undefined;
  const repl = startRepl({
    input: io.stdin ?? process.stdin,
    output: io.stdout,
    errors: io.stderr,
    env: io.env,
    lab,
    keep: opts.keep,
    ...(backend ? { backend } : {}),
    signals: true,
    version,
    ...(script ? { script } : {}),
  });
  return repl.done;
}
