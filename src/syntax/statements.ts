/**
 * The statement registry: one entry per statement of nsh — its name, a line of help, its forms
 * (the positional words, each with what completes it), its option words (each with the kind of
 * value it takes), and examples. Plain data with no parser behind it: the keyword list
 * (keywords.ts), the usage hints (usage.ts), the REPL's `.help` and completion, and the editor
 * grammar (scripts/gen-grammar.mjs) are derived from it, and a language server can read it for
 * completion and hover.
 */
import { NS_TYPES } from '../core/net.js';

/** What completes a word in a position (and what hover can say it is). */
export type Completion =
  | 'namespace' // a namespace of the lab, or host
  | 'endpoint' // NS.IF
  | 'target' // a namespace or NS.IF
  | 'nsref' // NAME, host, pid N or "PATH"
  | 'address' // an IP address
  | 'interface' // an interface of the statement's namespace
  | 'port' // an interface of the statement's namespace that can be a bridge port (not lo)
  | 'file'
  | 'program'
  | 'sysctl'
  | 'def'
  | 'variable'
  | 'machine'
  | 'none';

/** The kind of value an option word takes (values.ts checks each). */
export type ValueKind =
  | 'TIME' // 250us, 10ms, 1.5s, or a number of seconds
  | 'PCT' // 1%, 0.5%
  | 'RATE' // 100kbit, 1mbit, 1gbit
  | 'N' // a whole number
  | 'PORT' // 1-65535
  | 'NAME' // a name nsh gives (namespace, interface)
  | 'HOST' // a hostname
  | 'ADDR' // an IP address
  | 'MACHINE' // a machine declared with `machine`
  | 'MODE' // one of the option's choices
  | 'FILE' // a quoted path
  | 'TEXT'; // any word

/** A word a statement may take after its positional words, in any order, at most once each. */
export interface OptionSpec {
  /** The option word as written (a keyword, or `&` / `<<<`). */
  readonly word: string;
  /** The kind of the word that follows; none for a word that stands alone (`off`, `&`). */
  readonly value?: ValueKind;
  /** How the value is shown in usage, when not the kind (`hostname HOST`). */
  readonly meta?: string;
  /** The values allowed, for a MODE. */
  readonly choices?: readonly string[];
  /** The lowest and highest value, for a TIME (in seconds) or an N. */
  readonly range?: readonly [number, number];
  /** A group of options that a statement may show as one in its usage (`[shaping options]`). */
  readonly group?: string;
  readonly help: string;
}

/**
 * One position of a form: a keyword or operator written as is (`<->`, `via`), or words filled in
 * (`min`..`max` of them) that `complete` completes.
 */
export type Slot =
  | { readonly kind: 'keyword'; readonly words: readonly string[]; readonly optional: boolean }
  | {
      readonly kind: 'word';
      /** How it is shown in usage (`NS.IF`, `ADDR`). */
      readonly meta: string;
      readonly complete: Completion;
      /** Words that are offered, and in a form are the only ones allowed (`default`). */
      readonly choices?: readonly string[];
      readonly min: 0 | 1;
      readonly max: 1 | typeof Infinity;
    }
  /** `{ … }`: a block of statements. */
  | { readonly kind: 'block' };

export interface StatementSpec {
  /** The keyword that starts it. */
  readonly name: string;
  /** The parser rule (src/syntax/parser.ts). */
  readonly rule: string;
  readonly help: string;
  /** Its forms: each a sequence of positions; the options may follow any of them. */
  readonly forms: readonly (readonly Slot[])[];
  /** Option words after the positional words, in any order. */
  readonly options: readonly OptionSpec[];
  /** Option words before the positional words, in any order (spawn's namespace types). */
  readonly leadingOptions?: readonly OptionSpec[];
  /** Option groups shown as one in usage: `[shaping options]`. */
  readonly collapse?: readonly string[];
  readonly examples: readonly string[];
}

// ---- building blocks ------------------------------------------------------------------------------

