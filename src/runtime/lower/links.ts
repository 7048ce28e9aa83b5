/** Namespaces, links, addresses, routes and sysctls: their statements as operations. */
import type * as A from '../../syntax/ast.js';
import { usage } from '../../syntax/usage.js';
import * as V from '../../syntax/values.js';
import { show } from '../../syntax/values.js';
import type { Op } from '../../backend/ops.js';
import { fail } from '../roles.js';
import { shapingValues } from '../statement-values.js';
import type { LowerContext } from './context.js';
import { attachVlans } from './edge.js';

export type LinkStatement = A.NsStmt | A.DelStmt | A.VethStmt | A.BridgeStmt | A.AttachStmt | A.AddrStmt | A.LinkStateStmt
  | A.MoveStmt | A.RouteStmt | A.ForwardStmt | A.SysctlStmt;

export function lowerLinks(s: LinkStatement, c: LowerContext): Op[] {
  const { roles: r, scope } = c;
  const span = s.span;
  switch (s.kind) {
    case 'ns': {
      const names = s.names.map(w => r.nsName(w, scope, false));
      const hostname = s.hostname && r.value(s.hostname, scope, V.checkHostname);
      const machine = s.machine && r.value(s.machine, scope, t => V.checkMachineName(t, { allowLocal: true }));
      const on = machine === undefined ? {} : { machine, machineSpan: s.machine!.span };
      unique(names, s.names, 'namespace');
      names.forEach((name, i) => {
        if (c.lab.has(name)) fail(`namespace ${show(name)} already exists in this lab`, s.names[i]!.span, `delete it first with del ${name}`);
      });
      return names.map(name => ({ kind: 'ns-add', span, name, ...(hostname === undefined ? {} : { hostname }), ...on }));
    }
    case 'del':
      return s.targets.map((w): Op => {
        const text = r.expand(w, scope);
        if (text === 'host') fail('the host namespace cannot be deleted', w.span);
        return text.includes('.') ? { kind: 'link-del', span, ep: r.endpoint(w, scope) } : { kind: 'ns-del', span, name: r.nsName(w, scope, false) };
      });
    case 'veth':
      return [veth(s, c)];
    case 'bridge': {
      const br = r.endpoint(s.bridge, scope);
      const ports = s.ports.map(w => {
        const ifname = r.value(w, scope, t => {
          const dot = t.indexOf('.');
          const ns = t.slice(0, dot);
          if (dot > 0 && ns !== br.ns && c.lab.has(ns)) {
            return { problem: `${t} is in namespace ${show(ns)} but the bridge is in ${show(br.ns)}`, hint: `a bridge takes ports of its own namespace; move the link first: move ${t} -> ${br.ns}` };
          }
          return V.checkIfName(t.startsWith(`${br.ns}.`) ? t.slice(br.ns.length + 1) : t);
        });
        return { ns: br.ns, ifname, span: w.span };
      });
      return [{ kind: 'bridge', span, br, ports, ...(s.vlanFiltering ? { vlanFiltering: true } : {}) }];
    }
    case 'attach': {
      const ports = s.ports.map(w => r.endpoint(w, scope));
      const br = r.endpoint(s.bridge, scope);
      ports.forEach((p, i) => {
        if (p.ns === br.ns && p.ifname === br.ifname) fail('a bridge cannot be a port of itself', s.ports[i]!.span);
        if (p.ns !== br.ns) {
          fail(
            `${p.ns}.${p.ifname} is in namespace ${show(p.ns)} but the bridge ${br.ns}.${br.ifname} is in ${show(br.ns)}`,
            s.ports[i]!.span,
            `a bridge takes ports of its own namespace; move the link first: move ${p.ns}.${p.ifname} -> ${br.ns}`,
          );
        }
      });
      return [{ kind: 'attach', span, ports, br, ...(s.vlans ? { vlans: attachVlans(s.vlans, c) } : {}) }];
    }
    case 'addr':
      return [{ kind: 'addr', span, ep: r.endpoint(s.endpoint, scope), addrs: s.addrs.map(w => r.cidr(w, scope)), del: s.del }];
    case 'link-state':
      return [{ kind: 'link-state', span, eps: s.endpoints.flatMap(w => r.endpoints(w, scope)), up: s.up }];
    case 'move': {
      const ep = r.endpoint(s.endpoint, scope);
      const to = r.nsRef(s.to, scope);
      const newName = s.newName && r.value(s.newName, scope, V.checkIfName);
      if (to.kind === 'name' && to.name === ep.ns) fail(`${ep.ns}.${ep.ifname} is already in ${show(ep.ns)}`, s.to.span);
      return [{ kind: 'move', span, ep, to, ...(newName === undefined ? {} : { newName }) }];
    }
    case 'route':
      return [route(s, c)];
    case 'forward': {
      const settings = [{ key: 'net.ipv4.ip_forward', value: '1' }, { key: 'net.ipv6.conf.all.forwarding', value: '1' }];
      return s.namespaces.map(w => ({ kind: 'sysctl', span, ns: r.nsName(w, scope), settings }));
    }
    case 'sysctl': {
      const ns = r.nsName(s.ns, scope);
      return s.settings.map(w => ({ kind: 'sysctl', span, ns, settings: [r.value(w, scope, V.checkSysctl)] }));
    }
  }
}

