/** nsh's command line. Exit status: 0 success, 1 a statement failed, 2 usage or syntax error, 130 Ctrl-C. */
import * as path from 'node:path';
import { colors, complainer, sayer, stderrIsTTY, type Io } from './core/io.js';
import { renderDiagnostics, type Diagnostic, type Painter } from './syntax/diagnostics.js';
import type { Program } from './syntax/ast.js';
import { checkNsName, isProblem } from './syntax/values.js';
import { labNameOfFile } from './core/lab.js';
import { missingPrivileges } from './privileges.js';
import { insideRootless, rerunRootless, runRootless } from './rootless.js';
import type { LoweredOps } from './runtime/lowered.js';
// The lab commands, the REPL and the tutorial are imported where they are used, each a chunk of
// its own in dist/: `nsh check` never loads the Linux backend, node:repl or child_process.
import type { Statement } from './syntax/ast.js';
import type { LinuxBackend } from './backend/linux/linux-backend.js';

import { HELP, UsageError, parseOptions, showQuery, type ExecOptions, type Options } from './cli-options.js';
import { version } from './version.js';
import { declaresMachines } from './machines/declares.js';


export type { Io };

/**
 * The lab a script builds is named after its file (`router.ns` → router) unless --name says; an
 * `-e` text's lab is `inline-N`, the first N that no lab has (each run's lab is its own).
 */
async function labName(opts: { name?: string; file?: string }): Promise<string> {
  if (opts.name === undefined && opts.file === undefined) return (await import('./runtime/journal.js')).freeLabName('inline');
  return scriptLabName(opts);
}

/** The same without taking a name (explaining makes no lab): an `-e` text's lab is `inline`. */
function scriptLabName(opts: { name?: string; file?: string }): string {
  if (opts.name !== undefined) return opts.name;
  if (opts.file === undefined) return 'inline';
  return labNameOfFile(opts.file);
}

/**
 * Starts, while the script is parsed and checked, the worker that makes namespaces ahead when the
 * script looks large, and the logins to the machines it declares (start-ahead.ts).
 */
async function startAhead(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = (await import('node:fs')).readFileSync(file, 'utf8');
  } catch {
    return undefined; // said when the script is read
  }
  await (await import('./start-ahead.js')).startAhead(text);
  return text; // parsed from here: the file is read once
}

function painter(stream: { isTTY?: boolean }, env: Io['env']): Painter {
  return colors(stream, env);
}