/** A keyword (or one of several: `tcp|udp`), or an operator. */
const kw = (text: string, optional = false): Slot => ({ kind: 'keyword', words: text.split('|'), optional });
const op = kw;
const block: Slot = { kind: 'block' };
/** One word. */
const one = (meta: string, complete: Completion = 'none', choices?: readonly string[]): Slot => ({
  kind: 'word', meta, complete, min: 1, max: 1, ...(choices ? { choices } : {}),
});
/** An optional word. */
const maybe = (meta: string, complete: Completion = 'none', choices?: readonly string[]): Slot => ({
  kind: 'word', meta, complete, min: 0, max: 1, ...(choices ? { choices } : {}),
});
/** One or more words. */
const some = (meta: string, complete: Completion = 'none'): Slot => ({ kind: 'word', meta, complete, min: 1, max: Infinity });
/** Any number of words. */
const any = (meta: string, complete: Completion = 'none'): Slot => ({ kind: 'word', meta, complete, min: 0, max: Infinity });

const stdin: OptionSpec = { word: '<<<', value: 'TEXT', meta: '"text"', help: 'the text on standard input' };
const background: OptionSpec = { word: '&', help: 'run in the background ([1] PID is printed; $! holds the PID)' };

export const NS_TYPE_NAMES = NS_TYPES;

const SHAPING = 'shaping options';
/** The shaping options of `shape` and `veth`. */
export const SHAPE_OPTIONS: readonly OptionSpec[] = [
  { word: 'delay', value: 'TIME', range: [0, 3600], group: SHAPING, help: 'delay what leaves by this much (netem)' },
  { word: 'jitter', value: 'TIME', range: [0, 3600], group: SHAPING, help: 'vary the delay by up to this much (needs delay)' },
  { word: 'loss', value: 'PCT', group: SHAPING, help: 'drop this share of the packets' },
  { word: 'duplicate', value: 'PCT', group: SHAPING, help: 'send this share of the packets twice' },
  { word: 'reorder', value: 'PCT', group: SHAPING, help: 'send this share of the packets at once, ahead of the delayed ones (needs delay)' },
  { word: 'corrupt', value: 'PCT', group: SHAPING, help: 'flip a bit in this share of the packets' },
  { word: 'rate', value: 'RATE', group: SHAPING, help: 'limit the rate (alone: a token bucket, tbf, which needs no netem)' },
  { word: 'limit', value: 'N', range: [1, 4294967295], group: SHAPING, help: 'the length of the queue, in packets (netem)' },
];
export const MACVLAN_MODE_NAMES = ['bridge', 'private', 'vepa', 'passthru'] as const;

// ---- the statements ---------------------------------------------------------------------------------

