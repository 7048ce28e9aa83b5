/**
 * The Linux backend: every operation in-process, on the real kernel. Links, addresses and routes
 * go through one rtnetlink socket per namespace; namespaces are made and pinned as `ip netns add`
 * does; programs are spawned from inside the namespaces.
 */
import * as fs from 'node:fs';
import {
  OpError,
  type StatementInfo,
  type Backend, type Cidr, type Endpoint, type ExecSpec, type Job, type JobTarget, type LabObject, type NcSpec,
  type NsRef, type NsType, type PinTarget, type PingSpec, type RouteSpec, type ShowQuery, type SpawnSpec,
  type TeardownReport, type VethSpec, type LabSnapshot,
} from '../backend.js';
import { attempt, errorCode, translate } from './errors.js';
import { close, MNT_DETACH, MS_BIND, mount, O_CREAT, O_EXCL, O_RDONLY, open, umount2, unlink } from './libc.js';
import {
  createNamedNetns, createNamedUts, deleteNamedNetns, deleteNamedUts, handles, hostNetnsFd, namedUtsExists,
  nameNetns, openNetns, pinNetns, withNetns,
} from './netns.js';
import { NetnsPool, POOL_MIN } from './netns-pool.js';
import {
  AF_INET, AF_INET6, RtnlSocket, addrAdd, getLink, addrDel, bridgeCreate, linkDelete as linkDeleteByName, linkMove, linkSetMaster as linkSetMasterByName,
  linkGetByName, linkSetUp as linkSetUpByName, parseIfinfomsg, messageAttrs, IFINFOMSG_LEN, IFLA_LINK, routeAdd, routeDel, vethCreate, type BatchResult, type NlRequest, type VethEnd,
} from './netlink/index.js';
import { deleteGroups } from './link-groups.js';
import { Processes, killMarked, signalGroup, startTime, type Streams } from './processes.js';
import { RtnlPool, netFd } from './rtnl-pool.js';
import { renderShow } from './show.js';
import { pinWhenReady, unshareArgv, whenUnshared } from './spawn.js';
import { nsIdentities, sameNamespace } from './identity.js';
import { runPing, runPingall } from './ping-runner.js';
import { runNc } from './nc-runner.js';
import { readSnapshot } from './snapshot.js';
import { WriteBehind } from './write-behind.js';

const q = JSON.stringify;

export interface LinuxOptions extends Streams {
  readonly color: boolean;
}

/** `n` random bytes from the kernel's pool (node:crypto would cost ~8 ms of start-up to load). */
function randomBytes(n: number): Buffer {
  const buf = Buffer.alloc(n);
  const fd = fs.openSync('/dev/urandom', 'r');
  try {
    for (let got = 0; got < n; ) got += fs.readSync(fd, buf, got, n - got, null);
  } finally {
    fs.closeSync(fd);
  }
  return buf;
}

export class LinuxBackend implements Backend {
  private readonly rtnl = new RtnlPool();
  private readonly procs: Processes;
  /**
   * The link group of the links this process makes outside the namespaces it made (host ends):
   * teardown removes them with one message per namespace instead of one per link.
   */
  readonly linkGroup: number;
  /** In the environment of every program this process starts (NSH_RUN): teardown finds them by it. */
  readonly runMarker: string;

  constructor(private readonly opts: LinuxOptions) {
    const random = randomBytes(20);
    // a group in [2^20, 2^31): clear of the small numbers people give their own link groups
    this.linkGroup = (1 << 20) + (random.readUInt32LE(0) % (2 ** 31 - (1 << 20)));
    this.runMarker = random.subarray(4).toString('hex');
    this.procs = new Processes(opts, this.runMarker);
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
    throwFirst(this.rtnl.socket(ns).batch(reqs), doing);
  }

  /** The ifindex of an interface. While programs of the lab run in the background, links may change under nsh: it asks. */
  private index(ep: Endpoint): number {
    if (this.procs.programsRunning()) this.rtnl.forgetLinks();
    return this.rtnl.index(ep.ns, ep.ifname);
  }

