/** What the dry run's model (model.ts) knows across machines: what would certainly fail there, and endpoints on another machine's root namespace. */
import type { Endpoint } from '../../core/lab.js';
import { endpointMachine, endpointsOf, LOCAL } from '../../core/machines.js';
import type { Span } from '../../core/span.js';
import { OpError } from '../backend.js';
import type { Op } from '../ops.js';
import { q, type ModelState } from './model-state.js';

/** What would certainly fail across machines: an undeclared machine, a link that would have to change machine. */
export function acrossMachines(m: ModelState, op: Op): void {
  const named = (name: string, at: Span | undefined) => {
    if (name === LOCAL || m.machines.has(name)) return;
    throw new OpError(`machine ${q(name)} is not declared`, { at, hint: `declare it first: machine ${name} ssh [USER@]HOST` });
  };
  for (const ep of endpointsNamed(op)) named(ep.ns.slice(5), ep.span);
  switch (op.kind) {
    case 'machine': {
      const before = m.machines.get(op.name);
      if (before) throw new OpError(`machine ${q(op.name)} is declared twice`, { hint: `first at line ${before.span.line}` });
      return;
    }
    case 'ns-add':
      if (op.machine !== undefined) named(op.machine, op.machineSpan);
      return;
    case 'move': {
      const from = m.machineOf(op.ep.ns);
      const to = op.to.kind === 'name' ? m.machineOf(op.to.name) : LOCAL;
      if (from !== to) {
        throw new OpError(`a link cannot move to another machine: ${op.ep.ns}.${op.ep.ifname} is on ${from}, the namespace it would go to on ${to}`, {
          hint: 'make the link where it is needed (a veth between namespaces of two machines is a tunnel)',
        });
      }
      return;
    }
    case 'macvlan': {
      const parent = m.machineOf(op.parent.ns);
      const target = m.machineOf(op.target.ns);
      if (parent !== target) {
        throw new OpError(`a macvlan stays on its parent's machine: ${op.parent.ns}.${op.parent.ifname} is on ${parent}, namespace ${q(op.target.ns)} on ${target}`, {
          at: op.parent.span,
          hint: `put the namespace on ${parent} (ns ${op.target.ns} on ${parent})`,
        });
      }
      return;
    }
    case 'same': {
      if (op.a.kind !== 'name' || op.b.kind !== 'name') return;
      const [a, b] = [m.machineOf(op.a.name), m.machineOf(op.b.name)];
      if (a !== b) throw new OpError(`${op.a.name} is on ${a} and ${op.b.name} on ${b}: never the same namespace`);
      return;
    }
  }
}


/** The endpoints of an operation that name another machine's root namespace (`host@M.IF`), as the model keys it. */
function endpointsNamed(op: Op): Endpoint[] {
  return endpointsOf(op).filter(ep => ep.ns.startsWith('host@'));
}

/** The operation with each endpoint `host@M.IF` of another machine as one of the namespace `host@M`. */
export function onMachines(op: Op): Op {
  if (!endpointsOf(op).some(ep => endpointMachine(ep) !== undefined)) return op;
  const moved = (v: unknown): unknown => {
    const ep = v as Endpoint;
    const m = typeof v === 'object' && v !== null && typeof ep.ns === 'string' && typeof ep.ifname === 'string' ? endpointMachine(ep) : undefined;
    return m === undefined ? v : { ...ep, ns: `host@${m}` };
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(op)) out[k] = Array.isArray(v) ? v.map(moved) : moved(v);
  return out as unknown as Op;
}
