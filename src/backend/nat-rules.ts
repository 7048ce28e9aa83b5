/**
 * The nftables rules of `nat` and `publish`, as data. The Linux backend hands them to libnftables
 * as JSON; the explain backend prints the same commands as `nft -f` text. Names, addresses and
 * ports are values inside the JSON (never text spliced into a rule); in the text, interface names
 * are quoted and the table's name is an nft identifier (`nsh_` and a lab's name make one).
 *
 * Everything lives in one table of the lab's own per namespace, `inet nsh_LAB`:
 * - `nat NS`: the set `lan` (the lab's links in NS) and the chain `postrouting` (nat, srcnat), whose
 *   one rule masquerades what NS forwards out of a link that is not in the set. Packets NS sends
 *   itself (their source is one of its own addresses) are left as they are.
 * - `publish NS`: the chains `prerouting` (nat, dstnat) and `output` (nat, -100), each with one
 *   rule per published port that sends connections to PORT on NS's own addresses to ADDR:PORT —
 *   from outside (prerouting) and from NS itself (output; not to 127.0.0.1 or ::1, whose source
 *   cannot leave NS).
 * `add table`, `add set` and `add chain` change nothing that exists: whichever of the two comes first
 * makes the table, and running `nat` again only renews the set and the masquerade rule.
 */
import type { Published } from '../core/snapshot.js';

export const NFT_FAMILY = 'inet';
/** The sysctls that turn forwarding on, by family: nat turns on both, publish its target's. */
export const FORWARDING = { 4: 'net.ipv4.ip_forward', 6: 'net.ipv6.conf.all.forwarding' } as const;
export const LAN_SET = 'lan';

/**
 * One nft command, as libnftables' JSON and as `nft -f` text. The text is made when asked for
 * (only explaining asks): a name that text cannot hold is refused there, and the JSON, which
 * holds any name as a value, is unaffected.
 */
export interface NftCommand {
  readonly json: object;
  readonly text: string;
}

function command(json: object, text: () => string): NftCommand {
  return {
    json,
    get text() {
      return text();
    },
  };
}

/** What `publish` adds. */
export interface PublishRule {
  readonly proto: 'tcp' | 'udp';
  readonly port: number;
  readonly to: { readonly address: string; readonly family: 4 | 6; readonly port: number };
}

/** A table name in nft text: bare, as nft reads identifiers (a lab's name makes one). */
function ident(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.\/-]*$/.test(name)) throw new Error(`nft: ${JSON.stringify(name)} cannot be written as a table name`);
  return name;
}

