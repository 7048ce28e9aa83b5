/**
 * The Linux backend: every operation in-process, on the real kernel. Links, addresses and routes
 * go through one rtnetlink socket per namespace; namespaces are made and pinned as `ip netns add`
 * does; programs are spawned from inside the namespaces.
 */
import * as fs from 'node:fs';
import {
  OpError,
  type Backend, type Cidr, type Endpoint, type ExecSpec, type Job, type JobTarget, type LabObject, type NcSpec,
  type NsRef, type NsType, type PinTarget, type PingSpec, type RouteSpec, type ShowQuery, type SpawnSpec,
  type TeardownReport, type VethSpec, type LabSnapshot,
} from '../backend.js';
import { attempt, errorCode, translate } from './errors.js';
import { close, MNT_DETACH, MS_BIND, mount, O_CREAT, O_RDONLY, open, umount2, unlink } from './libc.js';
import {
  createNamedNetns, createNamedUts, deleteNamedNetns, deleteNamedUts, handles, hostNetnsFd, namedUtsExists,
  openNetns, pinNetns, withNetns,
} from './netns.js';
import {
  AF_INET, AF_INET6, RtnlSocket, addrAdd, getLink, addrDel, bridgeCreate, linkDeleteByName, linkMove, linkSetMaster, linkSetUp, routeAdd,
  routeDel, vethCreate, type NlRequest,
} from './netlink/index.js';
import { Processes, signalGroup, startTime, type Streams } from './processes.js';
import { RtnlPool, netFd } from './rtnl-pool.js';
import { renderShow } from './show.js';
import { pinWhenReady, unshareArgv, whenUnshared } from './spawn.js';
import { nsIdentities, sameNamespace } from './identity.js';
import { runPing, runPingall } from './ping-runner.js';
import { runNc } from './nc-runner.js';
import { readSnapshot } from './snapshot.js';

const q = JSON.stringify;

export interface LinuxOptions extends Streams {
  readonly color: boolean;
}

export class LinuxBackend implements Backend {
  private readonly rtnl = new RtnlPool();
  private readonly procs: Processes;

  constructor(private readonly opts: LinuxOptions) {
    this.procs = new Processes(opts);
  }

