/**
 * The typed values of the words of shape, capture, await, vlan, macvlan, nat, publish and machine
 * (and of veth's shaping options and attach's VLANs), each word expanded and checked in its role
 * by the caller's `value` (the interpreter's: a problem becomes a diagnostic under the word).
 * Literal words were checked already when the script was parsed; a word with variables is checked
 * here, after expansion.
 */
import type { Shaping } from '../core/shape.js';
import type * as A from '../syntax/ast.js';
import { SHAPE_OPTIONS } from '../syntax/statement-spec.js';
import { statementSpec } from '../syntax/statements.js';
import * as V from '../syntax/values.js';

/** Expands a word and checks it: the typed value, or a thrown diagnostic under the word. */
export type CheckWord = <T>(w: A.Word, check: (text: string) => T | V.Problem) => T;

/** The shaping of an interface (core/shape.ts): times in seconds, shares in percent, the rate in bit/s, the limit in packets. */
export type ShapingValues = Shaping;

function option(statement: string, word: string): V.OptionValueSpec {
  return [...(statementSpec(statement)?.options ?? []), ...SHAPE_OPTIONS].find(o => o.word === word)!;
}

/** An option's value by its kind in the registry: `number` for TIME (seconds), PCT, RATE, N, PORT. */
function number(statement: string, word: string, w: A.Word, value: CheckWord): number {
  const spec = option(statement, word);
  return value(w, t => {
    const r = V.checkOptionValue(spec, t);
    return typeof r === 'string' ? { problem: `${word} ${V.show(t)} is not a number` } : r;
  });
}

export function shapingValues(o: A.ShapeOptions, value: CheckWord): ShapingValues {
  const out: Record<string, number> = {};
  for (const [name, node] of Object.entries(o) as [A.ShapeOptionName, A.OptionNode | undefined][]) {
    if (node) out[name] = number('shape', name, node.value, value);
  }
  return out;
}

const endpoint = (allowStar: boolean) => (t: string) => V.checkEndpoint(t, { allowStar });

export interface ShapeValues {
  readonly endpoints: readonly V.EndpointValue[];
  /** undefined: `off`. */
  readonly shaping: ShapingValues | undefined;
}

export function shapeValues(s: A.ShapeStmt, value: CheckWord): ShapeValues {
  const endpoints = s.endpoints.map(w => value(w, endpoint(true)));
  return { endpoints, shaping: s.shaping.kind === 'off' ? undefined : shapingValues(s.shaping.options, value) };
}

export interface CaptureValues {
  readonly endpoint: V.EndpointValue;
  readonly file?: string;
  readonly count?: number;
  /** seconds */
  readonly duration?: number;
  readonly background: boolean;
}

export function captureValues(s: A.CaptureStmt, value: CheckWord): CaptureValues {
  return {
    endpoint: value(s.endpoint, endpoint(false)),
    ...(s.file ? { file: value(s.file, V.checkPath) } : {}),
    ...(s.count ? { count: number('capture', 'count', s.count, value) } : {}),
    ...(s.duration ? { duration: number('capture', 'for', s.duration, value) } : {}),
    background: s.background,
  };
}

/** The default of `await … timeout`, in seconds. */
export const AWAIT_TIMEOUT = 10;

export interface AwaitValues {
  readonly target:
    | { readonly kind: 'listen'; readonly protocol: 'tcp' | 'udp'; readonly port: number }
    | { readonly kind: 'reach'; readonly family: 4 | 6; readonly address: string };
  /** seconds */
  readonly timeout: number;
}

/** The namespace (s.ref) is the interpreter's to resolve, as for `in`. */
export function awaitValues(s: A.AwaitStmt, value: CheckWord): AwaitValues {
  const t = s.target;
  const target =
    t.kind === 'listen'
      ? { kind: 'listen' as const, protocol: t.protocol, port: value(t.port, V.checkPort) }
      : { kind: 'reach' as const, ...value(t.address, V.checkIp) };
  return { target, timeout: s.timeout ? number('await', 'timeout', s.timeout, value) : AWAIT_TIMEOUT };
}

export interface VlanValues {
  readonly endpoint: V.EndpointValue;
  readonly id: number;
  /** `as NAME`, or IF.ID. */
  readonly name: string;
  readonly addrs: readonly V.Cidr[];
}

export function vlanValues(s: A.VlanStmt, value: CheckWord): VlanValues {
  const ep = value(s.endpoint, endpoint(false));
  const id = value(s.id, V.checkVlanId);
  const name = s.name
    ? value(s.name, V.checkIfName)
    : value(s.id, (): string | V.Problem => {
        const n = V.checkIfName(`${ep.ifname}.${id}`);
        return V.isProblem(n) ? { problem: `the VLAN's name ${n.problem.replace(/^interface name /, '')}`, hint: 'name it with as NAME' } : n;
      });
  return { endpoint: ep, id, name, addrs: s.addrs.map(w => value(w, t => V.checkCidr(t))) };
}

export type PortVlanValues = { readonly kind: 'access'; readonly id: number } | { readonly kind: 'trunk'; readonly ids: readonly number[] };

export function portVlanValues(v: A.PortVlans, value: CheckWord): PortVlanValues {
  return v.kind === 'access' ? { kind: 'access', id: value(v.id, V.checkVlanId) } : { kind: 'trunk', ids: value(v.ids, V.checkVlanList) };
}

export interface MacvlanValues {
  /** May be another machine's host interface (`machine` set). */
  readonly parent: V.EndpointValue;
  readonly endpoint: V.EndpointValue;
  readonly mode: V.MacvlanMode;
  readonly addrs: readonly V.Cidr[];
}

export function macvlanValues(s: A.MacvlanStmt, value: CheckWord): MacvlanValues {
  return {
    parent: value(s.parent, t => V.checkEndpoint(t, { allowStar: false, allowMachine: true })),
    endpoint: value(s.endpoint, endpoint(false)),
    mode: s.mode ? value(s.mode, V.checkMacvlanMode) : 'bridge',
    addrs: s.addrs.map(w => value(w, t => V.checkCidr(t))),
  };
}

export function natValues(s: A.NatStmt, value: CheckWord): { readonly ns: string } {
  return { ns: value(s.ns, t => V.checkNsName(t, { allowHost: true })) };
}

export interface PublishValues {
  readonly ns: string;
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  /** The target's port is the published one unless written. */
  readonly target: Required<V.PublishTarget>;
}

export function publishValues(s: A.PublishStmt, value: CheckWord): PublishValues {
  const ns = value(s.ns, t => V.checkNsName(t, { allowHost: true }));
  const port = value(s.port, V.checkPort);
  const target = value(s.target, V.checkPublishTarget);
  return { ns, protocol: s.protocol, port, target: { ...target, port: target.port ?? port } };
}

/** The default ssh port. */
export const SSH_PORT = 22;

export interface MachineValues extends V.SshTarget {
  readonly name: string;
  readonly port: number;
}

export function machineValues(s: A.MachineStmt, value: CheckWord): MachineValues {
  return {
    name: value(s.name, t => V.checkMachineName(t)),
    ...value(s.target, V.checkSshTarget),
    port: s.port ? value(s.port, V.checkPort) : SSH_PORT,
  };
}
