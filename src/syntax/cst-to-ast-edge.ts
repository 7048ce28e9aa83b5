/** The CST visitor (cst-to-ast.ts) for the statements that capture and wait, and for the edge: VLANs, macvlans, NAT, VXLAN, machines. */
import type * as A from './ast.js';
import type * as C from './cst.js';
import type { AstBuilder } from './cst-to-ast.js';
import * as V from './values.js';
import { joinSpans, type Span } from './source.js';
import { tokenSpan } from './words.js';

export const edgeVisits = {
  captureStmt(this: AstBuilder, c: C.CaptureStmtCstChildren, span: Span): A.CaptureStmt {
    const file = this.lastWord(c.file, 'to', c.To);
    this.literal(file, V.checkPath);
    return {
      kind: 'capture',
      endpoint: this.word(c.endpoint[0]!),
      file,
      count: this.optionValue('capture', 'count', this.lastWord(c.count, 'count', c.Count)),
      duration: this.optionValue('capture', 'for', this.lastWord(c.duration, 'for', c.For)),
      background: c.Amp !== undefined,
      span,
    };
  },

  awaitStmt(this: AstBuilder, c: C.AwaitStmtCstChildren, span: Span): A.AwaitStmt {
    const ref = this.ref(c.ref);
    const timeout = this.optionValue('await', 'timeout', this.optWord(c.timeout));
    const protocol = c.protocol?.[0];
    let target: A.AwaitTarget;
    if (protocol) {
      const port = this.word(c.port![0]!);
      this.literal(port, V.checkPort);
      target = { kind: 'listen', protocol: protocol.image as 'tcp' | 'udp', port, span: joinSpans(tokenSpan(this.at, protocol), port.span) };
    } else {
      const address = this.word(c.address![0]!);
      target = { kind: 'reach', address, span: joinSpans(tokenSpan(this.at, c.Reach![0]!), address.span) };
    }
    return { kind: 'await', ref, target, timeout, span };
  },

  vlanStmt(this: AstBuilder, c: C.VlanStmtCstChildren, span: Span): A.VlanStmt {
    const id = this.word(c.id[0]!);
    this.literal(id, V.checkVlanId);
    const name = this.lastWord(c.name, 'as', c.As);
    return { kind: 'vlan', endpoint: this.word(c.endpoint[0]!), id, name, addrs: this.words(c.addrs), span };
  },

  macvlanStmt(this: AstBuilder, c: C.MacvlanStmtCstChildren, span: Span): A.MacvlanStmt {
    const mode = this.optionValue('macvlan', 'mode', this.lastWord(c.mode, 'mode', c.Mode));
    return { kind: 'macvlan', parent: this.word(c.parent[0]!), endpoint: this.word(c.endpoint[0]!), mode, addrs: this.words(c.addrs), span };
  },

  natStmt(this: AstBuilder, c: C.NatStmtCstChildren, span: Span): A.NatStmt {
    return { kind: 'nat', ns: this.word(c.ns[0]!), span };
  },

  publishStmt(this: AstBuilder, c: C.PublishStmtCstChildren, span: Span): A.PublishStmt {
    const port = this.word(c.port[0]!);
    const target = this.word(c.target[0]!);
    this.literal(port, V.checkPort);
    this.literal(target, V.checkPublishTarget);
    const protocol = (c.protocol?.[0]?.image ?? 'tcp') as 'tcp' | 'udp';
    return { kind: 'publish', ns: this.word(c.ns[0]!), protocol, port, target, span };
  },

  vxlanStmt(this: AstBuilder, c: C.VxlanStmtCstChildren, span: Span): A.VxlanStmt {
    const vni = this.word(c.vni[0]!);
    this.literal(vni, V.checkVni);
    const remote = this.word(c.remote[0]!);
    this.literal(remote, V.checkIp);
    const local = this.optionValue('vxlan', 'local', this.lastWord(c.local, 'local', c.Local));
    const port = this.optionValue('vxlan', 'port', this.lastWord(c.port, 'port', c.Port));
    const mtu = this.optionValue('vxlan', 'mtu', this.lastWord(c.mtu, 'mtu', c.Mtu));
    return { kind: 'vxlan', endpoint: this.word(c.endpoint[0]!), vni, remote, local, port, mtu, addrs: this.words(c.addrs), span };
  },

  machineStmt(this: AstBuilder, c: C.MachineStmtCstChildren, span: Span): A.MachineStmt {
    const name = this.word(c.name[0]!);
    const target = this.word(c.target[0]!);
    this.literal(name, V.checkMachineName);
    this.literal(target, V.checkSshTarget);
    const port = this.optionValue('machine', 'port', this.optWord(c.port));
    return { kind: 'machine', name, target, port, span };
  },
};
