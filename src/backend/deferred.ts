/**
 * A backend whose code is loaded when first needed, not before: the REPL shows its first prompt
 * without waiting for the Linux backend's modules (and koffi), and loads them while the user
 * types. Operations wait for it; its caller awaits load() before anything that asks it something
 * synchronously (the REPL does before each entry). What it is told before it is loaded (the lab
 * it acts for) is passed on; a query asked before answers nothing.
 */
import type { LabObject, TeardownReport } from '../core/lab.js';
import type { LabSnapshot } from '../core/snapshot.js';
import type { Backend, StatementInfo } from './backend.js';
import type { OpKind, OpOf, ResultOf } from './ops.js';

export class DeferredBackend implements Backend {
  private inner: Backend | undefined;
  private loading: Promise<Backend> | undefined;
  private lab: string | undefined;

  constructor(private readonly make: () => Promise<Backend>) {}

  /** Loads the backend (once); resolves when it is ready. */
  load(): Promise<Backend> {
    this.loading ??= this.make().then(b => {
      this.inner = b;
      if (this.lab !== undefined) b.forLab?.(this.lab);
      return b;
    });
    return this.loading;
  }

  get runMarker(): string | undefined {
    return this.inner?.runMarker;
  }
  get linkGroup(): number | undefined {
    return this.inner?.linkGroup;
  }

  async apply<K extends OpKind>(op: OpOf<K>): Promise<ResultOf<K>> {
    return (await this.load()).apply(op);
  }
  async expectFailure(body: () => Promise<void>): Promise<boolean> {
    return (await this.load()).expectFailure(body);
  }
  begin(stmt: StatementInfo): void {
    this.inner?.begin?.(stmt);
  }
  async flush(): Promise<void> {
    await this.inner?.flush?.();
  }
  prepare(hint: { readonly namespaces: number }): void {
    this.inner?.prepare?.(hint);
  }
  forLab(name: string): void {
    this.lab = name;
    this.inner?.forLab?.(name);
  }
  async teardown(objects: readonly LabObject[]): Promise<TeardownReport> {
    const b = await this.load();
    if (!b.teardown) throw new Error('this backend cannot tear down');
    return b.teardown(objects);
  }
  interrupt(): void {
    this.inner?.interrupt?.();
  }
  close(): void {
    if (this.inner) this.inner.close?.();
    else void this.loading?.then(b => b.close?.());
  }
  async snapshot(lab: readonly string[]): Promise<LabSnapshot> {
    const b = await this.load();
    if (!b.snapshot) throw new Error('this backend cannot show a lab');
    return b.snapshot(lab);
  }
  namespaces(): string[] {
    return this.inner?.namespaces?.() ?? [];
  }
  interfaces(ns: string): string[] {
    return this.inner?.interfaces?.(ns) ?? [];
  }
  watch(lab: () => readonly string[], onChange: () => void): () => void {
    if (!this.inner?.watch) throw new Error('the backend is not loaded');
    return this.inner.watch(lab, onChange);
  }
}
