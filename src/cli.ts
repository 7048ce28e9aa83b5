/** nsh's command line. Exit status: 0 success, 1 a statement failed, 2 usage or syntax error, 130 Ctrl-C. */
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { colors, type Io } from './core/io.js';
import { renderDiagnostics, type Diagnostic, type Painter } from './syntax/diagnostics.js';
import type { Program } from './syntax/ast.js';
import { checkNsName, isProblem } from './syntax/values.js';
import { labNameOfFile } from './core/lab.js';
import { missingPrivileges } from './privileges.js';
import { insideRootless, rerunRootless, runRootless } from './rootless.js';
// The lab commands, the REPL and the tutorial are imported where they are used, each a chunk of
// its own in dist/: `nsh check` never loads the Linux backend, node:repl or child_process.
import type { Statement } from './syntax/ast.js';
import type { ShowQuery } from './backend/show-render.js';
import type { LinuxBackend } from './backend/linux/linux-backend.js';

import { version } from './version.js';
import { declaresMachines } from './machines/declares.js';

const HELP = `nsh — a small language for Linux namespaces

usage:
  nsh FILE.ns               run a script (the lab it builds stays up)
  nsh --rm FILE.ns          run it and tear the lab down at the end
  nsh -e 'TEXT'             run inline statements
  nsh -i FILE.ns            run a script, then open the REPL in its lab
  nsh                       the REPL
  nsh --explain FILE.ns     print the equivalent iproute2 / shell commands (no privileges needed)
  nsh check FILE.ns… | -    parse and check only (no privileges needed); - reads standard input
  nsh down LAB | --all      tear down a recorded lab
  nsh ls                    list recorded labs
  nsh show LAB [NS] [--json]
                            show a running lab (as show does inside it), without joining it
  nsh exec LAB NS CMD…      run CMD in a lab's namespace; exits with CMD's status
  nsh graph FILE.ns|LAB [-o OUT]
                            the topology as a picture: OUT's extension picks
                            .svg .dot .mmd .json .html (DOT on stdout without -o)
  nsh web [LAB] [--port N]  a live view of the lab in the browser (127.0.0.1:7878)
  nsh lsp                   a language server on standard input/output, for editors
  nsh tutorial [N]          a guided walk through network namespaces, from step N (no root needed)
  nsh --rootless -- CMD...  run CMD (a test runner, say) in the rootless sandbox, where nsh
                            and its library act as root over a private network
  nsh help                  this help

options:
  --name LAB          record the lab under this name (default: the script's base name)
  --keep-on-error     keep what a failed run created
  --replace           take down a lab of the same name that is up, then run
  --rootless          run the lab inside a private user + network namespace
  --keep              (REPL) keep the lab on exit
  --auto              (tutorial) run every step without waiting
  -o, --output OUT    (graph) write the picture to OUT
  --port N            (web) the port to serve on (default 7878)
  --json              (show) print JSON, for scripts
  --host              (tutorial) run on this machine's own network, not in a sandbox (root)
  --verbose           (a lab across machines) show the nsh text each machine is told
  -h, --help          this help
  --version           print the version

Exit status: 0 success, 1 a statement failed, 2 usage or syntax error, 130 interrupted.`;

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

function painter(stream: { isTTY?: boolean }, env: Io['env']): Painter {
  return colors(stream, env);
}

class UsageError extends Error {}

interface Options {
  command: 'run' | 'check' | 'explain' | 'down' | 'ls' | 'tutorial' | 'repl' | 'graph' | 'web' | 'sandbox' | 'show' | 'lsp' | 'serve';
  file?: string;
  /** `nsh check`: the files (`-`: standard input) */
  files?: string[];
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
  /** `nsh graph -o OUT` */
  output?: string;
  /** `nsh web --port N` */
  port?: string;
  /** `nsh show LAB --json` */
  json: boolean;
  /** `nsh tutorial --host`: on the machine's own namespaces. */
  host: boolean;
  /** A lab across machines: log what each machine is told. */
  verbose: boolean;
  /** `nsh --serve PART [--fresh]`: a machine's part of a lab across machines (run by the coordinator over ssh). */
  serve?: string;
  fresh: boolean;
}

/** `nsh exec LAB NS CMD…`: everything after NS is the program's, options included (as ip netns exec). */
interface ExecOptions {
  command: 'exec';
  lab: string;
  ns: string;
  argv: string[];
}

function parseExec(argv: string[]): ExecOptions {
  const [lab, ns, ...rest] = argv;
  const program = rest[0] === '--' ? rest.slice(1) : rest;
  if (lab === undefined || ns === undefined || program.length === 0) throw new UsageError('usage: nsh exec LAB NS CMD…');
  return { command: 'exec', lab, ns, argv: program };
}

