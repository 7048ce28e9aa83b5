/**
 * A Backend that writes the lab journal around another: each object is recorded before it is
 * made and confirmed after (write-ahead), so a lab killed mid-run can still be torn down.
 */
import type {
  Backend, Endpoint, ExecSpec, Job, LabObject, NcSpec, NsRef, PinTarget, PingSpec, SpawnSpec, VethSpec,
} from '../backend/backend.js';
import type { Journal } from './journal.js';

export class JournaledBackend implements Backend {
  /** The lab's own namespaces: links inside them go when they go. */
  private readonly mine: Set<string>;
  readonly begin?: Backend['begin'];
  readonly flush?: Backend['flush'];
  readonly linkGroup?: number;
  readonly runMarker?: string;
  private marked = false;

  constructor(
    private readonly inner: Backend,
    private readonly journal: Journal,
  ) {
    this.mine = new Set(journal.objects().flatMap(o => (o.kind === 'netns' ? [o.name] : [])));
    if (inner.begin) this.begin = inner.begin.bind(inner);
    if (inner.flush) this.flush = inner.flush.bind(inner);
    if (inner.linkGroup !== undefined) this.linkGroup = inner.linkGroup;
    if (inner.runMarker !== undefined) this.runMarker = inner.runMarker;
  }

  /**
   * Records `objects`, runs `act`, confirms them. A backend operation that fails has made
   * nothing (it undoes its own partial work), so a failure cancels the records: a namespace
   * that existed before (EEXIST) must never be taken for the lab's.
   */
  private async made<T>(
    objects: readonly LabObject[],
    act: () => Promise<T>,
    /** what is confirmed, when the operation tells more than was known ahead */
    confirmed: (r: T) => readonly LabObject[] = () => objects,
  ): Promise<T> {
    for (const o of objects) this.journal.record(o);
    let r: T;
    try {
      r = await act();
    } catch (e) {
      for (const o of objects) this.journal.cancel(o);
      throw e;
    }
    for (const o of confirmed(r)) this.journal.confirm(o);
    return r;
  }

  /** A link made outside the lab's namespaces outlives them: it is recorded (with the group it joins). */
  private outside(ep: Endpoint): LabObject[] {
    if (this.mine.has(ep.ns)) return [];
    const group = this.inner.linkGroup;
    return [{ kind: 'link', at: { kind: 'name', name: ep.ns }, ifname: ep.ifname, ...(group === undefined ? {} : { group }) }];
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

  private job(job: Job | undefined): Job | undefined {
    // built-in jobs run inside nsh (their pid is ours) and end with it
    if (job && typeof job.pid === 'number' && job.pid !== process.pid) {
      const o: LabObject = { kind: 'job', pid: job.pid };
      this.journal.confirm(o);
    }
    return job;
  }

  async nsAdd(name: string, opts: { hostname?: string }): Promise<void> {
    const objects: LabObject[] = [{ kind: 'netns', name }];
    if (opts.hostname !== undefined) objects.push({ kind: 'uts', name });
    await this.made(objects, () => this.inner.nsAdd(name, opts));
    this.mine.add(name);
  }

  async nsDel(name: string): Promise<void> {
    await this.inner.nsDel(name);
    this.journal.forget({ kind: 'netns', name });
    this.journal.forget({ kind: 'uts', name });
    this.mine.delete(name);
  }

  async linkDel(ep: Endpoint): Promise<void> {
    await this.inner.linkDel(ep);
    for (const o of this.outside(ep)) this.journal.forget(o);
  }

  veth(s: VethSpec): Promise<void> {
    return this.made([...this.outside(s.left), ...this.outside(s.right)], () => this.inner.veth(s));
  }

  bridge(br: Endpoint, ports: readonly string[]): Promise<void> {
    return this.made(this.outside(br), () => this.inner.bridge(br, ports));
  }

  move(ep: Endpoint, to: NsRef, newName?: string): Promise<void> {
    const ifname = newName ?? ep.ifname;
    const lands: LabObject[] = to.kind === 'name' && this.mine.has(to.name) ? [] : [{ kind: 'link', at: to, ifname }];
    return this.made(lands, () => this.inner.move(ep, to, newName));
  }

  async pin(ref: NsRef, target: PinTarget): Promise<void> {
    if (target.kind === 'name') {
      await this.made([{ kind: 'netns', name: target.name }], () => this.inner.pin(ref, target));
      this.mine.add(target.name);
      return;
    }
    // recorded ahead without `madeFile` (a teardown then leaves the file), confirmed with it
    const o: LabObject = { kind: 'mount', path: target.path };
    await this.made([o], () => this.inner.pin(ref, target), r => [{ ...o, madeFile: r?.madeFile ?? false }]);
  }

  async exec(s: ExecSpec): Promise<Job | undefined> {
    this.markPrograms();
    return this.job(await this.inner.exec(s));
  }

  async ping(s: PingSpec): Promise<Job | undefined> {
    return this.job(await this.inner.ping(s));
  }

  async nc(s: NcSpec): Promise<Job | undefined> {
    return this.job(await this.inner.nc(s));
  }

  async spawn(s: SpawnSpec): Promise<Job | undefined> {
    this.markPrograms();
    const objects: LabObject[] = s.as === undefined ? [] : [{ kind: 'netns', name: s.as }];
    const job = await this.made(objects, () => this.inner.spawn(s));
    if (s.as !== undefined) this.mine.add(s.as);
    return this.job(job);
  }

  // the rest changes nothing that outlives the lab's namespaces
  attach: Backend['attach'] = (p, b) => this.inner.attach(p, b);
  addr: Backend['addr'] = (e, a, d) => this.inner.addr(e, a, d);
  linkState: Backend['linkState'] = (e, u) => this.inner.linkState(e, u);
  route: Backend['route'] = (n, r) => this.inner.route(n, r);
  forward: Backend['forward'] = n => this.inner.forward(n);
  sysctl: Backend['sysctl'] = (n, k, v) => this.inner.sysctl(n, k, v);
  pingall: Backend['pingall'] = l => this.inner.pingall(l);
  show: Backend['show'] = q => this.inner.show(q);
  info: Backend['info'] = r => this.inner.info(r);
  same: Backend['same'] = (a, b, t) => this.inner.same(a, b, t);
  jobs: Backend['jobs'] = () => this.inner.jobs();
  wait: Backend['wait'] = t => this.inner.wait(t);
  kill: Backend['kill'] = t => this.inner.kill(t);
  print: Backend['print'] = t => this.inner.print(t);
  sleep: Backend['sleep'] = s => this.inner.sleep(s);
  expectFailure: Backend['expectFailure'] = b => this.inner.expectFailure(b);
}
