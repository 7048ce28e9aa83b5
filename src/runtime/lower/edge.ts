/**
 * VLANs, macvlans, NAT and published ports: the statements that tag a lab's links and join it to
 * what is outside, as operations.
 */
import type * as A from '../../syntax/ast.js';
import { labTable } from '../../core/lab.js';
import type { Op, PortVlans } from '../../backend/ops.js';
import { macvlanValues, natValues, portVlanValues, publishValues, vlanValues, type CheckWord } from '../statement-values.js';
import type { LowerContext } from './context.js';

export type EdgeStatement = A.VlanStmt | A.MacvlanStmt | A.NatStmt | A.PublishStmt;

/** The table's name when no lab is named (a dry run of text): it is never made. */
const UNNAMED = 'lab';

export function lowerEdge(s: EdgeStatement, c: LowerContext): Op[] {
  const value = checker(c);
  const span = s.span;
  const table = labTable(c.labName ?? UNNAMED);
  switch (s.kind) {
    case 'vlan': {
      const v = vlanValues(s, value);
      const parent = { ns: v.endpoint.ns, ifname: v.endpoint.ifname, span: s.endpoint.span };
      const link = { ns: v.endpoint.ns, ifname: v.name, span: (s.name ?? s.id).span };
      return [{ kind: 'vlan', span, parent, id: v.id, link, addrs: v.addrs }];
    }
    case 'macvlan': {
      const v = macvlanValues(s, value);
      // another machine's NIC (host@M.IF): the dry run checks that the target is on that machine
      const parent = { ns: v.parent.ns, ifname: v.parent.ifname, span: s.parent.span, ...(v.parent.machine === undefined ? {} : { machine: v.parent.machine }) };
      const target = { ns: v.endpoint.ns, ifname: v.endpoint.ifname, span: s.endpoint.span };
      return [{ kind: 'macvlan', span, parent, target, mode: v.mode, addrs: v.addrs }];
    }
    case 'nat': {
      const { ns } = natValues(s, value);
      return [{ kind: 'nat', span, ns, table, lan: c.lab.has(ns) ? 'all' : c.labLinks?.(ns) ?? [] }];
    }
    case 'publish': {
      const p = publishValues(s, value);
      return [{ kind: 'publish', span, ns: p.ns, table, proto: p.protocol, port: p.port, to: p.target }];
    }
  }
}

/** The VLANs of `attach … vlan …`. */
export function attachVlans(v: A.PortVlans, c: LowerContext): PortVlans {
  return portVlanValues(v, checker(c));
}

function checker({ roles, scope }: LowerContext): CheckWord {
  return (w, check) => roles.value(w, scope, check);
}
