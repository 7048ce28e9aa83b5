/**
 * The dry run's model of a lab: the namespaces a script makes, their links, addresses and routes,
 * followed operation by operation without touching anything. It knows what will certainly fail
 * (an interface that no statement made, a name made twice, a gateway off every network), and it
 * gives the lab's picture before it exists (`nsh graph FILE`).
 *
 * What it does not know it does not judge: a namespace the lab did not make (`host`, `pid N`, a
 * file, a namespace of an earlier run) may hold anything, and once a program has run, any
 * namespace may have changed.
 */
import type { LabSnapshot, TunnelSnapshot } from '../../core/snapshot.js';
import type { Endpoint } from '../../core/lab.js';
import { OpError } from '../backend.js';
import { FORWARDING } from '../nat-rules.js';
import type { Op } from '../ops.js';
import { addr, join, keepsV6, move, publish, route, veth, vlan, vlansBeforeAttach } from './model-links.js';
import { acrossMachines, onMachines } from './model-machines.js';
import { snapshot } from './model-snapshot.js';
import { ModelState } from './model-state.js';

export class LabModel extends ModelState {
  /** Follows one operation; an OpError where it would certainly fail (then nothing changes). */
  apply(given: Op): void {
    const op = onMachines(given);
    acrossMachines(this, op);
    switch (op.kind) {
      case 'ns-add': {
        const ns = this.space(op.name, true);
        if (op.hostname !== undefined) ns.hostname = op.hostname;
        if (op.machine !== undefined) ns.machine = op.machine;
        return;
      }
      case 'machine':
        this.machines.set(op.name, op);
        return;
      case 'vxlan': {
        this.free(op.ep);
        const tunnel: TunnelSnapshot = { kind: 'vxlan', vni: op.vni };
        this.put(op.ep, { name: op.ep.ifname, kind: 'vxlan', up: true, addrs: [...op.addrs], tunnel, ...(op.mtu === undefined ? {} : { mtu: op.mtu }) });
        return;
      }
      case 'ns-del':
        for (const l of this.spaces.get(op.name)?.links.values() ?? []) if (l.peer) this.remove(l.peer);
        this.spaces.delete(op.name);
        return;
      case 'link-del':
        this.existing(op.ep);
        this.remove(op.ep);
        return;
      case 'veth':
        return veth(this, op);
      case 'bridge': {
        this.free(op.br);
        for (const p of op.ports) this.existing(p);
        const vlan = op.vlanFiltering ? { vlan: { kind: 'bridge' } as const } : {};
        this.put(op.br, { name: op.br.ifname, kind: 'bridge', up: true, mtu: 1500, addrs: [], ...vlan });
        for (const p of op.ports) join(this, p, op.br);
        return;
      }
      case 'vlan':
        return vlan(this, op);
      case 'macvlan': {
        this.existing(op.parent);
        this.free(op.target);
        const parent = { ns: op.parent.ns, ifname: op.parent.ifname };
        this.put(op.target, { name: op.target.ifname, kind: 'macvlan', up: true, addrs: [...op.addrs], macvlan: { mode: op.mode, parent } });
        return;
      }
      case 'nat': {
        const ns = this.spaceOf(op.ns);
        ns.nat = true;
        for (const key of [FORWARDING[4], FORWARDING[6]]) ns.sysctls.set(key, '1');
        return;
      }
      case 'publish':
        return publish(this, op);
      case 'attach': {
        const br = this.existing(op.br);
        const where = `${op.br.ns}.${op.br.ifname}`;
        if (br && br.kind !== 'bridge') throw new OpError(`${where} is not a bridge`, { at: op.br.span });
        if (br && op.vlans && br.vlan?.kind !== 'bridge') {
          throw new OpError(`${where} does not filter VLANs, so its ports take none`, { at: op.br.span, hint: `make it a VLAN-aware bridge: bridge ${where} vlan` });
        }
        for (const p of op.ports) this.existing(p);
        for (const p of op.ports) join(this, p, op.br, op.vlans);
        return;
      }
      case 'addr':
        return addr(this, op);
      case 'link-state': {
        const links = op.eps.map(ep => [ep, this.existing(ep)] as const);
        for (const [ep, l] of links) {
          if (!l) continue;
          l.up = op.up;
          // as the kernel does unless keep_addr_on_down is set
          if (!op.up && !keepsV6(this, ep)) l.addrs = l.addrs.filter(a => a.family === 4);
        }
        return;
      }
      case 'move':
        return move(this, op);
      case 'route':
        return route(this, op);
      case 'sysctl':
        for (const { key, value } of op.settings) this.spaceOf(op.ns).sysctls.set(key, value);
        return;
      case 'exec':
      case 'spawn':
        this.forgetAll();
        if (op.kind === 'spawn' && op.as !== undefined) this.space(op.as, false);
        return;
      case 'pin':
        if (op.target.kind === 'name') {
          const machine = op.ref.kind === 'name' ? this.spaces.get(op.ref.name)?.machine : undefined;
          const ns = this.space(op.target.name, false);
          if (machine !== undefined) ns.machine = machine;
        }
        return;
      case 'capture':
        this.existing(op.ep);
        return;
      case 'shape': {
        const links = op.eps.map(ep => this.existing(ep));
        for (const l of links) {
          if (!l) continue;
          if (op.shaping === 'off') delete l.shape;
          else l.shape = op.shaping;
        }
        return;
      }
      case 'ping':
      case 'nc':
      case 'pingall':
      case 'show':
      case 'info':
      case 'same':
      case 'jobs':
      case 'wait':
      case 'kill':
      case 'print':
      case 'sleep':
      case 'await':
        return;
      default: {
        const never: never = op;
        throw new Error(`the model does not follow ${(never as Op).kind}`);
      }
    }
  }

  /**
   * The VLANs a port has on a bridge before `attach … vlan` gives it its own: those it has there
   * already, or the kernel's default for a port that joins (VLAN 1). Explain removes those not given.
   */
  vlansBeforeAttach(p: Endpoint, br: Endpoint): number[] {
    return vlansBeforeAttach(this, p, br);
  }

  /** The lab as a snapshot: the host (where the lab made links there), then `lab`'s namespaces in order. */
  snapshot(lab: readonly string[]): LabSnapshot {
    return snapshot(this, lab);
  }
}
