/**
 * Machines of a lab across machines, as every layer names them: `local` is the machine that runs
 * the script; an endpoint `host@M.IF` is in machine M's root namespace; any other endpoint is on
 * its namespace's machine.
 */
import type { Endpoint } from './lab.js';

/** The machine that runs the script. */
export const LOCAL = 'local';

/** The UDP port of VXLAN (IANA's; the kernel's own default is 8472). */
export const VXLAN_PORT = 4789;

/** The MTU of a link across machines unless the veth gives one: 1500 less VXLAN's 50 bytes over IPv4. */
export const TUNNEL_MTU = 1450;

/** The machine of an endpoint that names one (`host@M.IF`), undefined for `local` and for none. */
export function endpointMachine(ep: Endpoint): string | undefined {
  return ep.machine === undefined || ep.machine === LOCAL ? undefined : ep.machine;
}

/**
 * The endpoints an operation names, wherever it holds them (a field, or a list): a generic walk,
 * so that an operation added later is seen too.
 */
export function endpointsOf(op: object): Endpoint[] {
  // (indexed loops, no closure: every operation of a lab passes here, mostly in code not yet optimised)
  const out: Endpoint[] = [];
  const fields = op as Record<string, unknown>;
  for (const k in fields) {
    const v = fields[k];
    if (isEndpoint(v)) out.push(v);
    else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) if (isEndpoint(v[i])) out.push(v[i] as Endpoint);
  }
  return out;
}

function isEndpoint(v: unknown): v is Endpoint {
  return typeof v === 'object' && v !== null && typeof (v as Endpoint).ns === 'string' && typeof (v as Endpoint).ifname === 'string';
}

/** The first other machine an operation names (`ns … on M`, `host@M.IF`): a backend of one machine refuses it. */
export function otherMachineOf(op: { readonly kind: string; readonly machine?: string }): string | undefined {
  if (op.kind === 'ns-add' && op.machine !== undefined && op.machine !== LOCAL) return op.machine;
  for (const ep of endpointsOf(op)) {
    const m = endpointMachine(ep);
    if (m !== undefined) return m;
  }
  return undefined;
}
