/** nat and publish as nft commands (the rules of nat-rules.ts as text), and the links that join the lab's set later. */
import { FORWARDING, lanAddCommand, lanDeleteCommand, natCommands, nftText, publishCommands, type NftCommand } from '../nat-rules.js';
import type { Handlers } from '../ops.js';
import type { ExplainContext } from './context.js';
import { q } from './shell.js';

/**
 * nft commands run in a namespace: `nft -f -` reading a here-document; under `!`, where the
 * commands are joined by `&&`, the same lines through printf (a here-document cannot be followed
 * by `&&` on its closing line).
 */
function nft(x: ExplainContext, ns: string, cmds: readonly NftCommand[]): void {
  if (x.capture) x.emit(`printf '%s\\n' ${cmds.map(c => q(c.text)).join(' ')} | ${x.enter(ns)}nft -f -`);
  else x.emit(`${x.enter(ns)}nft -f - <<'EOF'\n${nftText(cmds)}\nEOF`);
}

function forward(x: ExplainContext, ns: string, families: readonly (4 | 6)[]): void {
  x.emit(`${x.enter(ns)}sysctl -qw ${families.map(f => `${FORWARDING[f]}=1`).join(' ')}`);
}

export function natHandlers(x: ExplainContext): Pick<Handlers, 'nat' | 'publish'> {
  return {
    nat: async ({ ns, table, lan }) => {
      const links = lan === 'all' ? x.model.linkNames(ns).filter(n => n !== 'lo') : [...lan];
      forward(x, ns, [4, 6]);
      nft(x, ns, natCommands(table, links));
      x.nat.set(ns, { table, lan: new Set(links) });
      return undefined;
    },
    publish: async p => {
      forward(x, p.ns, [p.to.family]);
      nft(x, p.ns, publishCommands(p.table, p));
      return undefined;
    },
  };
}

/** Links made (or moved) in a namespace with NAT join the lab's set there, as the Linux backend adds them. */
export function lanJoin(x: ExplainContext, where: string, names: readonly string[]): void {
  const n = x.nat.get(where);
  const fresh = names.filter(name => !n?.lan.has(name));
  if (!n || fresh.length === 0) return;
  for (const name of fresh) n.lan.add(name);
  x.emit(`${x.enter(where)}nft ${q(lanAddCommand(n.table, fresh).text)}`);
}

/** Links that leave it (deleted, moved away) leave the set. */
export function lanLeave(x: ExplainContext, where: string, names: readonly string[]): void {
  const n = x.nat.get(where);
  const held = names.filter(name => n?.lan.has(name));
  if (!n || held.length === 0) return;
  for (const name of held) n.lan.delete(name);
  x.emit(`${x.enter(where)}nft ${q(lanDeleteCommand(n.table, held).text)}`);
}
