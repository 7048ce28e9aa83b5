/**
 * The Linux backend's teardown alone, for `nsh down`: a process that only removes a lab loads
 * this and what teardown.ts needs, not the handlers of every other op (linux-backend.ts).
 */
import type { Backend, LabObject, TeardownReport } from '../backend.js';
import { LinuxContext, type LinuxOptions } from './context.js';
import { teardown } from './teardown.js';

export class LinuxTeardown implements Pick<Backend, 'teardown' | 'close'> {
  private readonly x: LinuxContext;

  constructor(opts: LinuxOptions) {
    // it makes nothing: no link group, no marker of programs it starts
    this.x = new LinuxContext(opts, 0, '');
  }

  teardown(objects: readonly LabObject[]): Promise<TeardownReport> {
    return teardown(this.x, objects);
  }

  close(): void {
    this.x.procs.release();
    this.x.handles.closeAll();
  }
}
