/**
 * pingall's report: a reachability matrix of the namespaces that took part, and the failure it
 * means, drawn from the pings' results, wherever they ran (one machine, or several).
 */
import pc from 'picocolors';

export interface PingResult {
  readonly from: string;
  /** The namespace pinged, and which of its addresses. */
  readonly to: string;
  readonly address: string;
  readonly ok: boolean;
}

/**
 * One cell per pair of namespaces: ok when every address of the peer answered; otherwise the
 * addresses that did not (all of them: FAIL). The failure names the first pairs without reply.
 */
export function pingallMatrix(members: readonly string[], results: readonly PingResult[], color: boolean): { text: string; failure?: string } {
  const c = pc.createColors(color);
  const failedTo = (from: string, to: string) => results.filter(r => r.from === from && r.to === to && !r.ok).map(r => r.address);
  const cells = members.flatMap(from => members.filter(to => to !== from).map(to => ({ from, to, failed: failedTo(from, to) })));
  const text = (cell: { from: string; to: string; failed: string[] }) => {
    const all = results.filter(r => r.from === cell.from && r.to === cell.to).length;
    return cell.failed.length === 0 ? 'ok' : cell.failed.length === all ? 'FAIL' : `${cell.failed.join(' ')} FAIL`;
  };
  const cellOf = (from: string, to: string) => cells.find(x => x.from === from && x.to === to)!;
  const w = Math.max(4, ...members.map(m => m.length), ...cells.map(x => text(x).length)) + 2;
  const lines = [' '.repeat(w) + members.map(m => m.padEnd(w)).join('')];
  for (const from of members) {
    const row = members.map(to => {
      if (to === from) return c.dim('-'.padEnd(w));
      const cell = cellOf(from, to);
      const t = text(cell).padEnd(w);
      return cell.failed.length === 0 ? c.green(t) : t.startsWith('FAIL') ? c.red(t) : c.yellow(t);
    });
    lines.push(from.padEnd(w) + row.join(''));
  }
  const bad = cells.filter(x => x.failed.length > 0);
  lines.push(`${cells.length - bad.length}/${cells.length} reachable`);
  if (bad.length === 0) return { text: lines.join('\n') };
  const list = bad.slice(0, 5).map(x => `${x.from} -> ${x.to} (${x.failed.join(', ')})`).join(', ');
  return { text: lines.join('\n'), failure: `${bad.length} of ${cells.length} pairs got no reply: ${list}${bad.length > 5 ? ', …' : ''}` };
}
