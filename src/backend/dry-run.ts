/**
 * A backend that does nothing: `nsh check` runs the interpreter over a script with it, so every
 * word is expanded and checked without touching the system or producing text.
 */
import type { Backend, Job } from './backend.js';

export class DryRunBackend implements Backend {
  private jobs_ = 0;

  private job(background: boolean): Job | undefined {
    if (!background) return undefined;
    const id = ++this.jobs_;
    return { id, pid: { shell: `job${id}` } };
  }

  async nsAdd(): Promise<void> {}
  async nsDel(): Promise<void> {}
  async linkDel(): Promise<void> {}
  async veth(): Promise<void> {}
  async bridge(): Promise<void> {}
  async attach(): Promise<void> {}
  async addr(): Promise<void> {}
  async linkState(): Promise<void> {}
  async move(): Promise<void> {}
  async route(): Promise<void> {}
  async forward(): Promise<void> {}
  async sysctl(): Promise<void> {}
  async exec(s: { background: boolean }): Promise<Job | undefined> {
    return this.job(s.background);
  }
  async ping(s: { background: boolean }): Promise<Job | undefined> {
    return this.job(s.background);
  }
  async nc(s: { background: boolean }): Promise<Job | undefined> {
    return this.job(s.background);
  }
  async pingall(): Promise<void> {}
  async show(): Promise<void> {}
  async info(): Promise<void> {}
  async same(): Promise<void> {}
  async pin(): Promise<void> {}
  async spawn(s: { background: boolean }): Promise<Job | undefined> {
    return this.job(s.background);
  }
  async jobs(): Promise<void> {}
  async wait(): Promise<void> {}
  async kill(): Promise<void> {}
  async print(): Promise<void> {}
  async sleep(): Promise<void> {}
  async expectFailure(body: () => Promise<void>): Promise<boolean> {
    await body();
    return true;
  }
}
