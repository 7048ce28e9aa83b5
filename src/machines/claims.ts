/**
 * The tunnels of a lab across machines, made before anything is built: on each machine, for each
 * end, a VXLAN device in its root namespace under a staging name (the build moves it into its
 * namespace). A machine that refuses the VNI as taken (another lab, another coordinator: they share
 * nothing) has the tunnel made again on both machines under another VNI.
 */
import { VXLAN_PORT } from '../core/machines.js';
import type { Tunnel, TunnelEnd } from './plan.js';
import type { StatementResult } from './protocol.js';
import { StepFailed, type Session } from './session.js';
import { word } from './text.js';

/** How many VNIs are drawn for one tunnel before giving up. */
const DRAWS = 8;

/** The statement that makes one end of a tunnel, to the other machine's address as this one reaches it. */
export function claimText(t: Tunnel, end: TunnelEnd, remote: string): string {
  return `vxlan host.${word(end.staging)} ${t.vni} remote ${remote} port ${VXLAN_PORT} mtu ${t.mtu}`;
}

export interface ClaimOptions {
  /** The address of machine `to` as machine `from` reaches it. */
  readonly address: (from: string, to: string) => string;
  /** A new VNI for a tunnel whose VNI was refused. */
  readonly redraw: (t: Tunnel) => number;
  /** A tunnel's VNI changed (the journal's record follows). */
  readonly drawn: (t: Tunnel, old: number) => void;
}

export async function claimTunnels(session: Session, tunnels: readonly Tunnel[], o: ClaimOptions): Promise<void> {
  let todo = [...tunnels];
  for (let round = 0; round < DRAWS && todo.length > 0; round++) {
    // each machine its ends, all at once; every statement answered
    const byMachine = new Map<string, { t: Tunnel; end: TunnelEnd }[]>();
    for (const t of todo) for (const end of t.ends) byMachine.set(end.machine, [...(byMachine.get(end.machine) ?? []), { t, end }]);
    const results = new Map<TunnelEnd, StatementResult>();
    await Promise.all(
      [...byMachine].map(async ([m, list]) => {
        const texts = list.map(({ t, end }) => claimText(t, end, o.address(m, t.ends.find(e => e !== end)!.machine)));
        const a = await session.each(m, texts);
        list.forEach(({ end }, i) => results.set(end, a.results?.[i] ?? { ok: false, error: a.error ?? { message: 'no answer' } }));
      }),
    );
    const again: Tunnel[] = [];
    const undo = new Map<string, string[]>();
    for (const t of todo) {
      const failed = t.ends.filter(e => !results.get(e)?.ok);
      if (failed.length === 0) continue;
      const other = failed.find(e => results.get(e)?.error?.reason !== 'vni-taken');
      if (other) throw new StepFailed(other.machine, results.get(other)!.error!, t.span);
      again.push(t);
      for (const e of t.ends) if (results.get(e)?.ok) undo.set(e.machine, [...(undo.get(e.machine) ?? []), `del host.${word(e.staging)}`]);
    }
    await Promise.all([...undo].map(([m, texts]) => session.each(m, texts)));
    for (const t of again) {
      const old = t.vni;
      t.vni = o.redraw(t);
      o.drawn(t, old);
    }
    todo = again;
  }
  if (todo.length > 0) {
    const t = todo[0]!;
    throw new StepFailed(t.ends[0].machine, { message: `no VNI was free for the tunnel ${t.link} after ${DRAWS} draws`, hint: 'the machines hold many VXLAN devices' }, t.span);
  }
}