export const statements: readonly StatementSpec[] = [
  {
    name: 'ns',
    rule: 'nsStmt',
    help: 'create network namespaces (persisted like `ip netns add`); optionally with their own hostname',
    forms: [[some('NAME')]],
    options: [
      { word: 'hostname', value: 'HOST', help: 'a UTS namespace of its own with this hostname' },
      { word: 'on', value: 'MACHINE', help: 'the namespaces live on that machine (declared with machine)' },
    ],
    examples: ['ns a b', 'ns r hostname router', 'ns c d on m2'],
  },
  {
    name: 'del',
    rule: 'delStmt',
    help: 'delete a namespace (with all inside it) or a link',
    forms: [[some('NAME | NS.IF', 'target')]],
    options: [],
    examples: ['del a', 'del host.v1'],
  },
  {
    name: 'veth',
    rule: 'vethStmt',
    help: 'a veth pair, each end in its namespace, addressed and up; one address on the right gives both ends one',
    forms: [[one('NS.IF', 'endpoint'), any('ADDR', 'address'), op('<->'), one('NS.IF', 'endpoint'), any('ADDR', 'address')]],
    options: [{ word: 'mtu', value: 'N', range: [68, 65535], help: 'the MTU of both ends' }, ...SHAPE_OPTIONS],
    collapse: [SHAPING],
    examples: [
      'veth a.v0 <-> host.v1 10.1.1.1/24',
      'veth a.eth0 10.0.0.1/24 <-> b.eth0 10.0.0.2/24 mtu 9000',
      'veth a.v0 <-> b.v0 10.0.0.1/30 delay 10ms rate 10mbit',
    ],
  },
  {
    name: 'bridge',
    rule: 'bridgeStmt',
    help: 'a Linux bridge, up, with interfaces of its namespace as ports; vlan turns VLAN filtering on',
    forms: [[one('NS.BR', 'endpoint'), kw('vlan', true), any('IF', 'port')]],
    options: [],
    examples: ['bridge s.br0 p1 p2', 'bridge s.br1 vlan'],
  },
  {
    name: 'attach',
    rule: 'attachStmt',
    help: 'make interfaces ports of a bridge in the same namespace; with vlan, an access or a trunk port',
    forms: [
      [some('NS.IF', 'endpoint'), op('->'), one('NS.BR', 'endpoint')],
      [some('NS.IF', 'endpoint'), op('->'), one('NS.BR', 'endpoint'), kw('vlan'), one('ID'), kw('untagged')],
      [some('NS.IF', 'endpoint'), op('->'), one('NS.BR', 'endpoint'), kw('vlan'), one('ID[,ID…]')],
    ],
    options: [],
    examples: ['attach s.p3 -> s.br0', 'attach s.p1 -> s.br1 vlan 10 untagged', 'attach s.up -> s.br1 vlan 10,20'],
  },
  {
    name: 'addr',
    rule: 'addrStmt',
    help: 'add or remove addresses (IPv6 without DAD wait)',
    forms: [
      [one('NS.IF', 'endpoint'), some('ADDR', 'address')],
      [one('NS.IF', 'endpoint'), kw('del'), some('ADDR', 'address')],
    ],
    options: [],
    examples: ['addr a.v0 10.1.1.5/24 fd00::5/64', 'addr a.v0 del 10.1.1.5/24'],
  },
  {
    name: 'up',
    rule: 'upStmt',
    help: 'bring links up; *.lo is lo in every namespace of the lab',
    forms: [[some('NS.IF', 'endpoint')]],
    options: [],
    examples: ['up *.lo', 'up a.v0'],
  },
  {
    name: 'down',
    rule: 'downStmt',
    help: 'bring links down',
    forms: [[some('NS.IF', 'endpoint')]],
    options: [],
    examples: ['down a.v0'],
  },
  {
    name: 'move',
    rule: 'moveStmt',
    help: 'move a link to another namespace (its addresses are lost)',
    forms: [[one('NS.IF', 'endpoint'), op('->'), one('NSREF', 'nsref')]],
    options: [{ word: 'as', value: 'NAME', meta: 'NEWNAME', help: 'its name in the new namespace' }],
    examples: ['move a.v0 -> host', 'move a.v0 -> b as eth1'],
  },
  {
    name: 'route',
    rule: 'routeStmt',
    help: 'add or delete a route in a namespace',
    forms: [
      [one('NS', 'namespace'), one('default', 'none', ['default']), kw('via'), one('IP', 'address')],
      [one('NS', 'namespace'), one('PREFIX', 'address'), kw('via'), one('IP', 'address')],
      [one('NS', 'namespace'), one('PREFIX', 'address'), kw('dev'), one('IF', 'interface')],
      [one('NS', 'namespace'), kw('del'), one('PREFIX', 'address', ['default'])],
    ],
    options: [],
    examples: ['route h1 default via 10.0.1.1', 'route r 10.9.0.0/16 dev eth0', 'route h1 del default'],
  },
  {
    name: 'forward',
    rule: 'forwardStmt',
    help: 'enable IPv4 and IPv6 forwarding in namespaces (routers)',
    forms: [[some('NS', 'namespace')]],
    options: [],
    examples: ['forward r'],
  },
  {
    name: 'sysctl',
    rule: 'sysctlStmt',
    help: 'write sysctls inside a namespace',
    forms: [[one('NS', 'namespace'), some('KEY=VALUE', 'sysctl')]],
    options: [],
    examples: ['sysctl r net.ipv4.ip_forward=1'],
  },
  {
    name: 'in',
    rule: 'inStmt',
    help: 'run a program inside a namespace (ping and nc are built in); `in NS` alone switches the REPL there',
    forms: [[one('NSREF', 'nsref'), one('CMD', 'program'), any('ARG')]],
    options: [stdin, background],
    examples: ['in a ping 10.1.1.2 -c 2', 'in a ip -br addr', 'in b nc -l 9000 &', 'in a nc 10.1.1.2 9000 <<< "hello"'],
  },
  {
    name: 'pingall',
    rule: 'pingallStmt',
    help: 'every namespace pings every other one; prints a reachability matrix',
    forms: [[]],
    options: [],
    examples: ['pingall'],
  },
  {
    name: 'show',
    rule: 'showStmt',
    help: 'the lab as a tree, or one table; --json for scripts',
    forms: [[maybe('NS', 'namespace')], [one('links | addrs | routes', 'none', ['links', 'addrs', 'routes']), maybe('NS', 'namespace')]],
    options: [{ word: '--json', help: 'as JSON, for scripts' }],
    examples: ['show', 'show a', 'show routes --json'],
  },
  {
    name: 'info',
    rule: 'infoStmt',
    help: 'namespace identities (type → inode)',
    forms: [[one('NSREF', 'nsref')]],
    options: [],
    examples: ['info a', 'info pid 1'],
  },
  {
    name: 'same',
    rule: 'sameStmt',
    help: 'whether two references are the same namespace; fails if not',
    forms: [[one('NSREF', 'nsref'), one('NSREF', 'nsref'), maybe('TYPE', 'none', NS_TYPE_NAMES)]],
    options: [],
    examples: ['same a pid 1 net'],
  },
  {
    name: 'pin',
    rule: 'pinStmt',
    help: 'keep a namespace alive under a name, or at a file',
    forms: [
      [kw('pid'), one('N'), kw('as'), one('NAME')],
      [one('NSREF', 'nsref'), kw('at'), one('"PATH"', 'file')],
    ],
    options: [],
    examples: ['pin pid 1234 as web', 'pin a at "/tmp/a-net"'],
  },
  {
    name: 'spawn',
    rule: 'spawnStmt',
    help: 'a program as PID 1 of brand-new namespaces',
    leadingOptions: [
      ...(['uts', 'ipc', 'pid', 'mnt', 'net', 'user'] as const).map(word => ({ word, help: `a new ${word} namespace` })),
      { word: 'hostname', value: 'HOST', meta: 'H', help: 'its hostname (with uts)' },
      { word: 'as', value: 'NAME', help: 'the name of its network namespace, usable as a namespace of the lab (with net)' },
    ],
    forms: [[one('CMD', 'program'), any('ARG')]],
    options: [stdin, background],
    examples: ['spawn uts pid mnt hostname box sh -c "hostname; echo $$"'],
  },
  {
    name: 'for',
    rule: 'forStmt',
    help: 'loops over a range or a word list',
    forms: [
      [one('V'), kw('in'), one('A..B'), block],
      [one('V'), kw('in'), some('WORD'), block],
    ],
    options: [],
    examples: ['for i in 1..3 {\n  ns h$i\n}'],
  },
  {
    name: 'def',
    rule: 'defStmt',
    help: 'your own statement; then call it by name',
    forms: [[one('NAME'), any('PARAM'), block]],
    options: [],
    examples: ['def host N {\n  ns $N\n}\nhost h1'],
  },
  {
    name: 'let',
    rule: 'letStmt',
    help: 'a variable; $V or ${V} in words, ${i+1} for arithmetic',
    forms: [[one('V'), op('='), one('WORD')]],
    options: [],
    examples: ['let net = 10.0.${i}.0/24'],
  },
  {
    name: 'include',
    rule: 'includeStmt',
    help: 'read another script in (at parse time)',
    forms: [[one('"FILE.ns"', 'file')]],
    options: [],
    examples: ['include "common.ns"'],
  },
  {
    name: 'echo',
    rule: 'echoStmt',
    help: 'print',
    forms: [[any('"text"')]],
    options: [],
    examples: ['echo "lab is up"'],
  },
  {
    name: 'sleep',
    rule: 'sleepStmt',
    help: 'wait',
    forms: [[one('TIME')]],
    options: [],
    examples: ['sleep 0.5', 'sleep 250ms'],
  },
  {
    name: 'jobs',
    rule: 'jobsStmt',
    help: 'list background jobs',
    forms: [[]],
    options: [],
    examples: ['jobs'],
  },
  {
    name: 'wait',
    rule: 'waitStmt',
    help: 'wait for background jobs',
    forms: [[any('%N | PID')]],
    options: [],
    examples: ['wait %1'],
  },
  {
    name: 'kill',
    rule: 'killStmt',
    help: 'end background jobs',
    forms: [[some('%N | PID')]],
    options: [],
    examples: ['kill %1'],
  },
  {
    name: 'shape',
    rule: 'shapeStmt',
    help: 'shape what leaves each endpoint (delay, loss, rate …), replacing any shaping it had; off removes it',
    forms: [[some('NS.IF', 'endpoint')]],
    options: [...SHAPE_OPTIONS, { word: 'off', help: 'remove the shaping (alone)' }],
    examples: ['shape a.v0 delay 50ms jitter 5ms loss 1%', 'shape a.v0 b.v0 rate 1mbit', 'shape a.v0 off'],
  },
  {
    name: 'capture',
    rule: 'captureStmt',
    help: 'built-in packet capture on an interface: one line per packet, or a pcap file',
    forms: [[one('NS.IF', 'endpoint')]],
    options: [
      { word: 'to', value: 'FILE', meta: '"FILE"', help: 'write a pcap file (tcpdump and Wireshark read it)' },
      { word: 'count', value: 'N', range: [1, 1_000_000_000], help: 'end after this many packets' },
      { word: 'for', value: 'TIME', range: [1e-6, 86400], help: 'end after this long' },
      background,
    ],
    examples: ['capture a.v0 count 5', 'capture b.eth0 to "b.pcap" for 10s &'],
  },
  {
    name: 'await',
    rule: 'awaitStmt',
    help: 'wait until something listens on a port in a namespace, or until an address answers a ping from it',
    forms: [
      [one('NSREF', 'nsref'), kw('tcp|udp'), one('PORT')],
      [one('NSREF', 'nsref'), kw('reach'), one('ADDR', 'address')],
    ],
    options: [{ word: 'timeout', value: 'TIME', range: [1e-6, 86400], help: 'how long to wait at most (10s)' }],
    examples: ['await b tcp 8080', 'await a reach 10.0.2.2 timeout 5s'],
  },
  {
    name: 'vlan',
    rule: 'vlanStmt',
    help: 'an 802.1Q sub-interface (IF.ID unless named with as), in the same namespace, up, addressed',
    forms: [[one('NS.IF', 'endpoint'), one('ID'), any('ADDR', 'address')]],
    options: [{ word: 'as', value: 'NAME', help: 'its name (default IF.ID)' }],
    examples: ['vlan a.eth0 10 10.0.10.1/24', 'vlan a.eth0 20 as mgmt'],
  },
  {
    name: 'macvlan',
    rule: 'macvlanStmt',
    help: 'a macvlan of an interface (a NIC of the host: host.eth0), placed in a namespace, up, addressed',
    forms: [[one('NS.IF', 'endpoint'), op('->'), one('NS.NAME', 'endpoint'), any('ADDR', 'address')]],
    options: [{ word: 'mode', value: 'MODE', choices: MACVLAN_MODE_NAMES, help: 'the macvlan mode (bridge)' }],
    examples: ['macvlan host.eth0 -> a.mv0 192.168.1.50/24', 'macvlan host@m2.eth0 -> b.mv0 mode vepa'],
  },
  {
    name: 'nat',
    rule: 'natStmt',
    help: 'masquerade what a namespace forwards out of interfaces that are not links of the lab',
    forms: [[one('NS', 'namespace')]],
    options: [],
    examples: ['nat host'],
  },
  {
    name: 'publish',
    rule: 'publishStmt',
    help: 'connections to a port on a namespace\'s own addresses go to ADDR:PORT inside the lab',
    forms: [[one('NS', 'namespace'), kw('tcp|udp', true), one('PORT'), op('->'), one('ADDR[:PORT]', 'address')]],
    options: [],
    examples: ['publish host 8080 -> 10.0.0.2:80', 'publish host udp 5353 -> [fd00::2]:53'],
  },
  {
    name: 'vxlan',
    rule: 'vxlanStmt',
    help: 'one end of a VXLAN tunnel to another machine: made in the root namespace (its UDP socket stays there), placed in NS, up, addressed',
    forms: [[one('NS.IF', 'endpoint'), one('VNI'), kw('remote'), one('ADDR', 'address'), any('ADDR', 'address')]],
    options: [
      { word: 'local', value: 'ADDR', help: 'the source address of its packets (that of the route to the remote)' },
      { word: 'port', value: 'PORT', help: 'the UDP port (4789)' },
      { word: 'mtu', value: 'N', range: [68, 65535], help: 'its MTU (the kernel gives 1450 over IPv4)' },
    ],
    examples: ['vxlan a.vx0 4711 remote 192.0.2.2 10.9.0.1/24', 'vxlan host.vx1 42 remote 192.0.2.3 local 192.0.2.1 mtu 1400'],
  },
  {
    name: 'machine',
    rule: 'machineStmt',
    help: 'a machine the lab may use, reached with OpenSSH',
    forms: [[one('NAME'), kw('ssh'), one('[USER@]HOST')]],
    options: [{ word: 'port', value: 'PORT', help: 'the ssh port (22)' }],
    examples: ['machine m2 ssh root@10.0.0.5', 'machine m3 ssh m3.example.org port 2222'],
  },
];