  private out(text: string): void {
    this.opts.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Namespace fds for running a program: network, plus UTS when the namespace has one. */
  private fds(ref: NsRef): { net?: number; uts?: number; close?: () => void } {
    switch (ref.kind) {
      case 'name': {
        if (ref.name === 'host') return {};
        const uts = namedUtsExists(ref.name) ? handles.utsFd(ref.name) : undefined;
        return { net: netFd(ref.name), ...(uts === undefined ? {} : { uts }) };
      }
      case 'pid':
      case 'path': {
        const fd = attempt(
          { what: `open the namespace of ${describeRef(ref)}`, codes: { ENOENT: `${describeRef(ref)} does not exist` } },
          () => openNetns(ref.kind === 'pid' ? { kind: 'pid', pid: pidOf(ref.pid) } : ref),
        );
        return { net: fd, close: () => close(fd) };
      }
    }
  }

  /** Requests in one namespace, as one batch; the first failure becomes a sentence. */
  private send(ns: string, reqs: readonly NlRequest[], doing: (i: number) => Parameters<typeof attempt>[0]): void {
    const results = this.rtnl.socket(ns).batch(reqs);
    results.forEach((r, i) => {
      if (!r.ok) translate(r.error, doing(i));
    });
  }

  // ---- namespaces ------------------------------------------------------------------------------

  async nsAdd(name: string, opts: { hostname?: string }): Promise<void> {
    attempt(
      {
        what: `create namespace ${q(name)}`,
        codes: { EEXIST: `namespace ${q(name)} already exists` },
        hints: { EEXIST: `remove it first with del ${name} (or ip netns del ${name})` },
      },
      () => createNamedNetns(name),
    );
    if (opts.hostname !== undefined) {
      const hostname = opts.hostname;
      try {
        attempt({ what: `give namespace ${q(name)} its hostname`, codes: { EEXIST: `namespace ${q(name)} already has a UTS namespace` } }, () =>
          createNamedUts(name, hostname),
        );
      } catch (e) {
        deleteNamedNetns(name);
        throw e;
      }
    }
  }

  async nsDel(name: string): Promise<void> {
    this.rtnl.drop(name);
    attempt({ what: `delete namespace ${q(name)}`, codes: { ENOENT: `namespace ${q(name)} does not exist` } }, () =>
      deleteNamedNetns(name),
    );
    if (namedUtsExists(name)) deleteNamedUts(name);
  }

  async linkDel(ep: Endpoint): Promise<void> {
    this.send(ep.ns, [linkDeleteByName(ep.ifname)], () => ({
      what: `delete ${ep.ns}.${ep.ifname}`,
      codes: { ENODEV: `there is no interface ${q(ep.ifname)} in namespace ${q(ep.ns)}` },
    }));
  }

  // ---- links and addresses -----------------------------------------------------------------------

  async veth(s: VethSpec): Promise<void> {
    const mtu = s.mtu === undefined ? {} : { mtu: s.mtu };
    const req = vethCreate(
      { name: s.left.ifname, ...mtu, netns: { fd: netFd(s.left.ns) } },
      { name: s.right.ifname, ...mtu, netns: { fd: netFd(s.right.ns) } },
    );
    this.send(s.left.ns, [req], () => {
      // say which end is in the way
      const taken = [s.left, s.right].find(ep => getLink(this.rtnl.socket(ep.ns), ep.ifname)) ?? s.left;
      return {
        what: `create the veth pair ${s.left.ns}.${s.left.ifname} <-> ${s.right.ns}.${s.right.ifname}`,
        codes: { EEXIST: `interface ${q(taken.ifname)} already exists in namespace ${q(taken.ns)}` },
      };
    });
    try {
      for (const [ep, addrs] of [[s.left, s.leftAddrs], [s.right, s.rightAddrs]] as const) {
        await this.addr(ep, addrs, false);
      }
      await this.linkState([s.left, s.right], true);
    } catch (e) {
      // made nothing: deleting one end deletes the pair
      this.rtnl.socket(s.left.ns).batch([linkDeleteByName(s.left.ifname)]);
      throw e;
    }
  }

  async bridge(br: Endpoint, ports: readonly string[]): Promise<void> {
    this.send(br.ns, [bridgeCreate(br.ifname)], () => ({
      what: `create bridge ${br.ns}.${br.ifname}`,
      codes: { EEXIST: `interface ${q(br.ifname)} already exists in namespace ${q(br.ns)}` },
    }));
    try {
      await this.attach(ports.map(ifname => ({ ns: br.ns, ifname })), br);
      await this.linkState([br], true);
    } catch (e) {
      this.rtnl.socket(br.ns).batch([linkDeleteByName(br.ifname)]);
      throw e;
    }
  }

  async attach(ports: readonly Endpoint[], br: Endpoint): Promise<void> {
    if (ports.length === 0) return;
    const master = this.rtnl.index(br.ns, br.ifname);
    const reqs = ports.map(p => linkSetMaster(this.rtnl.index(p.ns, p.ifname), master));
    this.send(br.ns, reqs, i => ({
      what: `attach ${ports[i]!.ns}.${ports[i]!.ifname} to ${br.ns}.${br.ifname}`,
      codes: { EINVAL: `${br.ns}.${br.ifname} is not a bridge`, EOPNOTSUPP: `${br.ns}.${br.ifname} is not a bridge`, ENOTSUP: `${br.ns}.${br.ifname} is not a bridge`, EBUSY: `${ports[i]!.ns}.${ports[i]!.ifname} is already a port of another bridge` },
    }));
  }

  async addr(ep: Endpoint, addrs: readonly Cidr[], del: boolean): Promise<void> {
    if (addrs.length === 0) return;
    const index = this.rtnl.index(ep.ns, ep.ifname);
    const reqs = addrs.map(c => (del ? addrDel(index, c) : addrAdd(index, c, { nodad: true })));
    const where = `${ep.ns}.${ep.ifname}`;
    this.send(ep.ns, reqs, i => {
      const a = `${addrs[i]!.address}/${addrs[i]!.prefix}`;
      return {
        what: `${del ? 'remove' : 'add'} address ${a} ${del ? 'from' : 'to'} ${where}`,
        codes: { EEXIST: `${where} already has address ${a}`, EADDRNOTAVAIL: `${where} has no address ${a}` },
      };
    });
  }

  async linkState(eps: readonly Endpoint[], up: boolean): Promise<void> {
    const byNs = new Map<string, Endpoint[]>();
    for (const ep of eps) byNs.set(ep.ns, [...(byNs.get(ep.ns) ?? []), ep]);
    for (const [ns, list] of byNs) {
      const reqs = list.map(ep => linkSetUp(this.rtnl.index(ns, ep.ifname), up));
      this.send(ns, reqs, i => ({ what: `bring ${ns}.${list[i]!.ifname} ${up ? 'up' : 'down'}` }));
    }
    if (!up) return;
    // A veth whose ifindex equals its peer's (2 and 2 in two fresh namespaces) gets its carrier
    // event handled up to a second late, and IPv6 holds its packets until then. Asking for the
    // link (RTM_GETLINK, not a dump) makes the kernel handle the event at once.
    for (const [ns, list] of byNs) for (const ep of list) if (ep.ifname !== 'lo') getLink(this.rtnl.socket(ns), ep.ifname);
  }

  async move(ep: Endpoint, to: NsRef, newName?: string): Promise<void> {
    const index = this.rtnl.index(ep.ns, ep.ifname);
    const target = to.kind === 'pid' ? { pid: pidOf(to.pid) } : undefined;
    const fds = target ? undefined : this.fds(to);
    const fd = to.kind === 'name' && to.name === 'host' ? hostNetnsFd() : fds?.net;
    try {
      const name = newName ?? ep.ifname;
      this.send(ep.ns, [linkMove(index, target ?? { fd: fd! }, newName)], () => ({
        what: `move ${ep.ns}.${ep.ifname} to ${describeRef(to)}`,
        codes: {
          EEXIST: `${describeRef(to)} already has an interface ${q(name)}`,
          ESRCH: `there is no process ${String(to.kind === 'pid' ? pidOf(to.pid) : '')}`,
        },
        hints: { EEXIST: 'give it another name: move … as NEWNAME' },
      }));
    } finally {
      fds?.close?.();
    }
  }

  async route(ns: string, r: RouteSpec): Promise<void> {
    const oif = r.dev === undefined ? undefined : this.rtnl.index(ns, r.dev);
    const spec = {
      dst: r.dest === 'default' ? ('default' as const) : { address: r.dest.address, prefix: r.dest.prefix },
      family: r.family === 6 ? AF_INET6 : AF_INET,
      ...(r.via === undefined ? {} : { gateway: r.via }),
      ...(oif === undefined ? {} : { oif }),
    };
    const dest = r.dest === 'default' ? 'default' : `${r.dest.address}/${r.dest.prefix}`;
    this.send(ns, [r.del ? routeDel(spec) : routeAdd(spec)], () => ({
      what: `${r.del ? 'delete' : 'add'} the route to ${dest} in namespace ${q(ns)}`,
      codes: {
        EEXIST: `namespace ${q(ns)} already has a route to ${dest}`,
        ESRCH: `namespace ${q(ns)} has no route to ${dest}`,
        ENETUNREACH: `gateway ${r.via} is not on a network of namespace ${q(ns)}`,
      },
      hints: { ENETUNREACH: 'give an interface of the namespace an address in the gateway\'s network first' },
    }));
  }

  // ---- sysctls -------------------------------------------------------------------------------------

  /** Writes /proc/sys/KEY, opened inside the namespace (net.* files belong to the opener's namespace). */
  private writeSysctl(ns: string, key: string, value: string): void {
    const file = `/proc/sys/${key.replace(/\./g, '/')}`;
    const fd = attempt(
      { what: `set ${key} in namespace ${q(ns)}`, codes: { ENOENT: `there is no sysctl ${key}` } },
      () => withNetns(netFd(ns), () => fs.openSync(file, 'w')),
    );
    try {
      fs.writeSync(fd, `${value}\n`);
    } catch (e) {
      throw new OpError(`cannot set ${key}=${value} in namespace ${q(ns)}: ${(e as NodeJS.ErrnoException).code === 'EINVAL' ? 'the kernel refused the value' : (e as Error).message}`);
    } finally {
      fs.closeSync(fd);
    }
  }

  async forward(ns: string): Promise<void> {
    this.writeSysctl(ns, 'net.ipv4.ip_forward', '1');
    this.writeSysctl(ns, 'net.ipv6.conf.all.forwarding', '1');
  }

  async sysctl(ns: string, key: string, value: string): Promise<void> {
    this.writeSysctl(ns, key, value);
  }

  // ---- programs ------------------------------------------------------------------------------------

  /** Runs `fn` with the namespace fds of `ref`, closing any it had to open. */
  private async inside<T>(ref: NsRef, fn: (fds: { net?: number; uts?: number }) => Promise<T>): Promise<T> {
    const fds = this.fds(ref);
    try {
      return await fn(fds);
    } finally {
      fds.close?.();
    }
  }

  async exec(s: ExecSpec): Promise<Job | undefined> {
    return this.inside(s.ref, async fds => {
      if (s.background) return this.procs.background(fds, s.argv, s.stdin);
      await this.procs.run(fds, s.argv, s.stdin);
      return undefined;
    });
  }

  async ping(s: PingSpec): Promise<Job | undefined> {
    return this.inside(s.ref, fds => runPing(s, fds.net ?? hostNetnsFd(), this.opts.stdout, this.procs));
  }

  async nc(s: NcSpec): Promise<Job | undefined> {
    return this.inside(s.ref, fds => runNc(s, fds.net ?? hostNetnsFd(), this.opts.stdout, this.procs));
  }

  async pingall(lab: readonly string[]): Promise<void> {
    await runPingall(lab, (ns: string) => this.rtnl.socket(ns), netFd, this.opts.stdout, this.opts.color);
  }

  async show(q: ShowQuery): Promise<void> {
    this.out(renderShow(q, ns => this.rtnl.socket(ns), this.opts.color));
  }

  async info(ref: NsRef): Promise<void> {
    this.out(nsIdentities(ref).map(([type, id]) => `${type.padEnd(7)}${id}`).join('\n'));
  }

  async same(a: NsRef, b: NsRef, type?: NsType): Promise<void> {
    const differ = sameNamespace(a, b, type);
    if (differ.length > 0) {
      throw new OpError(`${describeRef(a)} and ${describeRef(b)} are in different ${differ.join(', ')} namespaces`);
    }
    this.out(`${describeRef(a)} and ${describeRef(b)} share their ${type ?? 'namespaces'}`);
  }

  async pin(ref: NsRef, target: PinTarget): Promise<void> {
    const source = nsFile(ref);
    if (target.kind === 'name') {
      attempt(
        { what: `pin ${describeRef(ref)} as ${q(target.name)}`, codes: { EEXIST: `namespace ${q(target.name)} already exists`, ENOENT: `${describeRef(ref)} does not exist` } },
        () => pinNetns(target.name, source),
      );
      return;
    }
    attempt({ what: `pin ${describeRef(ref)} at ${target.path}`, codes: { ENOENT: `${describeRef(ref)} or ${target.path} does not exist` } }, () => {
      close(open(target.path, O_RDONLY | O_CREAT, 0o644));
      mount(source, target.path, 'none', MS_BIND);
    });
  }

  async spawn(s: SpawnSpec): Promise<Job | undefined> {
    const argv = unshareArgv(s);
    const as = s.as;
    if (s.background) {
      const job = await this.procs.background({}, argv, s.stdin);
      // the statement ends once the namespaces exist: $! and a pin right after must see them
      if (as !== undefined) await pinWhenReady(job.pid as number, as);
      else await whenUnshared(job.pid as number, s.flags);
      return job;
    }
    await this.procs.run({}, argv, s.stdin, as === undefined ? undefined : pid => pinWhenReady(pid, as));
    return undefined;
  }

  // ---- jobs and the rest ---------------------------------------------------------------------------

  async jobs(): Promise<void> {
    const lines = this.procs.list();
    if (lines.length > 0) this.out(lines.join('\n'));
  }

  async wait(targets: readonly JobTarget[]): Promise<void> {
    await this.procs.wait(targets);
  }

  async kill(targets: readonly JobTarget[]): Promise<void> {
    this.procs.kill(targets);
  }

  async print(text: string): Promise<void> {
    this.out(text);
  }

  async sleep(seconds: number): Promise<void> {
    await new Promise(r => setTimeout(r, seconds * 1000));
  }

  async expectFailure(body: () => Promise<void>): Promise<boolean> {
    try {
      await body();
      return false;
    } catch (e) {
      if (e instanceof OpError) return true;
      throw e;
    }
  }

  // ---- teardown ------------------------------------------------------------------------------------

  async teardown(objects: readonly LabObject[]): Promise<TeardownReport> {
    let removed = 0;
    let gone = 0;
    const failed: { object: LabObject; why: string }[] = [];
    const tally = (o: LabObject, fn: () => void) => {
      try {
        fn();
        removed++;
      } catch (e) {
        const code = errorCode(e);
        if (code === 'ENOENT' || code === 'ENODEV' || code === 'ESRCH' || code === 'EINVAL') gone++;
        else failed.push({ object: o, why: e instanceof Error ? e.message : String(e) });
      }
    };
    // namespaces first: deleting one removes everything inside it, and a veth pair goes with either end
    const order: LabObject['kind'][] = ['job', 'netns', 'link', 'uts', 'mount'];
    const sorted = [...objects].reverse().sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
    await this.procs.killAll();
    for (const o of sorted) {
      switch (o.kind) {
        case 'job':
          if (o.start === undefined || startTime(o.pid) === o.start) {
            if (signalGroup(o.pid, 'SIGKILL')) removed++;
            else gone++;
          } else gone++;
          break;
        case 'link':
          tally(o, () => this.deleteLinkAt(o.at, o.ifname));
          break;
        case 'netns':
          this.rtnl.drop(o.name);
          tally(o, () => deleteNamedNetns(o.name));
          break;
        case 'uts':
          tally(o, () => deleteNamedUts(o.name));
          break;
        case 'mount':
          tally(o, () => {
            umount2(o.path, MNT_DETACH);
            unlink(o.path);
          });
          break;
      }
    }
    return { removed, gone, failed };
  }

  private deleteLinkAt(at: NsRef, ifname: string): void {
    if (at.kind === 'name') {
      this.rtnl.socket(at.name).request(linkDeleteByName(ifname));
      return;
    }
    const fd = openNetns(at.kind === 'pid' ? { kind: 'pid', pid: pidOf(at.pid) } : at);
    const sock = RtnlSocket.open(fd);
    try {
      sock.request(linkDeleteByName(ifname));
    } finally {
      sock.close();
      close(fd);
    }
  }

  snapshot = async (lab: readonly string[]): Promise<LabSnapshot> => readSnapshot(lab);

  /** Ctrl-C: ends what runs in the foreground. */
  interrupt(): void {
    this.procs.interrupt();
  }

  /** Closes sockets and namespace handles, and lets background programs go on without nsh. */
  close(): void {
    this.procs.release();
    this.rtnl.closeAll();
    handles.closeAll();
  }
}

function pidOf(pid: number | { shell: string }): number {
  if (typeof pid !== 'number') throw new OpError('a process id known only to the shell cannot be used here');
  return pid;
}

function describeRef(ref: NsRef): string {
  switch (ref.kind) {
    case 'name':
      return ref.name === 'host' ? 'the host namespace' : `namespace ${q(ref.name)}`;
    case 'pid':
      return `process ${typeof ref.pid === 'number' ? ref.pid : ref.pid.shell}`;
    case 'path':
      return `namespace file ${ref.path}`;
  }
}

/** The file that stands for a reference's network namespace. */
function nsFile(ref: NsRef): string {
  switch (ref.kind) {
    case 'name':
      return ref.name === 'host' ? `/proc/self/fd/${hostNetnsFd()}` : `/run/netns/${ref.name}`;
    case 'pid':
      return `/proc/${pidOf(ref.pid)}/ns/net`;
    case 'path':
      return ref.path;
  }
}