function parseOptions(argv: string[]): Options | ExecOptions | 'help' | 'version' {
  if (argv[0] === 'exec') return parseExec(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      tokens: true,
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
        output: { type: 'string', short: 'o' },
        port: { type: 'string' },
        json: { type: 'boolean' },
        host: { type: 'boolean' },
        verbose: { type: 'boolean' },
        serve: { type: 'string' },
        fresh: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify.*$/s, '').replace(/^Unknown option '(.*)'.*$/s, 'unknown option $1'));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (v.version) return 'version';
  const pos = [...parsed.positionals];
  // `nsh --rootless -- CMD…`: what follows `--` is a command, not a script
  const end = parsed.tokens.find(t => t.kind === 'option-terminator');
  if (end && v.rootless) {
    const command = argv.slice(end.index + 1);
    const others = parsed.tokens.filter(t => t.kind === 'option' && t.name !== 'rootless' && t.index < end.index);
    if (others.length > 0 || pos.length > command.length) throw new UsageError('--rootless -- CMD takes nothing else before --');
    if (command.length === 0) throw new UsageError('--rootless -- needs a command after --');
    return { args: command, rm: false, keepOnError: false, replace: false, rootless: true, keep: false, interactive: false, all: false, auto: false, json: false, host: false, verbose: false, fresh: false, command: 'sandbox' };
  }
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
    json: Boolean(v.json),
    host: Boolean(v.host),
    verbose: Boolean(v.verbose),
    fresh: Boolean(v.fresh),
    ...(v.name === undefined ? {} : { name: v.name }),
    ...(v.eval === undefined ? {} : { inline: v.eval }),
    ...(v.output === undefined ? {} : { output: v.output }),
    ...(v.port === undefined ? {} : { port: v.port }),
  };
  const sub = pos[0];
  if (v.serve !== undefined) {
    if (pos.length > 0) throw new UsageError('--serve PART takes nothing more');
    return { ...base, command: 'serve', serve: v.serve };
  }
  if (base.fresh) throw new UsageError('--fresh is an option of --serve');
  if (base.json && sub !== 'show') throw new UsageError('--json is an option of nsh show');
  if (sub === 'help') {
    if (pos.length > 1) throw new UsageError(`nsh help takes nothing more, got ${pos.slice(1).join(' ')}`);
    return 'help';
  }
  if (sub === 'lsp') {
    if (pos.length > 1) throw new UsageError(`nsh lsp takes nothing more, got ${pos.slice(1).join(' ')}`);
    return { ...base, command: 'lsp', args: [] };
  }
  if (sub === 'check' || sub === 'down' || sub === 'ls' || sub === 'tutorial' || sub === 'graph' || sub === 'web' || sub === 'show') {
    pos.shift();
    if (sub === 'check') {
      if (pos.length === 0 && base.inline === undefined) throw new UsageError('nsh check needs a file (or - for standard input, or -e TEXT)');
      if (pos.length > 0 && base.inline !== undefined) throw new UsageError('give nsh check files or -e TEXT, not both');
      if (pos.filter(f => f === '-').length > 1) throw new UsageError('standard input (-) can be checked once');
      return { ...base, command: 'check', files: pos };
    }
    if (sub === 'show' && (pos.length === 0 || pos.length > 3)) throw new UsageError('usage: nsh show LAB [links|addrs|routes] [NS] [--json]');
    return { ...base, command: sub, args: pos };
  }
  if (pos.length > 1) throw new UsageError(`nsh takes one script, got ${pos.length}: ${pos.join(' ')}`);
  if (pos.length === 1 && base.inline !== undefined) throw new UsageError('give either a script or -e TEXT, not both');
  const file = pos[0];
  const command = v.explain ? 'explain' : file === undefined && base.inline === undefined ? 'repl' : 'run';
  if (command === 'explain' && file === undefined && base.inline === undefined) throw new UsageError('--explain needs a script or -e TEXT');
  if (base.rm && file === undefined && base.inline === undefined) throw new UsageError('--rm needs a script or -e TEXT (the REPL removes its lab at the end anyway)');
  return { ...base, command, ...(file === undefined ? {} : { file }) };
}

/** `nsh show LAB [links|addrs|routes] [NS]`: the words after LAB, as the show statement takes them. */
function showQuery(args: readonly string[], json: boolean): ShowQuery | string {
  const [first, second, third] = args;
  const table = first === 'links' || first === 'addrs' || first === 'routes' ? first : undefined;
  const ns = table ? second : first;
  if (third !== undefined || (!table && second !== undefined)) return 'show takes at most a table and a namespace';
  if (ns !== undefined) {
    const bad = checkNsName(ns, { allowHost: true });
    if (isProblem(bad)) return bad.problem;
  }
  return { what: table ?? 'tree', json, ...(ns === undefined ? {} : { ns }) };
}

export async function main(argv: string[], io: Io): Promise<number> {
  const errPaint = painter(io.stderr, io.env);
  const say = (s: string) => io.stdout.write(s.endsWith('\n') ? s : s + '\n');
  const complain = (s: string) => io.stderr.write(s.endsWith('\n') ? s : s + '\n');
  const report = (ds: readonly Diagnostic[]) => complain(renderDiagnostics(ds, errPaint));

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
  const loadChecked = async (file = o.file): Promise<Program | undefined> => {
    // the parser (and chevrotain) load only for a command that reads a script: not for down or ls
    const { checkLoaded, loadInline, loadScript } = await import('./pipeline.js');
    const l = o.inline !== undefined ? loadInline('-e', o.inline) : file === '-' ? loadInline('<stdin>', await readAll(io)) : loadScript(file!);
    const problems = await checkLoaded(l, { env: io.env });
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
      const program = await loadChecked();
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
      return runLab(program, lab, { ...opts, named: opts.name !== undefined }, io, report);
    }
    case 'down':
    case 'ls': {
      if (!privileged()) return 1;
      const { downCommand, listLabsCommand } = await import('./lab-commands.js');
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