/** `! STATEMENT`, which is not a statement of its own but has its help. */
export const negation = {
  name: '!',
  help: 'the statement must fail: `! STATEMENT` succeeds when STATEMENT fails',
  usage: '! STATEMENT',
  examples: ['! in a ping 10.9.9.9 -c 1'],
} as const;

// ---- derived ------------------------------------------------------------------------------------------

const byName = new Map(statements.map(s => [s.name, s]));

export function statementSpec(name: string): StatementSpec | undefined {
  return byName.get(name);
}

/** An option as usage shows it: `mtu N`, `mode bridge|private|vepa|passthru`, `off`. */
export function optionHead(o: OptionSpec): string {
  return o.value ? `${o.word} ${o.meta ?? (o.choices ? o.choices.join('|') : o.value)}` : o.word;
}

function optionText(o: OptionSpec): string {
  return `[${optionHead(o)}]`;
}

function slotText(s: Slot): string {
  switch (s.kind) {
    case 'keyword':
      return s.optional ? `[${s.words.join('|')}]` : s.words.join('|');
    case 'block':
      return '{ … }';
    case 'word': {
      const w = s.max > 1 ? `${s.meta}…` : s.meta;
      return s.min === 0 ? `[${w}]` : w;
    }
  }
}

/** Each form of a statement as one line of usage: `veth NS.IF [ADDR…] <-> NS.IF [ADDR…] [mtu N]`. */
export function usageLines(s: StatementSpec): string[] {
  const lead = (s.leadingOptions ?? []).map(optionText);
  const collapsed = (o: OptionSpec) => o.group !== undefined && (s.collapse ?? []).includes(o.group);
  const tail = s.options.map(o => (collapsed(o) ? `[${o.group}]` : optionText(o))).filter((t, i, all) => all.indexOf(t) === i);
  return s.forms.map(f => [s.name, ...lead, ...f.map(slotText), ...tail].join(' '));
}