  /**
   * Requests about one interface, made from its ifindex: if the kernel no longer knows that
   * index (the link was renamed or deleted since nsh learned it), the name is looked up again.
   */
  private sendAbout(ep: Endpoint, make: (index: number) => NlRequest[], doing: (i: number) => Parameters<typeof attempt>[0]): void {
    const results = this.rtnl.socket(ep.ns).batch(make(this.index(ep)));
    if (results.some(r => !r.ok && r.error.code === 'ENODEV')) {
      this.rtnl.forgetLinks(ep.ns);
      this.send(ep.ns, make(this.index(ep)), doing);
      return;
    }
    throwFirst(results, doing);
  }

  /**
   * Sends the request `plan` makes to create links in `ns`. When it numbered a link itself (from
   * choose()) and the kernel refuses — the index was taken by a program that made links there
   * (EEXIST on 6.x, EBUSY before), or a name is taken — the namespaces in `numbered` are looked
   * at again and a new plan is sent, once.
   */
  private createLinks<P extends { req: NlRequest; chosen: boolean }>(ns: string, numbered: readonly string[], plan: () => P): [BatchResult, P] {
    let p = plan();
    let [r] = this.rtnl.socket(ns).batch([p.req]);
    if (!r!.ok && (r!.error.code === 'EEXIST' || r!.error.code === 'EBUSY') && p.chosen) {
      for (const n of numbered) this.rtnl.resync(n);
      p = plan();
      [r] = this.rtnl.socket(ns).batch([p.req]);
    }
    return [r!, p];
  }

  // ---- namespaces ------------------------------------------------------------------------------

  /**
   * A script is about to run: when it will make many namespaces, a worker makes them ahead
   * (netns-pool.ts). With 0 (the script ended) the ones nobody took go.
   */
  prepare(hint: { namespaces: number }): void {
    if (hint.namespaces === 0) {
      this.pool?.close();
      this.pool = undefined;
      if (this.behind && process.env.NSH_DEBUG) {
        process.stderr.write(`nsh: debug: ${this.behind.sent.requests} requests written behind, in ${this.behind.sent.batches} batches\n`);
      }
      this.behind = undefined; // a run that ended well sent all in flush(); a failed one's links are going
    } else if (hint.namespaces >= POOL_MIN && !this.pool) {
      this.pool = NetnsPool.start(hint.namespaces);
      this.behind = new WriteBehind((ns, reqs) => this.rtnl.socket(ns).batch(reqs), ns => this.rtnl.owns(ns));
    }
  }

  private pool: NetnsPool | undefined;

  // ---- write-behind (write-behind.ts), in large labs only ------------------------------------------

  private behind: WriteBehind | undefined;
  /** The statement running (StatementInfo.origin): what a request queued now belongs to. */
  private origin: unknown;

  /** Statements whose requests may wait (links up, with their addresses): any other sends them first. */
  private static readonly KEPT_BACK = new Set(['ns', 'veth', 'link-state']);

  begin(stmt: StatementInfo): void {
    this.origin = stmt.origin;
    if (this.behind && !LinuxBackend.KEPT_BACK.has(stmt.kind)) this.behind.sendAll();
  }

  async flush(): Promise<void> {
    this.behind?.sendAll();
  }

