/**
 * The explain backend: prints the iproute2 / shell commands that build the same lab, one block per
 * statement, each headed by the nsh source line. It changes nothing and needs no privileges.
 * Run by bash as root, the output builds the lab.
 */
import type {
  Backend, Cidr, Endpoint, ExecSpec, Job, JobTarget, NcSpec, NsRef, NsType, PinTarget, PingSpec, RouteSpec,
  ShowQuery, SpawnSpec, StatementInfo, VethSpec,
} from '../backend.js';
import { pidText } from '../backend.js';
import { commentText, q, words } from './shell.js';

const UTS_DIR = '/run/nsh/uts';

export interface ExplainOptions {
  /** Where the text goes. */
  readonly write: (text: string) => void;
}

function ip(ns: string): string {
  return ns === 'host' ? 'ip' : `ip -n ${q(ns)}`;
}

function family(c: Cidr): string {
  return c.family === 6 ? ' nodad' : '';
}

export class ExplainBackend implements Backend {
  private readonly out: (text: string) => void;
  /** While a `!` statement is explained, its commands are collected here. */
  private capture: string[] | undefined;
  private jobCount = 0;
  private readonly uts = new Set<string>();
  /** Addresses per namespace, so pingall can name its targets. */
  private readonly addrs = new Map<string, Map<string, Cidr[]>>();

  constructor(opts: ExplainOptions) {
    this.out = opts.write;
  }

  header(source: string): void {
    this.out(`#!/usr/bin/env bash\n# The iproute2 equivalent of ${commentText(source)}, as printed by nsh --explain.\nset -e`);
  }

  private emit(...lines: string[]): void {
    if (this.capture) this.capture.push(...lines);
    else this.out(lines.join('\n'));
  }

  begin(stmt: StatementInfo): void {
    const text = `\n# ${commentText(`${stmt.file}:${stmt.line}: ${stmt.text.replace(/\n/g, ' ')}`)}`;
    if (this.capture) this.capture.push(text);
    else this.out(text);
  }

  // ---- what the lab holds, for pingall -----------------------------------------------------------

  private linkAddrs(ep: Endpoint): Cidr[] {
    let links = this.addrs.get(ep.ns);
    if (!links) this.addrs.set(ep.ns, (links = new Map()));
    let list = links.get(ep.ifname);
    if (!list) links.set(ep.ifname, (list = []));
    return list;
  }

  // ---- namespaces and links ----------------------------------------------------------------------

  async nsAdd(name: string, opts: { hostname?: string }): Promise<void> {
    this.emit(`ip netns add ${q(name)}`);
    if (opts.hostname !== undefined) {
      const file = `${UTS_DIR}/${name}`;
      this.emit(
        `mkdir -p ${UTS_DIR} && touch ${q(file)}`,
        `unshare --uts=${q(file)} sh -c 'printf %s "$1" > /proc/sys/kernel/hostname' sh ${q(opts.hostname)}`,
      );
      this.uts.add(name);
    }
  }

  async nsDel(name: string): Promise<void> {
    this.emit(`ip netns del ${q(name)}`);
    if (this.uts.delete(name)) this.emit(`umount ${q(`${UTS_DIR}/${name}`)} && rm -f ${q(`${UTS_DIR}/${name}`)}`);
    this.addrs.delete(name);
  }

  async linkDel(ep: Endpoint): Promise<void> {
    this.emit(`${ip(ep.ns)} link del dev ${q(ep.ifname)}`);
    this.addrs.get(ep.ns)?.delete(ep.ifname);
  }