/** Every word that is a keyword of the lexer: statement names, option words, and keywords of the forms. */
export function keywordsOf(specs: readonly StatementSpec[]): { statements: string[]; others: string[] } {
  const isWord = (w: string) => /^[a-z]+$/.test(w);
  const others = new Set<string>();
  for (const s of specs) {
    for (const o of [...(s.leadingOptions ?? []), ...s.options]) if (isWord(o.word)) others.add(o.word);
    for (const f of s.forms) for (const slot of f) if (slot.kind === 'keyword') for (const w of slot.words) if (isWord(w)) others.add(w);
  }
  const names = specs.map(s => s.name);
  for (const n of names) others.delete(n);
  return { statements: names, others: [...others] };
}

/**
 * The words with a meaning inside statements, keywords or not: option words, the keywords of the
 * forms (`via`, `del`), and the words offered in a position (`default`, `links`) or as an option's
 * value (`bridge`, `vepa`). The editor grammar highlights them.
 */
export function innerWords(specs: readonly StatementSpec[]): string[] {
  const isWord = (w: string) => /^[a-z]+$/.test(w);
  const out = new Set<string>();
  for (const s of specs) {
    for (const o of [...(s.leadingOptions ?? []), ...s.options]) for (const w of [o.word, ...(o.choices ?? [])]) if (isWord(w)) out.add(w);
    for (const f of s.forms) {
      for (const slot of f) {
        if (slot.kind === 'keyword') for (const w of slot.words) if (isWord(w)) out.add(w);
        if (slot.kind === 'word') for (const c of slot.choices ?? []) if (isWord(c)) out.add(c);
      }
    }
  }
  return [...out];
}
