/** Labs across machines: `machine` and `vxlan` as operations. */
import type * as A from '../../syntax/ast.js';
import * as V from '../../syntax/values.js';
import { VXLAN_PORT } from '../../core/machines.js';
import type { Op } from '../../backend/ops.js';
import { fail } from '../roles.js';
import { machineValues } from '../statement-values.js';
import type { LowerContext } from './context.js';

export type MachineStatement = A.MachineStmt | A.VxlanStmt;

export function lowerMachines(s: MachineStatement, c: LowerContext): Op[] {
  const { roles: r, scope } = c;
  const span = s.span;
  switch (s.kind) {
    case 'machine': {
      const m = machineValues(s, (w, check) => r.value(w, scope, check));
      return [{ kind: 'machine', span, name: m.name, host: m.host, port: m.port, ...(m.user === undefined ? {} : { user: m.user }) }];
    }
    case 'vxlan': {
      const ep = r.endpoint(s.endpoint, scope);
      const vni = r.value(s.vni, scope, V.checkVni);
      const remote = r.value(s.remote, scope, V.checkIp);
      const local = s.local && r.value(s.local, scope, V.checkIp);
      if (local && local.family !== remote.family) {
        fail(`local ${local.address} is IPv${local.family} but the remote ${remote.address} is IPv${remote.family}`, s.local!.span);
      }
      const port = s.port ? r.value(s.port, scope, V.checkPort) : VXLAN_PORT;
      const mtu = s.mtu && r.value(s.mtu, scope, t => V.checkInt(t, 'mtu', 68, 65535));
      return [{
        kind: 'vxlan',
        span,
        ep,
        vni,
        remote,
        port,
        addrs: s.addrs.map(w => r.cidr(w, scope)),
        ...(local ? { local: local.address } : {}),
        ...(mtu === undefined ? {} : { mtu }),
      }];
    }
  }
}