  async veth(s: VethSpec): Promise<void> {
    const mtu = s.mtu === undefined ? '' : ` mtu ${s.mtu}`;
    // Create from the host side when one end is there, so no netns argument names the host.
    const [a, b] = s.left.ns !== 'host' && s.right.ns === 'host' ? [s.right, s.left] : [s.left, s.right];
    const peerNs = b.ns === a.ns ? '' : ` netns ${q(b.ns)}`;
    this.emit(`${ip(a.ns)} link add name ${q(a.ifname)}${mtu} type veth peer name ${q(b.ifname)}${peerNs}${mtu}`);
    for (const [ep, addrs] of [[s.left, s.leftAddrs], [s.right, s.rightAddrs]] as const) {
      for (const c of addrs) this.emit(`${ip(ep.ns)} addr add ${c.address}/${c.prefix} dev ${q(ep.ifname)}${family(c)}`);
      this.linkAddrs(ep).push(...addrs);
    }
    this.emit(`${ip(s.left.ns)} link set dev ${q(s.left.ifname)} up`, `${ip(s.right.ns)} link set dev ${q(s.right.ifname)} up`);
  }

  async bridge(br: Endpoint, ports: readonly string[]): Promise<void> {
    this.emit(`${ip(br.ns)} link add name ${q(br.ifname)} type bridge`);
    for (const p of ports) this.emit(`${ip(br.ns)} link set dev ${q(p)} master ${q(br.ifname)}`);
    this.emit(`${ip(br.ns)} link set dev ${q(br.ifname)} up`);
  }

  async attach(ports: readonly Endpoint[], br: Endpoint): Promise<void> {
    for (const p of ports) this.emit(`${ip(p.ns)} link set dev ${q(p.ifname)} master ${q(br.ifname)}`);
  }

  async addr(ep: Endpoint, addrs: readonly Cidr[], del: boolean): Promise<void> {
    const list = this.linkAddrs(ep);
    for (const c of addrs) {
      this.emit(`${ip(ep.ns)} addr ${del ? 'del' : 'add'} ${c.address}/${c.prefix} dev ${q(ep.ifname)}${del ? '' : family(c)}`);
      if (del) {
        const i = list.findIndex(x => x.address === c.address && x.prefix === c.prefix);
        if (i !== -1) list.splice(i, 1);
      } else list.push(c);
    }
  }

  async linkState(eps: readonly Endpoint[], up: boolean): Promise<void> {
    for (const ep of eps) this.emit(`${ip(ep.ns)} link set dev ${q(ep.ifname)} ${up ? 'up' : 'down'}`);
  }

  /** iproute2's `netns` argument: a name under /run/netns, a path, or a pid. */
  private netnsArg(ref: NsRef): string {
    switch (ref.kind) {
      case 'name':
        return ref.name === 'host' ? '"$$"' : q(ref.name);
      case 'pid':
        return q(pidText(ref.pid));
      case 'path':
        return q(ref.path.includes('/') ? ref.path : `./${ref.path}`);
    }
  }

  async move(ep: Endpoint, to: NsRef, newName?: string): Promise<void> {
    const rename = newName === undefined ? '' : ` name ${q(newName)}`;
    this.emit(`${ip(ep.ns)} link set dev ${q(ep.ifname)} netns ${this.netnsArg(to)}${rename}`);
    this.addrs.get(ep.ns)?.delete(ep.ifname);
  }

  async route(ns: string, r: RouteSpec): Promise<void> {
    const dest = r.dest === 'default' ? 'default' : `${r.dest.address}/${r.dest.prefix}`;
    const v6 = r.family === 6 ? ' -6' : '';
    const via = r.via === undefined ? '' : ` via ${r.via}`;
    const dev = r.dev === undefined ? '' : ` dev ${q(r.dev)}`;
    this.emit(`${ip(ns)}${v6} route ${r.del ? 'del' : 'add'} ${dest}${via}${dev}`);
  }

  async forward(ns: string): Promise<void> {
    this.emit(`${this.enter(ns)}sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1`);
  }

  async sysctl(ns: string, key: string, value: string): Promise<void> {
    this.emit(`${this.enter(ns)}sysctl -qw ${q(`${key}=${value}`)}`);
  }

  // ---- programs -----------------------------------------------------------------------------------

  /** The prefix that runs a command inside a namespace reference. */
  private enterRef(ref: NsRef): string {
    switch (ref.kind) {
      case 'name':
        return this.enter(ref.name);
      case 'pid':
        return `nsenter -t ${q(pidText(ref.pid))} -n -u -- `;
      case 'path':
        return `nsenter --net=${q(ref.path)} -- `;
    }
  }

