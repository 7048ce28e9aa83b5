/** `.help` and `.help STATEMENT`: the statements, their forms (from usage.ts) and an example each. */
import { usage } from '../syntax/usage.js';

interface Entry {
  readonly what: string;
  readonly example: string;
}

const entries: Readonly<Record<string, Entry>> = {
  ns: { what: 'create network namespaces (persisted like `ip netns add`); optionally with their own hostname', example: 'ns a b\nns r hostname router' },
  del: { what: 'delete a namespace (with all inside it) or a link', example: 'del a\ndel host.v1' },
  veth: { what: 'a veth pair, each end in its namespace, addressed and up; one address on the right gives both ends one', example: 'veth a.v0 <-> host.v1 10.1.1.1/24\nveth a.eth0 10.0.0.1/24 <-> b.eth0 10.0.0.2/24 mtu 9000' },
  bridge: { what: 'a Linux bridge, up, with interfaces of its namespace as ports', example: 'bridge s.br0 p1 p2' },
  attach: { what: 'make interfaces ports of a bridge in the same namespace', example: 'attach s.p3 -> s.br0' },
  addr: { what: 'add or remove addresses (IPv6 without DAD wait)', example: 'addr a.v0 10.1.1.5/24 fd00::5/64\naddr a.v0 del 10.1.1.5/24' },
  up: { what: 'bring links up; *.lo is lo in every namespace of the lab', example: 'up *.lo\nup a.v0' },
  down: { what: 'bring links down', example: 'down a.v0' },
  move: { what: 'move a link to another namespace (its addresses are lost)', example: 'move a.v0 -> host\nmove a.v0 -> b as eth1' },
  route: { what: 'add or delete a route in a namespace', example: 'route h1 default via 10.0.1.1\nroute r 10.9.0.0/16 dev eth0\nroute h1 del default' },
  forward: { what: 'enable IPv4 and IPv6 forwarding in namespaces (routers)', example: 'forward r' },
  sysctl: { what: 'write sysctls inside a namespace', example: 'sysctl r net.ipv4.ip_forward=1' },
  in: { what: 'run a program inside a namespace (ping and nc are built in); `in NS` alone switches the REPL there', example: 'in a ping 10.1.1.2 -c 2\nin a ip -br addr\nin b nc -l 9000 &\nin a nc 10.1.1.2 9000 <<< "hello"' },
  pingall: { what: 'every namespace pings every other one; prints a reachability matrix', example: 'pingall' },
  show: { what: 'the lab as a tree, or one table; --json for scripts', example: 'show\nshow a\nshow routes --json' },
  info: { what: 'namespace identities (type → inode)', example: 'info a\ninfo pid 1' },
  same: { what: 'whether two references are the same namespace; fails if not', example: 'same a pid 1 net' },
  pin: { what: 'keep a namespace alive under a name, or at a file', example: 'pin pid 1234 as web\npin a at "/tmp/a-net"' },
  spawn: { what: 'a program as PID 1 of brand-new namespaces', example: 'spawn uts pid mnt hostname box sh -c "hostname; echo $$"' },
  for: { what: 'loops over a range or a word list', example: 'for i in 1..3 {\n  ns h$i\n}' },
  def: { what: 'your own statement; then call it by name', example: 'def host N {\n  ns $N\n}\nhost h1' },
  let: { what: 'a variable; $V or ${V} in words, ${i+1} for arithmetic', example: 'let net = 10.0.${i}.0/24' },
  include: { what: 'read another script in (at parse time)', example: 'include "common.ns"' },
  echo: { what: 'print', example: 'echo "lab is up"' },
  sleep: { what: 'wait', example: 'sleep 0.5' },
  jobs: { what: 'list background jobs', example: 'jobs' },
  wait: { what: 'wait for background jobs', example: 'wait %1' },
  kill: { what: 'end background jobs', example: 'kill %1' },
};

export const statementNames: readonly string[] = Object.keys(entries);

export const REPL_COMMANDS: Readonly<Record<string, string>> = {
  help: 'list the statements; .help STATEMENT shows its forms and an example',
  explain: 'toggle printing the iproute2 equivalent of each line',
  save: '.save FILE writes a script that rebuilds the lab as the kernel holds it now',
  show: 'the same as `show`',
  break: 'abandon a multi-line statement',
  exit: 'leave (the lab is torn down unless nsh was started with --keep)',
};

export function helpAll(): string {
  const width = Math.max(...statementNames.map(n => n.length));
  const lines = statementNames.map(n => `  ${n.padEnd(width)}  ${entries[n]!.what}`);
  const cmds = Object.entries(REPL_COMMANDS).map(([k, v]) => `  .${k.padEnd(width - 1)}  ${v}`);
  return [
    'Statements (.help STATEMENT for its forms and an example):',
    ...lines,
    '',
    'REPL commands:',
    ...cmds,
    '',
    'After `in NS` alone, a line that does not start with a statement keyword or a def name runs as `in NS LINE`;',
    '`in host` switches back. Tab completes keywords, namespaces, interfaces (NS.<tab>), $variables and paths.',
  ].join('\n');
}

/** The help of one statement, or undefined when there is no such statement. */
export function helpFor(name: string): string | undefined {
  const e = entries[name];
  if (!e) return undefined;
  const forms = (usage[`${name}Stmt`] ?? name).split(new RegExp(`\\s+(?:or|\\|)\\s+(?=${name}\\b)`));
  return [
    `${name}: ${e.what}`,
    '',
    'forms:',
    ...forms.map(f => `  ${f}`),
    '',
    'example:',
    ...e.example.split('\n').map(l => `  ${l}`),
  ].join('\n');
}
