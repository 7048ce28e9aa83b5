/** nsh's command line as data: the help text, and argv parsed into the options of one command. */
import { parseArgs } from 'node:util';
import type { ShowQuery } from './backend/show-render.js';
import { existsSync } from 'node:fs';
import { nearest } from './core/nearest.js';
import { checkNsName, isProblem } from './syntax/values.js';

export const HELP = `nsh — a small language for Linux namespaces

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

export class UsageError extends Error {}

export interface Options {
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
export interface ExecOptions {
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

/** The words that name a command rather than a script. */
const COMMANDS = ['check', 'down', 'ls', 'tutorial', 'graph', 'web', 'show', 'help', 'lsp', 'exec'];

const argOptions = {
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
} as const;

function nodeParse(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, strict: true, tokens: true, options: argOptions });
}

/** Each option's words (`--rm`, `-e`) and the option they name. */
const optionWords = new Map<string, keyof typeof argOptions>();
for (const [name, o] of Object.entries(argOptions) as [keyof typeof argOptions, { short?: string }][]) {
  optionWords.set(`--${name}`, name);
  if (o.short !== undefined) optionWords.set(`-${o.short}`, name);
}

/**
 * argv parsed as node's parseArgs would, where every word is a positional, an option's whole word
 * (`--rm`, `-i`) or a string option's word followed by its value (`--name LAB`, `-e TEXT`, a value
 * not starting with "-"), as in `nsh check lab.ns` or `nsh --rm -e 'ns a'`; undefined for anything
 * else (`--`, `--name=LAB`, `-ie`, an unknown option, a value that looks like an option), which
 * node's parser reads and words the errors of. Node loads parseArgs' module when first asked for
 * it: a few milliseconds of every start.
 */
function plainParse(argv: string[]): ReturnType<typeof nodeParse> | undefined {
  const values: Record<string, string | boolean> = Object.create(null);
  const positionals: string[] = [];
  const tokens: unknown[] = [];
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index]!;
    if (!word.startsWith('-')) {
      positionals.push(word);
      tokens.push({ kind: 'positional', index, value: word });
      continue;
    }
    const name = optionWords.get(word);
    if (name === undefined) return undefined;
    if (argOptions[name].type === 'boolean') {
      values[name] = true;
      tokens.push({ kind: 'option', name, rawName: word, index, value: undefined, inlineValue: undefined });
      continue;
    }
    const value = argv[index + 1];
    if (value === undefined || value.startsWith('-')) return undefined;
    values[name] = value;
    tokens.push({ kind: 'option', name, rawName: word, index, value, inlineValue: false });
    index++;
  }
  return { values, positionals, tokens } as unknown as ReturnType<typeof nodeParse>;
}

/** argv parsed: by plainParse where it can, else by node's parseArgs. */
function parseArgv(argv: string[]): ReturnType<typeof nodeParse> {
  const plain = plainParse(argv);
  if (plain !== undefined) return plain;
  try {
    return nodeParse(argv);
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify.*$/s, '').replace(/^Unknown option '(.*)'.*$/s, 'unknown option $1'));
  }
}

export function parseOptions(argv: string[]): Options | ExecOptions | 'help' | 'version' {
  if (argv[0] === 'exec') return parseExec(argv.slice(1));
  const parsed = parseArgv(argv);
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
  // a mistyped command (`nsh chek lab.ns`, `nsh dwon`) reads as a script's name
  const near = sub === undefined ? undefined : nearest(sub, COMMANDS);
  if (near !== undefined && !existsSync(sub!)) throw new UsageError(`no command or script ${sub}; did you mean nsh ${near}?`);
  if (pos.length > 1) throw new UsageError(`nsh takes one script, got ${pos.length}: ${pos.join(' ')}`);
  if (pos.length === 1 && base.inline !== undefined) throw new UsageError('give either a script or -e TEXT, not both');
  const file = pos[0];
  const command = v.explain ? 'explain' : file === undefined && base.inline === undefined ? 'repl' : 'run';
  if (command === 'explain' && file === undefined && base.inline === undefined) throw new UsageError('--explain needs a script or -e TEXT');
  if (base.rm && file === undefined && base.inline === undefined) throw new UsageError('--rm needs a script or -e TEXT (the REPL removes its lab at the end anyway)');
  return { ...base, command, ...(file === undefined ? {} : { file }) };
}

/** `nsh show LAB [links|addrs|routes] [NS]`: the words after LAB, as the show statement takes them. */
export function showQuery(args: readonly string[], json: boolean): ShowQuery | string {
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