function unique(values: readonly string[], words: readonly A.Word[], what: string): void {
  values.forEach((v, i) => {
    if (values.indexOf(v) !== i) fail(`${what} ${show(v)} is named twice`, words[i]!.span);
  });
}

function veth(s: A.VethStmt, { roles: r, scope }: LowerContext): Op {
  const left = r.endpoint(s.left, scope);
  const right = r.endpoint(s.right, scope);
  if (left.ns === right.ns && left.ifname === right.ifname) {
    fail(`both ends of the veth pair are ${left.ns}.${left.ifname}`, s.right.span, 'name the two ends differently');
  }
  let leftAddrs = s.leftAddrs.map(w => r.cidr(w, scope));
  let rightAddrs = s.rightAddrs.map(w => r.cidr(w, scope));
  if (leftAddrs.length === 0 && rightAddrs.length === 1) {
    const w = s.rightAddrs[0]!;
    const pair = r.checked(w, V.cidrText(rightAddrs[0]!), () => V.shorthandPair(rightAddrs[0]!));
    leftAddrs = [pair[0]];
    rightAddrs = [pair[1]];
  }
  const mtu = s.mtu && r.value(s.mtu, scope, t => V.checkInt(t, 'mtu', 68, 65535));
  const shape = s.shape && shapingValues(s.shape, (w, check) => r.value(w, scope, check));
  return { kind: 'veth', span: s.span, left, right, leftAddrs, rightAddrs, ...(mtu === undefined ? {} : { mtu }), ...(shape === undefined ? {} : { shape }) };
}

function route(s: A.RouteStmt, { roles: r, scope }: LowerContext): Op {
  const ns = r.nsName(s.ns, scope);
  const dest = r.value(s.dest, scope, V.checkDestination);
  const via = s.via && r.value(s.via, scope, V.checkIp);
  const dev = s.dev && r.value(s.dev, scope, V.checkIfName);
  if (!s.del && !via && !dev) {
    fail('route needs a gateway (via IP) or an interface (dev IF)', s.span, `usage: ${usage.routeStmt}`);
  }
  const family = dest === 'default' ? (via?.family ?? 4) : dest.family;
  if (via && via.family !== family) {
    fail(`gateway ${via.address} is IPv${via.family} but the destination is IPv${family}`, s.via!.span);
  }
  return {
    kind: 'route',
    span: s.span,
    ns,
    del: s.del,
    dest,
    family,
    ...(via ? { via: via.address, viaSpan: s.via!.span } : {}),
    ...(dev ? { dev } : {}),
  };
}
