/**
 * A Backend that writes the lab journal around another: what each operation makes is recorded
 * before it is made and confirmed after (write-ahead), so a lab killed mid-run can still be torn
 * down. What an operation makes is read from the operation itself (made()), for every kind alike.
 */
import type { Backend, Endpoint, Job, LabObject, NsRef } from '../backend/backend.js';
import { FORWARDING } from '../backend/nat-rules.js';
import type { Op, OpKind, OpOf, QdiscsReplaced, Replaced, ResultOf } from '../backend/ops.js';
import { objectKey, type Journal } from './journal.js';


/** What an operation does to the record of the lab. */
interface Made {
  /** Objects it makes: recorded before, confirmed after. */
  readonly objects: readonly LabObject[];
  /** What is confirmed, when the operation tells more than was known ahead (the rest of `objects` is cancelled). */
  readonly confirmed?: (result: unknown) => readonly LabObject[];
  /** Objects it removes: forgotten after. */
  readonly forgets?: readonly LabObject[];
  /** Namespaces that become (or stop being) the lab's own. */
  readonly ours?: string;
  readonly notOurs?: string;
  /** It starts programs. */
  readonly programs?: boolean;
}

export class JournaledBackend implements Backend {
  /** The lab's own namespaces: links inside them go when they go. */
  private readonly mine: Set<string>;
  private marked = false;

  constructor(
    private readonly inner: Backend,
    private readonly journal: Journal,
  ) {
    this.mine = new Set(journal.objects().flatMap(o => (o.kind === 'netns' ? [o.name] : [])));
  }

  // everything but apply() is the inner backend's
  get runMarker() { return this.inner.runMarker; }
  get linkGroup() { return this.inner.linkGroup; }
  begin: Backend['begin'] = s => this.inner.begin?.(s);
  flush: Backend['flush'] = async () => this.inner.flush?.();
  prepare: Backend['prepare'] = h => this.inner.prepare?.(h);
  forLab: Backend['forLab'] = name => this.inner.forLab?.(name);
  expectFailure: Backend['expectFailure'] = b => this.inner.expectFailure(b);
  snapshot: Backend['snapshot'] = lab => this.inner.snapshot!(lab);
  namespaces: Backend['namespaces'] = () => this.inner.namespaces?.() ?? [];
  interfaces: Backend['interfaces'] = ns => this.inner.interfaces?.(ns) ?? [];

  /** A link made outside the lab's namespaces outlives them: it is recorded (with the group it joins). */
  private outside(ep: Endpoint): LabObject[] {
    if (this.mine.has(ep.ns)) return [];
    const group = this.inner.linkGroup;
    return [{ kind: 'link', at: { kind: 'name', name: ep.ns }, ifname: ep.ifname, ...(group === undefined ? {} : { group }) }];
  }

  /** What `op` makes and removes, as the journal records it. */
  private made(op: Op): Made {
    switch (op.kind) {
      case 'ns-add':
        return { objects: [{ kind: 'netns', name: op.name }, ...(op.hostname === undefined ? [] : [{ kind: 'uts', name: op.name } as const])], ours: op.name };
      case 'ns-del':
        return { objects: [], forgets: [{ kind: 'netns', name: op.name }, { kind: 'uts', name: op.name }], notOurs: op.name };
      case 'link-del':
        return { objects: [], forgets: this.outside(op.ep) };
      case 'veth':
        return { objects: [...this.outside(op.left), ...this.outside(op.right)] };
      case 'bridge':
        return { objects: this.outside(op.br) };
      case 'vlan':
        return { objects: this.outside(op.link) };
      case 'macvlan':
        return { objects: this.outside(op.target) };
      case 'vxlan':
        return { objects: this.outside(op.ep) };
      case 'nat':
      case 'publish':
        return this.tableAndForwarding(op);
      case 'shape':
        return this.qdiscs(op);
      case 'move': {
        const ifname = op.newName ?? op.ep.ifname;
        const to: NsRef = op.to;
        // (a link that leaves a place outside the lab's namespaces is no longer there to remove)
        const left = this.outside(op.ep);
        return { objects: to.kind === 'name' && this.mine.has(to.name) ? [] : [{ kind: 'link', at: to, ifname }], ...(left.length > 0 ? { forgets: left } : {}) };
      }
      case 'pin': {
        if (op.target.kind === 'name') return { objects: [{ kind: 'netns', name: op.target.name }], ours: op.target.name };
        // recorded ahead without `madeFile` (a teardown then leaves the file), confirmed with it
        const o = { kind: 'mount', path: op.target.path } as const;
        return { objects: [o], confirmed: r => [{ ...o, madeFile: (r as { madeFile?: boolean } | undefined)?.madeFile ?? false }] };
      }
      case 'spawn':
        return { objects: op.as === undefined ? [] : [{ kind: 'netns', name: op.as }], programs: true, ...(op.as === undefined ? {} : { ours: op.as }) };
      case 'exec':
        return { objects: [], programs: true };
      case 'attach': case 'addr': case 'link-state': case 'route': case 'sysctl': case 'ping': case 'nc': case 'pingall':
      case 'show': case 'info': case 'same': case 'jobs': case 'wait': case 'kill': case 'print': case 'sleep':
      case 'await': case 'capture': case 'machine': // a capture runs inside nsh (a built-in job) and ends with it; its file is the user's
        // changes nothing that outlives the lab's namespaces
        return { objects: [] };
      default: {
        const never: never = op;
        throw new Error(`the journal does not know ${(never as Op).kind}`);
      }
    }
  }

