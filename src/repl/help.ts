/** `.help`, `.help STATEMENT` and `.help .COMMAND`, from the statement registry (src/syntax/statements.ts). */
import { optionHead, usageLines } from '../syntax/statement-usage.js';
import { negation, statements, statementSpec } from '../syntax/statements.js';

export const statementNames: readonly string[] = statements.map(s => s.name);

export const REPL_COMMANDS: Readonly<Record<string, string>> = {
  help: 'list the statements; .help STATEMENT shows its forms and an example, .help .COMMAND a REPL command',
  explain: 'toggle printing the iproute2 equivalent of each line',
  save: '.save FILE writes a script that rebuilds the lab as the kernel holds it now',
  show: 'the same as `show`',
  graph: ".graph [FILE] draws the lab (as nsh graph): .svg .dot .mmd .json .html by FILE's extension, DOT here without FILE",
  web: '.web [--port N] serves a live view of the lab on 127.0.0.1 (as nsh web) until the session ends',
  break: 'abandon a multi-line statement',
  exit: 'leave (the lab is torn down unless nsh was started with --keep)',
};

export function helpAll(): string {
  const width = Math.max(...statementNames.map(n => n.length), ...Object.keys(REPL_COMMANDS).map(k => k.length + 1));
  const lines = statements.map(s => `  ${s.name.padEnd(width)}  ${s.help}`);
  const cmds = Object.entries(REPL_COMMANDS).map(([k, v]) => `  ${`.${k}`.padEnd(width)}  ${v}`);
  return [
    'Statements (.help STATEMENT for its forms and an example):',
    ...lines,
    `  ${negation.name.padEnd(width)}  ${negation.help}`,
    '',
    'REPL commands:',
    ...cmds,
    '',
    'After `in NS` alone, a line that does not start with a statement keyword or a def name runs as `in NS LINE`;',
    '`in host` switches back. Tab completes keywords, namespaces, interfaces (NS.<tab>), $variables and paths.',
  ].join('\n');
}

/**
 * The help of a statement (`route`), of `!`, or of a REPL command (`.save`, or `save` when no
 * statement has that name); undefined when there is none.
 */
export function helpFor(name: string): string | undefined {
  const s = name.startsWith('.') ? undefined : statementSpec(name);
  if (!s) {
    if (name === '!') return [`!: ${negation.help}`, '', 'form:', `  ${negation.usage}`, '', 'example:', ...negation.examples.map(l => `  ${l}`)].join('\n');
    const cmd = name.replace(/^\./, '');
    const text = REPL_COMMANDS[cmd];
    return text === undefined ? undefined : `.${cmd}: ${text}`;
  }
  const options = [...(s.leadingOptions ?? []), ...s.options];
  const width = Math.max(0, ...options.map(o => optionHead(o).length));
  return [
    `${s.name}: ${s.help}`,
    '',
    'forms:',
    ...usageLines(s).map(f => `  ${f}`),
    ...(options.length > 0 ? ['', 'options:', ...options.map(o => `  ${optionHead(o).padEnd(width)}  ${o.help}`)] : []),
    '',
    'example:',
    ...s.examples.flatMap(e => e.split('\n')).map(l => `  ${l}`),
  ].join('\n');
}