/** An interface name in nft text: in double quotes (an interface name holds no quote or line break). */
function quoted(name: string): string {
  if (/["\\\n\r]/.test(name)) throw new Error(`nft: ${JSON.stringify(name)} cannot be written as a string`);
  return `"${name}"`;
}

/** A piece of a rule: a match or a statement, in both forms. */
interface Piece {
  readonly json: object;
  readonly text: string;
}

const match = (op: '==' | '!=', left: object, right: unknown, text: string): Piece => ({ json: { match: { op, left, right } }, text });

const fibType = (addr: 'saddr' | 'daddr', op: '==' | '!=', type: string): Piece =>
  match(op, { fib: { flags: [addr], result: 'type' } }, type, `fib ${addr} type ${op === '==' ? '' : '!= '}${type}`);

const nfproto = (family: 4 | 6): Piece => {
  const p = family === 4 ? 'ipv4' : 'ipv6';
  return match('==', { meta: { key: 'nfproto' } }, p, `meta nfproto ${p}`);
};

/** Not to the loopback address (a connection to it keeps a source that cannot leave the namespace). */
const notLoopback = (family: 4 | 6): Piece =>
  family === 4
    ? match('!=', { payload: { protocol: 'ip', field: 'daddr' } }, { prefix: { addr: '127.0.0.0', len: 8 } }, 'ip daddr != 127.0.0.0/8')
    : match('!=', { payload: { protocol: 'ip6', field: 'daddr' } }, '::1', 'ip6 daddr != ::1');

const dport = (proto: 'tcp' | 'udp', port: number): Piece =>
  match('==', { payload: { protocol: proto, field: 'dport' } }, port, `${proto} dport ${port}`);

const dnat = (to: PublishRule['to']): Piece => {
  const family = to.family === 4 ? 'ip' : 'ip6';
  const where = to.family === 4 ? `${to.address}:${to.port}` : `[${to.address}]:${to.port}`;
  return { json: { dnat: { family, addr: to.address, port: to.port } }, text: `dnat ${family} to ${where}` };
};

const notLan: Piece = match('!=', { meta: { key: 'oifname' } }, `@${LAN_SET}`, `oifname != @${LAN_SET}`);
const masquerade: Piece = { json: { masquerade: null }, text: 'masquerade' };

// ---- commands -------------------------------------------------------------------------------------

const ref = (table: string) => ({ family: NFT_FAMILY, table });

function addTable(table: string): NftCommand {
  return command({ add: { table: { family: NFT_FAMILY, name: table } } }, () => `add table ${NFT_FAMILY} ${ident(table)}`);
}

/** A base chain of type nat; `prio` as a number, `prioText` as nft writes it. */
function addNatChain(table: string, name: string, hook: string, prio: number, prioText: string): NftCommand {
  return command(
    { add: { chain: { ...ref(table), name, type: 'nat', hook, prio, policy: 'accept' } } },
    () => `add chain ${NFT_FAMILY} ${ident(table)} ${name} { type nat hook ${hook} priority ${prioText}; policy accept; }`,
  );
}

function flushChain(table: string, name: string): NftCommand {
  return command({ flush: { chain: { ...ref(table), name } } }, () => `flush chain ${NFT_FAMILY} ${ident(table)} ${name}`);
}

function addRule(table: string, chain: string, pieces: readonly Piece[]): NftCommand {
  return command(
    { add: { rule: { ...ref(table), chain, expr: pieces.map(p => p.json) } } },
    () => `add rule ${NFT_FAMILY} ${ident(table)} ${chain} ${pieces.map(p => p.text).join(' ')}`,
  );
}

function elements(verb: 'add' | 'delete', table: string, names: readonly string[]): NftCommand {
  return command(
    { [verb]: { element: { ...ref(table), name: LAN_SET, elem: [...names] } } },
    () => `${verb} element ${NFT_FAMILY} ${ident(table)} ${LAN_SET} { ${names.map(quoted).join(', ')} }`,
  );
}

/** `nat`: the table, the set of the lab's links (renewed), and the masquerade rule (renewed). */
export function natCommands(table: string, lan: readonly string[]): NftCommand[] {
  return [
    addTable(table),
    command({ add: { set: { ...ref(table), name: LAN_SET, type: 'ifname' } } }, () => `add set ${NFT_FAMILY} ${ident(table)} ${LAN_SET} { type ifname; }`),
    command({ flush: { set: { ...ref(table), name: LAN_SET } } }, () => `flush set ${NFT_FAMILY} ${ident(table)} ${LAN_SET}`),
    ...(lan.length === 0 ? [] : [elements('add', table, lan)]),
    addNatChain(table, 'postrouting', 'postrouting', 100, 'srcnat'),
    flushChain(table, 'postrouting'),
    addRule(table, 'postrouting', [notLan, fibType('saddr', '!=', 'local'), masquerade]),
  ];
}

/** `publish`: the table, its two chains, and one rule in each. */
export function publishCommands(table: string, p: PublishRule): NftCommand[] {
  const family = p.to.family;
  const local = fibType('daddr', '==', 'local');
  return [
    addTable(table),
    addNatChain(table, 'prerouting', 'prerouting', -100, 'dstnat'),
    addNatChain(table, 'output', 'output', -100, '-100'),
    addRule(table, 'prerouting', [nfproto(family), local, dport(p.proto, p.port), dnat(p.to)]),
    addRule(table, 'output', [nfproto(family), local, notLoopback(family), dport(p.proto, p.port), dnat(p.to)]),
  ];
}

/** Links the lab made in a namespace whose traffic it masquerades: into the set. */
export function lanAddCommand(table: string, names: readonly string[]): NftCommand {
  return elements('add', table, names);
}

export function lanDeleteCommand(table: string, names: readonly string[]): NftCommand {
  return elements('delete', table, names);
}

export function deleteTableCommand(table: string): NftCommand {
  return command({ delete: { table: { family: NFT_FAMILY, name: table } } }, () => `delete table ${NFT_FAMILY} ${ident(table)}`);
}

export function listTableCommand(table: string): NftCommand {
  return command({ list: { table: { family: NFT_FAMILY, name: table } } }, () => `list table ${NFT_FAMILY} ${ident(table)}`);
}

/** Commands as one libnftables JSON document (one transaction). */
export function nftDocument(cmds: readonly NftCommand[]): object {
  return { nftables: cmds.map(c => c.json) };
}

/** Commands as the text of `nft -f`. */
export function nftText(cmds: readonly NftCommand[]): string {
  return cmds.map(c => c.text).join('\n');
}

// ---- reading a table back -------------------------------------------------------------------------

/**
 * What a listing of the lab's table (libnftables' JSON output of `list table`) says: whether it
 * masquerades, and the published ports (read from the prerouting chain's rules).
 */
export function readTable(listing: unknown): { nat: boolean; published: Published[] } {
  const items = (listing as { nftables?: unknown[] } | undefined)?.nftables ?? [];
  let nat = false;
  const published: Published[] = [];
  for (const item of items) {
    const rule = (item as { rule?: { chain?: string; expr?: unknown[] } }).rule;
    if (!rule) continue;
    const expr = rule.expr ?? [];
    if (rule.chain === 'postrouting' && expr.some(e => e !== null && typeof e === 'object' && 'masquerade' in e)) nat = true;
    if (rule.chain !== 'prerouting') continue;
    let proto: 'tcp' | 'udp' | undefined;
    let port: number | undefined;
    let to: { addr: string; port: number } | undefined;
    for (const e of expr as Record<string, unknown>[]) {
      const m = e['match'] as { left?: { payload?: { protocol?: string; field?: string } }; right?: unknown } | undefined;
      const pl = m?.left?.payload;
      if (pl && (pl.protocol === 'tcp' || pl.protocol === 'udp') && pl.field === 'dport' && typeof m.right === 'number') {
        proto = pl.protocol;
        port = m.right;
      }
      const d = e['dnat'] as { addr?: unknown; port?: unknown } | undefined;
      if (d && typeof d.addr === 'string' && typeof d.port === 'number') to = { addr: d.addr, port: d.port };
    }
    if (proto && port !== undefined && to) published.push({ proto, port, to: to.addr, toPort: to.port });
  }
  return { nat, published };
}