  async nsAdd(name: string, opts: { hostname?: string }): Promise<void> {
    const opened: RtnlSocket[] = [];
    const how = {
      what: `create namespace ${q(name)}`,
      codes: { EEXIST: `namespace ${q(name)} already exists` },
      hints: { EEXIST: `remove it first with del ${name} (or ip netns del ${name})` },
    };
    const made = this.pool?.take();
    try {
      if (made) {
        opened.push(RtnlSocket.adopt(made.sockFd, made.portId));
        attempt(how, () => nameNetns(name, made.nsFd));
      } else {
        // its socket is opened while the thread is inside: no setns() later
        attempt(how, () => createNamedNetns(name, () => void opened.push(RtnlSocket.open())));
      }
    } catch (e) {
      for (const sock of opened) sock.close();
      if (made) close(made.nsFd);
      throw e;
    }
    this.rtnl.adoptFresh(name, opened[0]!);
    if (opts.hostname !== undefined) {
      const hostname = opts.hostname;
      try {
        attempt({ what: `give namespace ${q(name)} its hostname`, codes: { EEXIST: `namespace ${q(name)} already has a UTS namespace` } }, () =>
          createNamedUts(name, hostname),
        );
      } catch (e) {
        this.rtnl.drop(name);
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
    this.rtnl.forgetLinks(); // a veth's other end went too, wherever it was
  }

  // ---- links and addresses -----------------------------------------------------------------------

  async veth(s: VethSpec): Promise<void> {
    // Of a pair's two ends, the one that comes up first has its carrier (and with it its IPv6
    // set-up, whose route insertion grows with the links in its namespace) handled by a kernel
    // worker, in parallel; the second one's is handled in nsh's own thread. So when the peer is in
    // a namespace nsh did not make (the host, crowded with a lab's links), the peer comes up
    // first; otherwise the main end is made up at creation. (In a large lab, what comes up after
    // creation is written behind: see write-behind.ts.)
    const peerFirst = this.rtnl.owns(s.left.ns) && !this.rtnl.owns(s.right.ns);
    const { main, peer } = this.createVeth(s, !peerFirst);
    try {
      for (const end of [main, peer]) if (end.index !== undefined) this.rtnl.learn(end.ep.ns, end.ep.ifname, end.index);
      if (peerFirst) {
        this.upWithAddrs(peer);
        this.upWithAddrs(main);
      } else {
        await this.addr(main.ep, main.addrs, false);
        // the kernel cannot open the peer before the pair is joined: it comes up now
        this.upWithAddrs(peer);
      }
      this.carrierPending([s.left, s.right]);
    } catch (e) {
      // made nothing: deleting one end deletes the pair
      this.rtnl.socket(s.left.ns).batch([linkDeleteByName(s.left.ifname)]);
      this.rtnl.forgetLinks();
      throw e;
    }
  }

  /** Brings a new link up with its addresses, in one batch. */
  private upWithAddrs(end: { ep: Endpoint; addrs: readonly Cidr[] }): void {
    const up = linkSetUpByName(end.ep.ifname, true);
    const make = (index: number) => [...end.addrs.map(c => addrAdd(index, c, { nodad: true })), up];
    const doing = this.addrDoing(end.ep, end.addrs, false);
    // (without addresses the index is not needed: `up` names the link)
    if (this.behind) this.behind.add(end.ep.ns, make(end.addrs.length === 0 ? 0 : this.index(end.ep)), doing, this.origin);
    else if (end.addrs.length === 0) this.send(end.ep.ns, make(0), doing);
    else this.sendAbout(end.ep, make, doing);
  }

  /**
   * Creates the pair, each end directly in its namespace (the main end up when `mainUp`), and
   * tells the ends' ifindexes. Between two namespaces it made, nsh chooses both (apart: see
   * veth; the kernel takes a peer's chosen index only when the main end's is chosen too).
   * Otherwise the kernel numbers them and sends the main end back (NLM_F_ECHO), whose IFLA_LINK
   * is the peer's index (absent when equal). Links outside nsh's namespaces join its link group.
   */
  private createVeth(s: VethSpec, mainUp: boolean): Record<'main' | 'peer', { ep: Endpoint; addrs: readonly Cidr[]; index: number | undefined }> {
    const [r, p] = this.createLinks(s.left.ns, [s.left.ns, s.right.ns], () => {
      let li = this.rtnl.choose(s.left.ns);
      const ri = li === undefined ? undefined : this.rtnl.choose(s.right.ns, li);
      if (ri === undefined) li = undefined;
      const main = { ep: s.left, addrs: s.leftAddrs, index: li };
      const peer = { ep: s.right, addrs: s.rightAddrs, index: ri };
      const end = (e: typeof main, up: boolean): VethEnd => ({
        name: e.ep.ifname,
        netns: { fd: netFd(e.ep.ns) },
        up,
        ...(s.mtu === undefined ? {} : { mtu: s.mtu }),
        ...(e.index === undefined ? { group: this.linkGroup } : { index: e.index }),
      });
      return { req: vethCreate(end(main, mainUp), end(peer, false), { echo: li === undefined }), chosen: li !== undefined, main, peer };
    });
    if (!r.ok) {
      // say which end is in the way
      const taken = [s.left, s.right].find(ep => getLink(this.rtnl.socket(ep.ns), ep.ifname)) ?? s.left;
      translate(r.error, {
        what: `create the veth pair ${s.left.ns}.${s.left.ifname} <-> ${s.right.ns}.${s.right.ifname}`,
        codes: { EEXIST: `interface ${q(taken.ifname)} already exists in namespace ${q(taken.ns)}` },
      });
    }
    const { main, peer } = p;
    if (!p.chosen && r.ok && r.echo) {
      main.index = parseIfinfomsg(r.echo.body).index;
      peer.index = messageAttrs(r.echo, IFINFOMSG_LEN).u32(IFLA_LINK) ?? main.index;
    }
    return { main, peer };
  }

  /**
   * Links just brought up. The kernel handles their carrier events later, in a worker: until then
   * a link drops what is sent through it — up to a second for a veth whose ifindex equals its
   * peer's (2 and 2 in two fresh namespaces), a few milliseconds otherwise, enough to lose a ping
   * sent at once. Asking for a link (RTM_GETLINK, not a dump) makes the kernel handle its event
   * at once; nsh does so before anything that sends traffic or shows links (settle()), so a lab
   * of a thousand namespaces pays nothing for it while it is built.
   */
  private readonly unsettled: Endpoint[] = [];

  private carrierPending(eps: readonly Endpoint[]): void {
    for (const ep of eps) if (ep.ifname !== 'lo') this.unsettled.push(ep);
  }

  private settle(): void {
    // one batch per namespace; a link gone since (deleted, moved, its namespace deleted) has
    // nothing to wait for, so the answers are not looked at
    for (const [ns, list] of byNamespace(this.unsettled.splice(0))) {
      try {
        this.rtnl.socket(ns).batch(list.map(ep => linkGetByName(ep.ifname)));
      } catch {
        // the namespace itself is gone
      }
    }
  }

  async bridge(br: Endpoint, ports: readonly string[]): Promise<void> {
    const [r, { index }] = this.createLinks(br.ns, [br.ns], () => {
      const index = this.rtnl.choose(br.ns);
      const opts = index === undefined ? { group: this.linkGroup, echo: true } : { index };
      return { req: bridgeCreate(br.ifname, { up: true, ...opts }), chosen: index !== undefined, index };
    });
    if (!r.ok) {
      translate(r.error, {
        what: `create bridge ${br.ns}.${br.ifname}`,
        codes: { EEXIST: `interface ${q(br.ifname)} already exists in namespace ${q(br.ns)}` },
      });
    }
    const made = index ?? (r.ok && r.echo ? parseIfinfomsg(r.echo.body).index : undefined);
    if (made !== undefined) this.rtnl.learn(br.ns, br.ifname, made);
    try {
      await this.attach(ports.map(ifname => ({ ns: br.ns, ifname })), br);
      if (ports.length > 0) this.carrierPending([br]);
    } catch (e) {
      this.rtnl.socket(br.ns).batch([linkDeleteByName(br.ifname)]);
      this.rtnl.forgetLinks(br.ns);
      throw e;
    }
  }

  async attach(ports: readonly Endpoint[], br: Endpoint): Promise<void> {
    if (ports.length === 0) return;
    const master = this.index(br);
    const reqs = ports.map(p => linkSetMasterByName(p.ifname, master));
    this.send(br.ns, reqs, i => ({
      what: `attach ${ports[i]!.ns}.${ports[i]!.ifname} to ${br.ns}.${br.ifname}`,
      codes: { ENODEV: `there is no interface ${q(ports[i]!.ifname)} in namespace ${q(br.ns)}`, EINVAL: `${br.ns}.${br.ifname} is not a bridge`, EOPNOTSUPP: `${br.ns}.${br.ifname} is not a bridge`, ENOTSUP: `${br.ns}.${br.ifname} is not a bridge`, EBUSY: `${ports[i]!.ns}.${ports[i]!.ifname} is already a port of another bridge` },
    }));
  }

  async addr(ep: Endpoint, addrs: readonly Cidr[], del: boolean): Promise<void> {
    if (addrs.length === 0) return;
    this.sendAbout(ep, index => addrs.map(c => (del ? addrDel(index, c) : addrAdd(index, c, { nodad: true }))), this.addrDoing(ep, addrs, del));
  }

  /** What an address request was doing, for its error sentence. */
  private addrDoing(ep: Endpoint, addrs: readonly Cidr[], del: boolean): (i: number) => Parameters<typeof attempt>[0] {
    const where = `${ep.ns}.${ep.ifname}`;
    return i => {
      if (i >= addrs.length) return { what: `bring ${where} up` };
      const a = `${addrs[i]!.address}/${addrs[i]!.prefix}`;
      return {
        what: `${del ? 'remove' : 'add'} address ${a} ${del ? 'from' : 'to'} ${where}`,
        codes: { EEXIST: `${where} already has address ${a}`, EADDRNOTAVAIL: `${where} has no address ${a}` },
      };
    };
  }

  async linkState(eps: readonly Endpoint[], up: boolean): Promise<void> {
    for (const [ns, list] of byNamespace(eps)) {
      const reqs = list.map(ep => linkSetUpByName(ep.ifname, up));
      const doing = (i: number) => ({
        what: `bring ${ns}.${list[i]!.ifname} ${up ? 'up' : 'down'}`,
        codes: { ENODEV: `there is no interface ${q(list[i]!.ifname)} in namespace ${q(ns)}` },
      });
      if (this.behind) this.behind.add(ns, reqs, doing, this.origin);
      else this.send(ns, reqs, doing);
    }
    if (up) this.carrierPending(eps);
  }

  async move(ep: Endpoint, to: NsRef, newName?: string): Promise<void> {
    const index = this.index(ep);
    this.rtnl.forgetLinks(); // the link leaves; where it lands it may get another index
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
    const request = (oif: number | undefined): NlRequest[] => {
      const spec = {
        dst: r.dest === 'default' ? ('default' as const) : { address: r.dest.address, prefix: r.dest.prefix },
        family: r.family === 6 ? AF_INET6 : AF_INET,
        ...(r.via === undefined ? {} : { gateway: r.via }),
        ...(oif === undefined ? {} : { oif }),
      };
      return [r.del ? routeDel(spec) : routeAdd(spec)];
    };
    const dest = r.dest === 'default' ? 'default' : `${r.dest.address}/${r.dest.prefix}`;
    const doing = () => ({
      what: `${r.del ? 'delete' : 'add'} the route to ${dest} in namespace ${q(ns)}`,
      codes: {
        EEXIST: `namespace ${q(ns)} already has a route to ${dest}`,
        ESRCH: `namespace ${q(ns)} has no route to ${dest}`,
        ENETUNREACH: `gateway ${r.via} is not on a network of namespace ${q(ns)}`,
      },
      hints: { ENETUNREACH: 'give an interface of the namespace an address in the gateway\'s network first' },
    });
    if (r.dev === undefined) this.send(ns, request(undefined), doing);
    else this.sendAbout({ ns, ifname: r.dev }, request, doing);
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
    this.settle();
    try {
      return await this.inside(s.ref, async fds => {
        if (s.background) return this.procs.background(fds, s.argv, s.stdin);
        await this.procs.run(fds, s.argv, s.stdin);
        return undefined;
      });
    } finally {
      this.rtnl.forgetLinks(); // a program may have changed links
    }
  }

  async ping(s: PingSpec): Promise<Job | undefined> {
    this.settle();
    return this.inside(s.ref, fds => runPing(s, fds.net ?? hostNetnsFd(), this.opts.stdout, this.procs));
  }

  async nc(s: NcSpec): Promise<Job | undefined> {
    this.settle();
    return this.inside(s.ref, fds => runNc(s, fds.net ?? hostNetnsFd(), this.opts.stdout, this.procs));
  }

  async pingall(lab: readonly string[]): Promise<void> {
    this.settle();
    await runPingall(lab, (ns: string) => this.rtnl.socket(ns), netFd, this.opts.stdout, this.opts.color);
  }

  async show(q: ShowQuery): Promise<void> {
    this.settle();
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

  async pin(ref: NsRef, target: PinTarget): Promise<{ madeFile: boolean } | void> {
    const source = nsFile(ref);
    if (target.kind === 'name') {
      attempt(
        { what: `pin ${describeRef(ref)} as ${q(target.name)}`, codes: { EEXIST: `namespace ${q(target.name)} already exists`, ENOENT: `${describeRef(ref)} does not exist` } },
        () => pinNetns(target.name, source),
      );
      return;
    }
    return attempt({ what: `pin ${describeRef(ref)} at ${target.path}`, codes: { ENOENT: `${describeRef(ref)} or ${target.path} does not exist` } }, () => {
      // as with `touch FILE; mount --bind …`, the file may be there already: then it stays at teardown
      let madeFile = true;
      try {
        close(open(target.path, O_RDONLY | O_CREAT | O_EXCL, 0o644));
      } catch (e) {
        if (errorCode(e) !== 'EEXIST') throw e;
        madeFile = false;
      }
      try {
        mount(source, target.path, 'none', MS_BIND);
      } catch (e) {
        if (madeFile) unlink(target.path);
        throw e;
      }
      return { madeFile };
    });
  }

  async spawn(s: SpawnSpec): Promise<Job | undefined> {
    this.settle();
    try {
      return await this.unshared(s);
    } finally {
      this.rtnl.forgetLinks(); // a program may have changed links
    }
  }

  private async unshared(s: SpawnSpec): Promise<Job | undefined> {
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
    this.settle();
    await new Promise(r => setTimeout(r, seconds * 1000));
  }

  async expectFailure(body: () => Promise<void>): Promise<boolean> {
    // sent at once, as in a small lab: a failure undoes the statement's own work (begin() sent what was queued before)
    const behind = this.behind;
    this.behind = undefined;
    try {
      await body();
      return false;
    } catch (e) {
      if (e instanceof OpError) return true;
      throw e;
    } finally {
      this.behind = behind;
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
    // Links of a link group first, a group at a time (their pairs go with them); then namespaces:
    // deleting one removes everything inside it, and a veth pair goes with either end; then the
    // links still left, one by one.
    const order: LabObject['kind'][] = ['job', 'procs', 'netns', 'link', 'uts', 'mount'];
    const sorted = [...objects].reverse().sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
    await this.procs.killAll();
    const done = new Set<LabObject>();
    try {
      const links = sorted.filter((o): o is Extract<LabObject, { kind: 'link' }> => o.kind === 'link');
      const groups = deleteGroups(links, ns => this.rtnl.socket(ns));
      for (const o of groups.removed) done.add(o);
      for (const o of groups.gone) done.add(o);
      removed += groups.removed.length;
      gone += groups.gone.length;
    } catch {
      // a namespace that is gone, or a refusal: the links go one by one below
    }
    for (const o of sorted) {
      if (done.has(o)) continue;
      switch (o.kind) {
        case 'job':
          if (o.start === undefined || startTime(o.pid) === o.start) {
            if (signalGroup(o.pid, 'SIGKILL')) removed++;
            else gone++;
          } else gone++;
          break;
        case 'procs':
          // programs whose pid the journal may never have got (nsh killed right after starting one)
          if (killMarked(o.marker) > 0) removed++;
          else gone++;
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
            if (o.madeFile) unlink(o.path); // a file that was there before stays
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

  snapshot = async (lab: readonly string[]): Promise<LabSnapshot> => {
    this.settle();
    return readSnapshot(lab);
  };

  /** Ctrl-C: ends what runs in the foreground. */
  interrupt(): void {
    this.procs.interrupt();
  }

  /**
   * Closes sockets and namespace handles, and lets background programs go on without nsh. The
   * lab's links are settled first: what runs right after nsh (ip netns exec …) finds them working.
   */
  close(): void {
    this.pool?.close();
    this.settle();
    this.procs.release();
    this.rtnl.closeAll();
    handles.closeAll();
  }
}

/** Endpoints grouped by namespace, in the order the namespaces first appear. */
function byNamespace(eps: readonly Endpoint[]): Map<string, Endpoint[]> {
  const byNs = new Map<string, Endpoint[]>();
  for (const ep of eps) {
    const list = byNs.get(ep.ns);
    if (list) list.push(ep);
    else byNs.set(ep.ns, [ep]);
  }
  return byNs;
}

/** The first failure of a batch, as a sentence about what its request was doing. */
function throwFirst(results: readonly BatchResult[], doing: (i: number) => Parameters<typeof attempt>[0]): void {
  results.forEach((r, i) => {
    if (!r.ok) translate(r.error, doing(i));
  });
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
