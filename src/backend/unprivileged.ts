/**
 * The REPL's backend without root: echo, sleep and `!` work; every operation that would touch
 * the kernel fails with one sentence that says what it needs.
 */
import { failsWithOpError, OpError, plainText, type Backend } from './backend.js';
import { dispatch, type Handlers, type OpKind, type OpOf, type ResultOf } from './ops.js';

const NEEDS_ROOT = 'this statement touches the kernel, which needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN)';
const HINT = 'restart nsh with sudo, or with --rootless';

function refuse(): Promise<never> {
  return Promise.reject(new OpError(NEEDS_ROOT, { hint: HINT }));
}

export class UnprivilegedBackend implements Backend {
  constructor(private readonly out: NodeJS.WritableStream) {}

  private readonly handlers: Handlers = {
    'ns-add': refuse, 'ns-del': refuse, 'link-del': refuse, veth: refuse, bridge: refuse, attach: refuse, addr: refuse,
    'link-state': refuse, move: refuse, route: refuse, sysctl: refuse, exec: refuse, ping: refuse, nc: refuse,
    vlan: refuse, macvlan: refuse, nat: refuse, publish: refuse, pingall: refuse, show: refuse, info: refuse, same: refuse, pin: refuse, spawn: refuse, wait: refuse, kill: refuse,
    capture: refuse, await: refuse, shape: refuse, vxlan: refuse, machine: refuse,
    jobs: async () => {},
    print: async ({ text }) => void this.out.write(`${plainText(text)}\n`),
    sleep: ({ seconds }) => new Promise(r => setTimeout(r, seconds * 1000)),
  };

  apply<K extends OpKind>(op: OpOf<K>): Promise<ResultOf<K>> {
    return dispatch(this.handlers, op);
  }

  /** A failure to touch the kernel is a failure, as on the kernel. */
  expectFailure = failsWithOpError;
}
