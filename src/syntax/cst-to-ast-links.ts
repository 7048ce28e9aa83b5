/** The CST visitor (cst-to-ast.ts) for the statements that make namespaces, links, addresses and routes, and for shaping. */
import type { IToken } from 'chevrotain';
import type * as A from './ast.js';
import type * as C from './cst.js';
import type { AstBuilder } from './cst-to-ast.js';
import { error } from './diagnostics.js';
import * as V from './values.js';
import { joinSpans, type Span } from './source.js';
import { usage } from './usage.js';
import { tokenSpan } from './words.js';

export const linkVisits = {
  /** The shaping options of `shape` or `veth`: each once; jitter and reorder need delay. */
  shapeOptions(this: AstBuilder, nodes: readonly C.ShapeOptionCstNode[] | undefined): A.ShapeOptions | undefined {
    if (!nodes) return undefined;
    const out: { [K in A.ShapeOptionName]?: A.OptionNode } = {};
    for (const n of nodes) {
      const { keyword, name, value } = this.shapeOption(n.children);
      if (out[name]) {
        this.diagnostics.push(error(`${name} is given twice`, tokenSpan(this.at, keyword)));
        continue;
      }
      out[name] = { value, span: joinSpans(tokenSpan(this.at, keyword), value.span) };
    }
    const needsDelay = { jitter: 'netem varies the delay it adds', reorder: 'netem sends the reordered packets ahead of the delayed ones' };
    for (const [name, why] of Object.entries(needsDelay) as [A.ShapeOptionName, string][]) {
      const o = out[name];
      if (o && !out.delay) this.diagnostics.push(error(`${name} needs delay: ${why}`, o.span, `e.g. delay 10ms ${name} ${name === 'jitter' ? '2ms' : '25%'}`));
    }
    return out;
  },

  nsStmt(this: AstBuilder, c: C.NsStmtCstChildren, span: Span): A.NsStmt {
    const names = this.words(c.names);
    const hostname = this.lastWord(c.hostname, 'hostname', c.Hostname);
    const machine = this.optionValue('ns', 'on', this.lastWord(c.machine, 'on', c.On));
    return { kind: 'ns', names, hostname, machine, span };
  },

  delStmt(this: AstBuilder, c: C.DelStmtCstChildren, span: Span): A.DelStmt {
    return { kind: 'del', targets: this.words(c.targets), span };
  },

  vethStmt(this: AstBuilder, c: C.VethStmtCstChildren, span: Span): A.VethStmt {
    const shape = this.shapeOptions(c.shapeOption);
    return {
      kind: 'veth',
      left: this.word(c.left[0]!),
      leftAddrs: this.words(c.leftAddrs),
      right: this.word(c.right[0]!),
      rightAddrs: this.words(c.rightAddrs),
      mtu: this.lastWord(c.mtu, 'mtu', c.Mtu),
      shape,
      span,
    };
  },

  shapeOption(this: AstBuilder, c: C.ShapeOptionCstChildren): { keyword: IToken; name: A.ShapeOptionName; value: A.Word } {
    const keyword = c.option![0]!;
    const name = keyword.image as A.ShapeOptionName;
    return { keyword, name, value: this.optionValue('shape', name, this.word(c.value[0]!))! };
  },

  shapeStmt(this: AstBuilder, c: C.ShapeStmtCstChildren, span: Span): A.ShapeStmt {
    const endpoints = this.words(c.endpoints);
    const options = this.shapeOptions(c.shapeOption);
    const off = c.Off?.[0];
    if (c.Off && c.Off.length > 1) this.diagnostics.push(error('off is given twice', tokenSpan(this.at, c.Off[1]!)));
    if (off) {
      const other = Object.values(options ?? {})[0];
      if (other) this.diagnostics.push(error('off removes the shaping; it takes no other option', other.span));
      return { kind: 'shape', endpoints, shaping: { kind: 'off', span: tokenSpan(this.at, off) }, span };
    }
    if (!options) {
      const last = endpoints[endpoints.length - 1]!.span;
      const end = { ...last, start: last.end, end: last.end + 1, col: last.col + (last.end - last.start) };
      this.diagnostics.push(error('shape needs a shaping option (delay, jitter, loss, duplicate, reorder, corrupt, rate, limit) or off', end, `usage: ${usage.shapeStmt}`));
    }
    return { kind: 'shape', endpoints, shaping: { kind: 'set', options: options ?? {} }, span };
  },

  bridgeStmt(this: AstBuilder, c: C.BridgeStmtCstChildren, span: Span): A.BridgeStmt {
    return { kind: 'bridge', bridge: this.word(c.bridge[0]!), ports: this.words(c.ports), vlanFiltering: c.Vlan !== undefined, span };
  },

  attachStmt(this: AstBuilder, c: C.AttachStmtCstChildren, span: Span): A.AttachStmt {
    const ports = this.words(c.ports);
    const bridge = this.word(c.bridge[0]!);
    const ids = this.optWord(c.vlan);
    if (!ids) return { kind: 'attach', ports, bridge, span };
    const untagged = c.Untagged?.[0];
    const vlanSpan = joinSpans(tokenSpan(this.at, c.Vlan![0]!), untagged ? tokenSpan(this.at, untagged) : ids.span);
    if (untagged) {
      this.literal(ids, t => (t.includes(',') ? { problem: 'an untagged (access) port takes one VLAN ID', hint: 'a trunk port takes a list: vlan 10,20 (without untagged)' } : V.checkVlanId(t)));
      return { kind: 'attach', ports, bridge, vlans: { kind: 'access', id: ids, span: vlanSpan }, span };
    }
    this.literal(ids, V.checkVlanList);
    return { kind: 'attach', ports, bridge, vlans: { kind: 'trunk', ids, span: vlanSpan }, span };
  },

  addrStmt(this: AstBuilder, c: C.AddrStmtCstChildren, span: Span): A.AddrStmt {
    return { kind: 'addr', endpoint: this.word(c.endpoint[0]!), del: c.Del !== undefined, addrs: this.words(c.addrs), span };
  },

  upStmt(this: AstBuilder, c: C.UpStmtCstChildren, span: Span): A.LinkStateStmt {
    return { kind: 'link-state', up: true, endpoints: this.words(c.endpoints), span };
  },

  downStmt(this: AstBuilder, c: C.DownStmtCstChildren, span: Span): A.LinkStateStmt {
    return { kind: 'link-state', up: false, endpoints: this.words(c.endpoints), span };
  },

  moveStmt(this: AstBuilder, c: C.MoveStmtCstChildren, span: Span): A.MoveStmt {
    return { kind: 'move', endpoint: this.word(c.endpoint[0]!), to: this.ref(c.to), newName: this.optWord(c.newName), span };
  },

  routeStmt(this: AstBuilder, c: C.RouteStmtCstChildren, span: Span): A.RouteStmt {
    return {
      kind: 'route',
      ns: this.word(c.ns[0]!),
      del: c.Del !== undefined,
      dest: this.word(c.dest[0]!),
      via: this.lastWord(c.via, 'via'),
      dev: this.lastWord(c.dev, 'dev'),
      span,
    };
  },

  forwardStmt(this: AstBuilder, c: C.ForwardStmtCstChildren, span: Span): A.ForwardStmt {
    return { kind: 'forward', namespaces: this.words(c.namespaces), span };
  },

  sysctlStmt(this: AstBuilder, c: C.SysctlStmtCstChildren, span: Span): A.SysctlStmt {
    return { kind: 'sysctl', ns: this.word(c.ns[0]!), settings: this.words(c.settings), span };
  },
};