export async function main(argv: string[], io: Io): Promise<number> {
  // (stdout and stderr are made when first written to: `nsh check` of a good script makes neither)
  const say = sayer(io);
  const complain = complainer(io);
  const report = (ds: readonly Diagnostic[]) => complain(renderDiagnostics(ds, painter({ isTTY: stderrIsTTY(io) }, io.env)));

  let opts: Options | ExecOptions | 'help' | 'version';
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
  /** Whether nsh has the privileges a command on the kernel needs; if not, it says so. */
  const privileged = (): boolean => {
    const missing = missingPrivileges();
    if (missing) complain(`nsh: ${missing}`);
    return missing === undefined;
  };
  if (opts.command === 'exec') {
    if (!privileged()) return 1;
    const { execCommand } = await import('./lab-commands.js');
    return execCommand(opts.lab, opts.ns, opts.argv, io);
  }
  const o = opts;

  /** The program when it has no problem at all; otherwise every problem is reported. */
  /** `lowered`: keeps what the check lowered, for the run (runtime/lowered.ts). */
  const loadChecked = async (file = o.file, text?: string, lowered?: LoweredOps): Promise<Program | undefined> => {
    // the parser (and chevrotain) load only for a command that reads a script: not for down or ls
    const { checkLoaded, loadInline, loadScript } = await import('./pipeline.js');
    const l = o.inline !== undefined ? loadInline('-e', o.inline) : file === '-' ? loadInline('<stdin>', await readAll(io)) : loadScript(file!, text);
    const problems = await checkLoaded(l, { env: io.env, ...(lowered ? { lowered } : {}) });
    if (problems.length > 0) {
      report(problems);
      return undefined;
    }
    return l.program;
  };

  if (opts.command === 'sandbox') return runRootless(opts.args, io.env);

  if (opts.command === 'serve') {
    const { serve } = await import('./machines/serve.js');
    return serve({ part: opts.serve!, fresh: opts.fresh, version, env: io.env });
  }

  const touchesKernel = opts.command === 'run' || opts.command === 'repl' || opts.command === 'tutorial';
  if (opts.rootless && touchesKernel && !insideRootless(io.env)) {
    // check first, so a script with errors fails here, with nothing started
    if (opts.command === 'run') {
      const program = await loadChecked();
      if (!program) return 2;
      if (declaresMachines(program.statements)) {
        complain('nsh: --rootless keeps a lab inside a private sandbox of this machine: a lab across machines needs root on every machine, and cannot run so');
        return 2;
      }
    }
    return rerunRootless(argv, io.env);
  }

  switch (opts.command) {
    case 'check': {
      if (opts.inline !== undefined) {
        if (!(await loadChecked())) return 2;
        say('-e: ok');
        return 0;
      }
      // every file is checked, each said ok or its problems, and the status is 2 if any had one
      let failed = false;
      for (const file of opts.files ?? []) {
        if (await loadChecked(file)) say(`${file === '-' ? '<stdin>' : file}: ok`);
        else failed = true;
      }
      return failed ? 2 : 0;
    }
    case 'show': {
      const query = showQuery(opts.args.slice(1), opts.json);
      if (typeof query === 'string') {
        complain(`nsh: ${query}\nTry 'nsh --help'.`);
        return 2;
      }
      if (!privileged()) return 1;
      const { showCommand } = await import('./lab-commands.js');
      return showCommand(opts.args[0]!, query, io);
    }
    case 'explain': {
      const program = await loadChecked();
      if (!program) return 2;
      const title = opts.file ? path.basename(opts.file) : 'the -e text';
      if (declaresMachines(program.statements)) {
        const { explainAcross } = await import('./machines/explain.js');
        const text = await explainAcross(program, title, io.env, scriptLabName(opts));
        if (typeof text !== 'string') {
          report([text]);
          return 1;
        }
        io.stdout.write(text);
        return 0;
      }
      const { explainProgram } = await import('./pipeline.js');
      io.stdout.write(await explainProgram(program, title, io.env, scriptLabName(opts)));
      return 0;
    }
    case 'run': {
      // a script that makes many namespaces gets its worker started now, one across machines its logins
      const text = opts.file !== undefined && opts.file !== '-' && opts.inline === undefined && !opts.interactive ? await startAhead(opts.file) : undefined;
      // (from the pipeline's chunk, which the check loads anyway: not a file more for every start)
      const lowered = new (await import('./pipeline.js')).LoweredOps();
      const program = await loadChecked(opts.file, text, lowered);
      if (!program) return 2;
      const across = declaresMachines(program.statements);
      if (across && opts.interactive) {
        complain('nsh: -i opens the REPL on this machine alone; a lab across machines runs as a script (nsh FILE)');
        return 2;
      }
      if (opts.interactive) return interactive(opts, io, program.statements);
      if (opts.name !== undefined) {
        const bad = checkNsName(opts.name, { allowHost: true });
        if (isProblem(bad)) {
          complain(`nsh: lab name ${JSON.stringify(opts.name)} is not usable: ${bad.problem}`);
          return 2;
        }
      }
      if (!privileged()) return 1;
      const lab = await labName(opts);
      if (across) {
        const { runMachines } = await import('./machines/run.js');
        return runMachines(program, lab, { ...opts, named: opts.name !== undefined, version }, io, report);
      }
      const { runLab } = await import('./lab-commands.js');
      return runLab(program, lab, { ...opts, named: opts.name !== undefined, lowered }, io, report);
    }
    case 'down':
    case 'ls': {
      if (!privileged()) return 1;
      const { downCommand, listLabsCommand } = await import('./down-command.js');
      return opts.command === 'ls' ? listLabsCommand(say) : downCommand(opts, io);
    }
    case 'graph': {
      const { graphCommand } = await import('./graph/graph-command.js');
      return graphCommand(opts.args, opts.output, { stdout: io.stdout, env: io.env, complain, report, missingPrivileges, backend: readerBackend(io) });
    }
    case 'web': {
      const { webCommand } = await import('./web/web-command.js');
      return webCommand(opts.args, opts.port, { stdout: io.stdout, complain, missingPrivileges, backend: readerBackend(io) });
    }
    case 'lsp': {
      const { startLanguageServer } = await import('./lsp/server.js');
      return startLanguageServer(io);
    }
    case 'repl':
      return interactive(opts, io);
    case 'tutorial': {
      const { tutorialCommand } = await import('./tutorial/command.js');
      return tutorialCommand(argv, opts, io);
    }
  }
}

/** The Linux backend, for nsh graph LAB and nsh web to read a lab through (made only when one is read). */
function readerBackend(io: Io): () => Promise<LinuxBackend> {
  return async () => (await import('./lab-commands.js')).linuxBackend(io);
}

/** Standard input, read to its end (`nsh check -`). */
async function readAll(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin ?? process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
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
  const [{ startRepl }, { DeferredBackend }] = await Promise.all([import('./repl/repl.js'), import('./backend/deferred.js')]);
  // without privileges the REPL still checks, explains, and runs let, def and echo
  // the Linux backend's code (and koffi) loads after the first prompt, while the user types
  const backend = privileged
    ? new DeferredBackend(async () => (await import('./lab-commands.js')).linuxBackend(io, { inheritStdin: false })) // the REPL reads the terminal; Ctrl-C comes to it as a key
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
