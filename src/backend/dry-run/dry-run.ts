/**
 * The dry run: `nsh check` runs the interpreter over a script with it, so every word is expanded
 * and checked, and every operation is followed in a model of the lab (model.ts) that knows what
 * would certainly fail, without touching the system or producing text.
 */
import type { LabSnapshot } from '../../core/snapshot.js';
import { OpError, type Backend, type Job } from '../backend.js';
import { dispatch, type Handlers, type Op, type OpKind, type OpOf, type ResultOf } from '../ops.js';
import { LabModel } from './model.js';

export class DryRunBackend implements Backend {
  readonly model: LabModel;
  private jobs = 0;

  constructor(lab: Iterable<string> = []) {
    this.model = new LabModel(lab);
  }

  private job(background: boolean): Job | undefined {
    if (!background) return undefined;
    const id = ++this.jobs;
    return { id, pid: { kind: 'shell', name: `job${id}` } };
  }

  private follow = async (op: Op): Promise<undefined> => {
    this.model.apply(op);
    return undefined;
  };
  private program = async (op: Op & { background: boolean }): Promise<Job | undefined> => {
    this.model.apply(op);
    return this.job(op.background);
  };

  private readonly handlers: Handlers = {
    'ns-add': this.follow,
    'ns-del': this.follow,
    'link-del': this.follow,
    veth: this.follow,
    bridge: this.follow,
    vlan: this.follow,
    macvlan: this.follow,
    vxlan: this.follow,
    machine: this.follow,
    shape: this.follow,
    nat: async op => {
      this.model.apply(op);
      return undefined;
    },
    publish: async op => {
      this.model.apply(op);
      return undefined;
    },
    attach: this.follow,
    addr: this.follow,
    'link-state': this.follow,
    move: this.follow,
    route: this.follow,
    sysctl: this.follow,
    exec: this.program,
    ping: this.program,
    nc: this.program,
    capture: this.program,
    await: this.follow,
    spawn: this.program,
    pingall: this.follow,
    show: this.follow,
    info: this.follow,
    same: this.follow,
    pin: async op => {
      this.model.apply(op);
      return undefined;
    },
    jobs: this.follow,
    wait: this.follow,
    kill: this.follow,
    print: this.follow,
    sleep: this.follow,
  };

  apply<K extends OpKind>(op: OpOf<K>): Promise<ResultOf<K>> {
    return dispatch(this.handlers, op);
  }

  /** A statement under `!`: one the model knows will fail is as expected, and one it cannot judge may fail. */
  async expectFailure(body: () => Promise<void>): Promise<boolean> {
    try {
      await body();
    } catch (e) {
      if (!(e instanceof OpError)) throw e;
    }
    return true;
  }

  async snapshot(lab: readonly string[]): Promise<LabSnapshot> {
    return this.model.snapshot(lab);
  }
}