  private enter(ns: string): string {
    if (ns === 'host') return '';
    if (this.uts.has(ns)) return `nsenter --net=${q(`/run/netns/${ns}`)} --uts=${q(`${UTS_DIR}/${ns}`)} -- `;
    return `ip netns exec ${q(ns)} `;
  }

  private command(line: string, stdin: string | undefined, background: boolean): Job | undefined {
    const input = stdin === undefined ? '' : ` <<< ${q(stdin)}`;
    if (!background) {
      this.emit(line + input);
      return undefined;
    }
    const id = ++this.jobCount;
    const shell = `nsh_job${id}`;
    this.emit(`${line}${input} &`, `${shell}=$!`);
    return { id, pid: { shell } };
  }

  async exec(s: ExecSpec): Promise<Job | undefined> {
    return this.command(this.enterRef(s.ref) + words(s.argv), s.stdin, s.background);
  }

  async ping(s: PingSpec): Promise<Job | undefined> {
    return this.command(`${this.enterRef(s.ref)}ping -c ${s.count} -i ${s.interval} -W ${s.timeout} ${s.address}`, undefined, s.background);
  }

  async nc(s: NcSpec): Promise<Job | undefined> {
    const u = s.udp ? ' -u' : '';
    const cmd = s.listen ? `nc${u} -l ${s.port}` : `nc -N${u} ${s.address} ${s.port}`;
    return this.command(this.enterRef(s.ref) + cmd, s.stdin, s.background);
  }

  /** The global addresses a namespace holds (no loopback, no link-local). */
  private globalAddrs(ns: string): Cidr[] {
    return [...(this.addrs.get(ns)?.values() ?? [])].flat().filter(c => !/^(127\.|::1$|fe80:)/.test(c.address));
  }

  async pingall(lab: readonly string[]): Promise<void> {
    // namespaces with no global address (a switch holding only a bridge) take no part
    const members = lab.filter(ns => this.globalAddrs(ns).length > 0);
    this.emit('nsh_unreachable=0');
    for (const from of members) {
      for (const to of members) {
        if (to === from) continue;
        for (const c of this.globalAddrs(to)) {
          const pair = `${from} -> ${to} ${c.address}`;
          this.emit(`if ${this.enter(from)}ping -c 1 -W 1 ${c.address} > /dev/null; then echo ${q(`${pair} ok`)}; else echo ${q(`${pair} unreachable`)}; nsh_unreachable=1; fi`);
        }
      }
    }
    this.emit('[ "$nsh_unreachable" = 0 ]');
  }

  async show(s: ShowQuery): Promise<void> {
    const what = s.what === 'tree' ? ['link', 'addr'] : [s.what.slice(0, -1)];
    const json = s.json ? ' -j' : ' -br';
    for (const ns of s.ns ? [s.ns] : ['host', ...s.lab]) {
      for (const w of what) this.emit(`${ip(ns)}${w === 'route' ? '' : json} ${w}${w === 'route' ? ' show' : ''}`);
    }
  }

  private nsFile(ref: NsRef, type: string): string {
    switch (ref.kind) {
      case 'name':
        if (ref.name === 'host') return `/proc/$$/ns/${type}`;
        if (type === 'net') return q(`/run/netns/${ref.name}`);
        if (type === 'uts' && this.uts.has(ref.name)) return q(`${UTS_DIR}/${ref.name}`);
        // a named network namespace shares every other type with the host
        return `/proc/$$/ns/${type}`;
      case 'pid':
        return `/proc/${q(pidText(ref.pid))}/ns/${type}`;
      case 'path':
        return q(ref.path);
    }
  }

  async info(ref: NsRef): Promise<void> {
    if (ref.kind === 'pid' || (ref.kind === 'name' && ref.name === 'host')) {
      this.emit(`ls -l ${ref.kind === 'pid' ? `/proc/${q(pidText(ref.pid))}/ns` : '/proc/$$/ns'}`);
    } else this.emit(`${this.enterRef(ref)}ls -l /proc/self/ns`);
  }