  /**
   * nat and publish outside the lab's namespaces: the lab's table there, and each forwarding
   * sysctl they turn on — recorded before without its value, confirmed with the value it had
   * (the op gives it back), or cancelled when it was on already. What the journal holds already
   * (an earlier nat there) is not recorded again: its first record keeps the value to restore.
   */
  private tableAndForwarding(op: OpOf<'nat'> | OpOf<'publish'>): Made {
    if (this.mine.has(op.ns)) return { objects: [] };
    const at: NsRef = { kind: 'name', name: op.ns };
    const keys = op.kind === 'nat' ? [FORWARDING[4], FORWARDING[6]] : [FORWARDING[op.to.family]];
    const held = new Set(this.journal.objects().map(objectKey));
    const objects = [{ kind: 'nft', at, table: op.table } as LabObject, ...keys.map(key => ({ kind: 'sysctl', at, key }) as LabObject)]
      .filter(o => !held.has(objectKey(o)));
    return {
      objects,
      confirmed: r => {
        const replaced = (r as Replaced | undefined)?.replaced ?? [];
        return objects.flatMap((o): LabObject[] => {
          if (o.kind !== 'sysctl') return [o];
          const was = replaced.find(x => x.key === o.key);
          return was ? [{ ...o, value: was.value }] : [];
        });
      },
    };
  }

  /**
   * shape on links the lab did not make (`host.eth0`, a link of a namespace it did not make): each
   * one's root qdisc, recorded before without what it was, confirmed with what the op gives back
   * (or cancelled where it changed nothing). A link the lab made takes its qdisc with it; a link
   * the journal holds a qdisc of already keeps its first record, the one to put back.
   */
  private qdiscs(op: OpOf<'shape'>): Made {
    const held = new Set(this.journal.objects().map(objectKey));
    const objects = op.eps.flatMap((ep): LabObject[] => {
      const at: NsRef = { kind: 'name', name: ep.ns };
      const o: LabObject = { kind: 'qdisc', at, ifname: ep.ifname };
      if (this.mine.has(ep.ns) || held.has(objectKey({ kind: 'link', at, ifname: ep.ifname })) || held.has(objectKey(o))) return [];
      return [o];
    });
    return {
      objects,
      confirmed: r => {
        const replaced = (r as QdiscsReplaced | undefined)?.qdiscs ?? [];
        return objects.flatMap((o): LabObject[] => {
          if (o.kind !== 'qdisc' || o.at.kind !== 'name') return [];
          const name = o.at.name;
          const was = replaced.find(x => x.ns === name && x.ifname === o.ifname)?.was;
          return was === undefined ? [] : [{ ...o, was }];
        });
      },
    };
  }

  /**
   * Records what `op` makes, runs it, confirms. An operation that fails has made nothing (the
   * backend undoes its own partial work), so a failure cancels the records: a namespace that
   * existed before (EEXIST) must never be taken for the lab's.
   */
  async apply<K extends OpKind>(op: OpOf<K>): Promise<ResultOf<K>> {
    const m = this.made(op);
    if (m.programs) this.markPrograms();
    // (indexed loops: see Interpreter.block)
    for (let i = 0; i < m.objects.length; i++) this.journal.record(m.objects[i]!);
    let r: ResultOf<K>;
    try {
      r = await this.inner.apply(op);
    } catch (e) {
      for (const o of m.objects) this.journal.cancel(o);
      throw e;
    }
    const confirmed = m.confirmed?.(r) ?? m.objects;
    for (let i = 0; i < confirmed.length; i++) {
      if (m.confirmed) this.journal.confirm(confirmed[i]!);
      else this.journal.confirmLater(confirmed[i]!);
    }
    if (m.confirmed) {
      const keys = new Set(confirmed.map(objectKey));
      for (const o of m.objects) if (!keys.has(objectKey(o))) this.journal.cancel(o);
    }
    for (const o of m.forgets ?? []) this.journal.forget(o);
    if (m.ours !== undefined) this.mine.add(m.ours);
    if (m.notOurs !== undefined) this.mine.delete(m.notOurs);
    this.job(r);
    return r;
  }

  /**
   * Before the first program starts: a program runs before nsh learns its pid, so a run killed in
   * between would lose it; the mark in its environment is recorded first, and teardown finds it.
   */
  private markPrograms(): void {
    const marker = this.inner.runMarker;
    if (this.marked || marker === undefined) return;
    const o: LabObject = { kind: 'procs', marker };
    this.journal.record(o);
    this.journal.confirm(o);
    this.marked = true;
  }

  /**
   * The run ended with nsh alive: every program it started has its pid recorded (or has ended),
   * so the mark is no longer needed.
   */
  finish(): void {
    const marker = this.inner.runMarker;
    if (!this.marked || marker === undefined) return;
    this.journal.forget({ kind: 'procs', marker });
    this.marked = false;
  }

  /** A background program's pid is recorded (built-in jobs run inside nsh, and end with it). */
  private job(r: unknown): void {
    const job = r as Job | undefined;
    if (job && typeof job === 'object' && 'pid' in job && typeof job.pid === 'number' && job.pid !== process.pid) {
      this.journal.confirm({ kind: 'job', pid: job.pid });
    }
  }
}
