/** `show`: the lab as a tree (namespaces, links with their peer, state, addresses), or one table, or JSON. */
import pc from 'picocolors';
import type { ShowLink, ShowNamespace, ShowOp } from '../backend.js';
import { AF_INET6, RT_SCOPE_LINK, type RtnlSocket } from './netlink/index.js';
import { dumpAddrs, dumpLinks, dumpRoutes } from './netlink/query.js';
import type { LinkInfo } from './netlink/decode.js';

/** A link as `--json` shows it, with what the kernel said of it (for the veth peers). */
interface LinkView extends ShowLink {
  /** Set once every namespace's links are known. */
  peer?: string;
  readonly info: LinkInfo;
}

interface NsView extends ShowNamespace {
  readonly links: LinkView[];
}

function collect(names: readonly string[], sock: (ns: string) => RtnlSocket): NsView[] {
  const views = names.map(name => {
    const s = sock(name);
    const links = dumpLinks(s);
    const addrs = dumpAddrs(s);
    const byIndex = new Map(links.map(l => [l.index, l.ifname]));
    const linkViews: LinkView[] = links.map(l => ({
      name: l.ifname,
      index: l.index,
      kind: l.kind ?? (l.ifname === 'lo' ? 'loopback' : 'device'),
      state: !l.up ? 'down' : l.lowerUp ? 'up' : 'no-carrier',
      ...(l.mtu === undefined ? {} : { mtu: l.mtu }),
      ...(l.master === undefined ? {} : { master: byIndex.get(l.master) ?? String(l.master) }),
      addresses: addrs
        .filter(a => a.index === l.index && !(a.family === AF_INET6 && a.scope === RT_SCOPE_LINK))
        .map(a => `${a.address}/${a.prefix}`),
      info: l,
    }));
    const routes = dumpRoutes(s).map(r => ({
      dest: r.dst === 'default' ? 'default' : `${r.dst}/${r.prefix}`,
      ...(r.gateway ? { via: r.gateway } : {}),
      ...(r.oif !== undefined ? { dev: byIndex.get(r.oif) ?? String(r.oif) } : {}),
    }));
    return { name, links: linkViews, routes };
  });
  // veth peers: two veths that name each other's ifindex, in different namespaces (or the same)
  const veths = views.flatMap(v => v.links.filter(l => l.kind === 'veth').map(l => ({ ns: v.name, l })));
  for (const a of veths) {
    const b = veths.find(
      x => x !== a && x.l.index === a.l.info.peerIfindex && x.l.info.peerIfindex === a.l.index &&
        (x.ns !== a.ns) === (a.l.info.linkNetnsId !== undefined),
    );
    if (b) a.l.peer = `${b.ns}.${b.l.name}`;
  }
  return views;
}

function namespaces(q: ShowOp): string[] {
  if (q.ns) return [q.ns];
  return ['host', ...q.lab.filter(n => n !== 'host')];
}

/** The namespaces `q` asks about, as read from the kernel. */
function shown(q: ShowOp, sock: (ns: string) => RtnlSocket): NsView[] {
  const all = collect(namespaces(q), sock);
  // the host's own devices are not the lab's: keep the host links a lab namespace is paired with
  if (q.ns) return all;
  return all.map(v => (v.name !== 'host' ? v : { ...v, links: v.links.filter(l => l.peer && !l.peer.startsWith('host.')) }));
}

/** What `show --json` prints, as a value. */
export function showJson(q: ShowOp, sock: (ns: string) => RtnlSocket): ShowNamespace[] {
  return shown(q, sock).map(v => ({
    name: v.name,
    links: v.links.map(({ info: _info, ...l }) => l),
    routes: v.routes,
  }));
}

export function renderShow(q: ShowOp, sock: (ns: string) => RtnlSocket, color: boolean): string {
  if (q.json) return JSON.stringify(showJson(q, sock), null, 2);
  const c = pc.createColors(color);
  const views = shown(q, sock);
  const state = (s: LinkView['state']) => (s === 'up' ? c.green('UP') : s === 'down' ? c.red('DOWN') : c.yellow('NO-CARRIER'));
  switch (q.what) {
    case 'tree':
      return views
        .map(v => {
          const lines = [c.bold(v.name)];
          v.links.forEach((l, i) => {
            const branch = i === v.links.length - 1 ? '└─' : '├─';
            const extra = [
              l.kind !== 'device' && l.kind !== 'loopback' ? c.dim(l.kind) : '',
              l.peer ? `<-> ${c.cyan(l.peer)}` : '',
              l.master ? `master ${l.master}` : '',
              l.addresses.join(' '),
            ].filter(Boolean);
            lines.push(`${branch} ${l.name.padEnd(10)} ${state(l.state)}${extra.length ? '  ' + extra.join('  ') : ''}`);
          });
          if (v.links.length === 0) lines.push(c.dim('   (no links)'));
          return lines.join('\n');
        })
        .join('\n');
    case 'links':
      return table(['NS', 'LINK', 'STATE', 'KIND', 'PEER', 'MASTER', 'MTU'], views.flatMap(v =>
        v.links.map(l => [v.name, l.name, l.state.toUpperCase(), l.kind, l.peer ?? '', l.master ?? '', String(l.mtu ?? '')]),
      ));
    case 'addrs':
      return table(['NS', 'LINK', 'ADDRESS'], views.flatMap(v => v.links.flatMap(l => l.addresses.map(a => [v.name, l.name, a]))));
    case 'routes':
      return table(['NS', 'DESTINATION', 'VIA', 'DEV'], views.flatMap(v => v.routes.map(r => [v.name, r.dest, r.via ?? '', r.dev ?? ''])));
  }
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)));
  const line = (r: string[]) => r.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
