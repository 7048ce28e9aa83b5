/**
 * The tunnels of a lab across machines, made in a step of their own (plan.ts) before the
 * statements built after them: on each machine, for each end, a VXLAN device made in its namespace
 * under the name written (its UDP socket in the machine's root namespace), addressed and up. A
 * machine that refuses the VNI as taken (another lab, another coordinator: they share nothing) has
 * the tunnel made again on both machines under another VNI.
 */
import { cidrText } from '../core/net.js';
import { VXLAN_PORT } from '../core/machines.js';
import type { Tunnel, TunnelAt, TunnelEnd } from './plan.js';
import type { StatementResult } from './protocol.js';
import { StepFailed, type Session } from './session.js';
import { endpoint } from './text.js';

/** How many VNIs are drawn for one tunnel before giving up. */
const DRAWS = 8;

/** The statement that makes one end of a tunnel, to the other machine's address as this one reaches it. */
export function claimText(t: Tunnel, end: TunnelEnd, remote: string): string {
  return [`vxlan ${endpoint(end)} ${t.vni} remote ${remote} port ${VXLAN_PORT} mtu ${t.mtu}`, ...end.addrs.map(cidrText)].join(' ');
}

export interface ClaimOptions {
  /** The address of machine `to` as machine `from` reaches it. */
  readonly address: (from: string, to: string) => string;
  /** A new VNI for a tunnel whose VNI was refused. */
  readonly redraw: (t: Tunnel) => number;
  /** A tunnel's VNI changed (the journal's record follows). */
  readonly drawn: (t: Tunnel, old: number) => void;
}

export async function claimTunnels(session: Session, tunnels: readonly TunnelAt[], o: ClaimOptions): Promise<void> {
  let todo = [...tunnels];
  for (let round = 0; round < DRAWS && todo.length > 0; round++) {
    // each machine its ends, all at once; every statement answered
    const byMachine = new Map<string, { t: Tunnel; end: TunnelEnd; other: TunnelEnd }[]>();
    for (const { tunnel: t, ends } of todo) {
      for (const [end, other] of [[ends[0], ends[1]], [ends[1], ends[0]]] as const) byMachine.set(end.machine, [...(byMachine.get(end.machine) ?? []), { t, end, other }]);
    }
    const results = new Map<TunnelEnd, StatementResult>();
    await Promise.all(
      [...byMachine].map(async ([m, list]) => {
        const texts = list.map(({ t, end, other }) => claimText(t, end, o.address(m, other.machine)));
        const a = await session.each(m, texts);
        list.forEach(({ end }, i) => results.set(end, a.results?.[i] ?? { ok: false, error: a.error ?? { message: 'no answer' } }));
      }),
    );
    const again: TunnelAt[] = [];
    const undo = new Map<string, string[]>();
    for (const at of todo) {
      const failed = at.ends.filter(e => !results.get(e)?.ok);
      if (failed.length === 0) continue;
      const other = failed.find(e => results.get(e)?.error?.reason !== 'vni-taken');
      if (other) throw new StepFailed(other.machine, results.get(other)!.error!, at.tunnel.span);
      again.push(at);
      for (const e of at.ends) if (results.get(e)?.ok) undo.set(e.machine, [...(undo.get(e.machine) ?? []), `del ${endpoint(e)}`]);
    }
    await Promise.all([...undo].map(([m, texts]) => session.each(m, texts)));
    for (const { tunnel: t } of again) {
      const old = t.vni;
      t.vni = o.redraw(t);
      o.drawn(t, old);
    }
    todo = again;
  }
  if (todo.length > 0) {
    const t = todo[0]!.tunnel;
    throw new StepFailed(todo[0]!.ends[0].machine, { message: `no VNI was free for the tunnel ${t.link} after ${DRAWS} draws`, hint: 'the machines hold many VXLAN devices' }, t.span);
  }
}