  async same(a: NsRef, b: NsRef, type?: NsType): Promise<void> {
    const wholeProcess = (r: NsRef) => r.kind === 'pid' || (r.kind === 'name' && r.name === 'host');
    const types = type ? [type] : wholeProcess(a) && wholeProcess(b) ? ['net', 'uts', 'ipc', 'pid', 'mnt', 'user', 'cgroup'] : ['net'];
    for (const t of types) {
      this.emit(`test "$(stat -L -c %i ${this.nsFile(a, t)})" = "$(stat -L -c %i ${this.nsFile(b, t)})"`);
    }
  }

  async pin(ref: NsRef, target: PinTarget): Promise<void> {
    if (target.kind === 'name' && ref.kind === 'pid') {
      this.emit(`ip netns attach ${q(target.name)} ${q(pidText(ref.pid))}`);
      return;
    }
    const file = target.kind === 'name' ? `/run/netns/${target.name}` : target.path;
    if (target.kind === 'name') this.emit('mkdir -p /run/netns');
    this.emit(`touch ${q(file)} && mount --bind ${this.nsFile(ref, 'net')} ${q(file)}`);
  }

  async spawn(s: SpawnSpec): Promise<Job | undefined> {
    const flag: Record<string, string> = { uts: '--uts', ipc: '--ipc', pid: '--pid', mnt: '--mount', net: '--net', user: '--user --map-root-user' };
    const opts = s.flags.map(f => (f === 'net' && s.as ? `--net=${q(`/run/netns/${s.as}`)}` : flag[f]!));
    if (s.flags.includes('pid')) opts.push('--fork', '--kill-child');
    if (s.flags.includes('pid') && s.flags.includes('mnt')) opts.push('--mount-proc');
    const pre = s.as ? `mkdir -p /run/netns && touch ${q(`/run/netns/${s.as}`)} && ` : '';
    const cmd = s.hostname === undefined
      ? words(s.argv)
      : `sh -c 'printf %s "$0" > /proc/sys/kernel/hostname && exec "$@"' ${q(s.hostname)} ${words(s.argv)}`;
    const job = this.command(`${pre}unshare ${opts.join(' ')} -- ${cmd}`, s.stdin, s.background);
    // unshare pins the namespace a moment after it starts: wait for it before using the name
    if (s.background && s.as) this.emit(`until mountpoint -q ${q(`/run/netns/${s.as}`)}; do sleep 0.01; done`);
    return job;
  }

  /** A job by its pid variable: bash renumbers %N once jobs are reaped, nsh does not. */
  private jobArg(t: JobTarget): string {
    return t.kind === 'job' ? `"\${nsh_job${t.id}}"` : q(pidText(t.pid));
  }

  async jobs(): Promise<void> {
    this.emit('jobs');
  }

  async wait(targets: readonly JobTarget[]): Promise<void> {
    this.emit(['wait', ...targets.map(t => this.jobArg(t))].join(' '));
  }

  async kill(targets: readonly JobTarget[]): Promise<void> {
    this.emit(['kill', ...targets.map(t => this.jobArg(t))].join(' '));
  }

  async print(text: string): Promise<void> {
    this.emit(`echo ${q(text)}`);
  }

  async sleep(seconds: number): Promise<void> {
    this.emit(`sleep ${seconds}`);
  }

  async expectFailure(body: () => Promise<void>): Promise<boolean> {
    const outer = this.capture;
    const inner: string[] = [];
    this.capture = inner;
    try {
      await body();
    } finally {
      this.capture = outer;
    }
    const comments = inner.filter(l => l.startsWith('\n#'));
    const cmds = inner.filter(l => !l.startsWith('\n#'));
    this.emit(
      ...comments,
      `if ${cmds.join(' &&\n   ')}; then`,
      `  echo 'nsh: this statement was expected to fail' >&2; exit 1`,
      'fi',
    );
    return true;
  }
}
