/**
 * Lowering: a statement's words, checked in their roles, become the operations a backend carries
 * out (backend/ops.ts). Nothing here acts; the interpreter hands the operations over in order.
 */
import type * as A from '../../syntax/ast.js';
import type { Op } from '../../backend/ops.js';
import type { LowerContext } from './context.js';
import { lowerEdge, type EdgeStatement } from './edge.js';
import { lowerLinks, type LinkStatement } from './links.js';
import { lowerMachines, type MachineStatement } from './machines.js';
import { lowerMeasure, type MeasureStatement } from './measure.js';
import { lowerPrograms, type ProgramStatement } from './programs.js';

/** The statements that act on the lab (the others are the interpreter's own: loops, defs, `!` …). */
export type Lowered = LinkStatement | ProgramStatement | MeasureStatement | EdgeStatement | MachineStatement;

export function lower(s: Lowered, c: LowerContext): Op[] {
  switch (s.kind) {
    case 'ns': case 'del': case 'veth': case 'bridge': case 'attach': case 'addr': case 'link-state': case 'move':
    case 'route': case 'forward': case 'sysctl':
      return lowerLinks(s, c);
    case 'in': case 'pingall': case 'show': case 'info': case 'same': case 'pin': case 'spawn': case 'echo': case 'sleep':
    case 'jobs': case 'wait': case 'kill':
      return lowerPrograms(s, c);
    case 'machine': case 'vxlan':
      return lowerMachines(s, c);
    case 'shape': case 'capture': case 'await':
      return lowerMeasure(s, c);
    case 'vlan': case 'macvlan': case 'nat': case 'publish':
      return lowerEdge(s, c);
    default: {
      const never: never = s;
      throw new Error(`cannot lower ${(never as A.Statement).kind}`);
    }
  }
}

export type { LowerContext };
