/**
 * A grammar-based generator of random nsh programs that keeps a model of the lab it builds, so
 * what it makes is valid (checks clean and runs on the kernel), and a mutator that turns a valid
 * program into a nearly valid one (tokens and words dropped, doubled, swapped or bent).
 */
import ipaddr from 'ipaddr.js';
import { JOB_SECONDS, Rng } from './common.js';

interface Iface {
  ns: string;
  name: string;
  up: boolean;
  /** addresses with prefix */
  addrs: string[];
  /** the veth peer, if any */
  peer?: Iface;
  bridge?: boolean;
  port?: boolean;
  /** used by a route: left alone afterwards */
  pinned?: boolean;
}

interface Ns {
  name: string;
  hostname?: string;
  ifaces: Iface[];
  defaultRoute?: boolean;
  routes: string[];
  /** holds a running background job or a route: never deleted */
  pinned?: boolean;
}

/** Whether two addresses with prefix (a.b.c.d/p, x::y/p) are in one network. */
function sameNet(a: string, b: string): boolean {
  const [aa, ap] = ipaddr.parseCIDR(a);
  const [ba, bp] = ipaddr.parseCIDR(b);
  return aa.kind() === ba.kind() && ap === bp && aa.match(ba, ap);
}

export class ProgramGen {
  private ns: Ns[] = [];
  private host: Ns = { name: 'host', ifaces: [], routes: [] };
  private lines: string[] = [];
  private n = 0;
  private net = 0;
  private jobs = 0;
  private running: number[] = [];
  private defs: { name: string; params: number }[] = [];
  private vars: string[] = [];

  constructor(private readonly rng: Rng, private readonly tag = 'z') {}

  private fresh(kind: string): string {
    return `${this.tag}${kind}${++this.n}`;
  }

  /** a fresh /30, as its two host addresses */
  private pair(): [string, string] {
    const k = this.net++;
    const b = 4 + (k % 60) * 4;
    return [`10.77.${Math.floor(k / 60)}.${b + 1}/30`, `10.77.${Math.floor(k / 60)}.${b + 2}/30`];
  }

  private some<T>(xs: readonly T[]): T | undefined {
    return xs.length ? this.rng.pick(xs) : undefined;
  }

  private anyNs(): Ns | undefined {
    return this.some(this.ns);
  }

  private plainIfaces(filter: (i: Iface) => boolean = () => true): Iface[] {
    return [...this.ns, this.host].flatMap(n => n.ifaces).filter(i => !i.bridge && !i.port && !i.pinned && filter(i));
  }

  private ref(n: Ns): string {
    return n.name;
  }

  private emit(s: string): void {
    this.lines.push(s);
  }

  private makeNs(): void {
    const r = this.rng.next();
    if (r < 0.15) {
      const a = this.fresh('n');
      const b = this.fresh('n');
      this.ns.push({ name: a, ifaces: [], routes: [] }, { name: b, ifaces: [], routes: [] });
      this.emit(`ns ${a} ${b}`);
    } else if (r < 0.3) {
      const a = this.fresh('n');
      const h = `h-${a}`;
      this.ns.push({ name: a, hostname: h, ifaces: [], routes: [] });
      this.emit(`ns ${a} hostname ${h}`);
    } else if (r < 0.4) {
      // a loop of namespaces, through a variable
      const base = this.fresh('l');
      const k = this.rng.int(1, 3);
      this.emit(`for i in 1..${k} {\n  ns ${base}_$i\n}`);
      for (let i = 1; i <= k; i++) this.ns.push({ name: `${base}_${i}`, ifaces: [], routes: [] });
    } else if (r < 0.5) {
      const v = `v${this.vars.length}`;
      const a = this.fresh('n');
      this.vars.push(v);
      this.emit(`let ${v} = ${a}`);
      this.emit(this.rng.chance(0.5) ? `ns $${v}` : `ns "\${${v}}"`.replace(/"/g, ''));
      this.ns.push({ name: a, ifaces: [], routes: [] });
    } else {
      const a = this.fresh('n');
      this.ns.push({ name: a, ifaces: [], routes: [] });
      this.emit(`ns ${a}`);
    }
  }

  private veth(): void {
    const a = this.anyNs();
    if (!a) return this.makeNs();
    const b = this.rng.chance(0.3) ? this.host : this.rng.chance(0.8) ? this.anyNs()! : a;
    const an = this.fresh('e');
    const bn = b === this.host ? this.fresh('zh') : this.fresh('e');
    const [x, y] = this.pair();
    const form = this.rng.int(0, 3);
    const mtu = this.rng.chance(0.15) ? ` mtu ${this.rng.pick([1280, 1400, 1500, 9000])}` : '';
    let ax: string[] = [];
    let bx: string[] = [];
    if (form === 0) {
      this.emit(`veth ${a.name}.${an} <-> ${b.name}.${bn} ${x}${mtu}`);
      ax = [x];
      bx = [y];
    } else if (form === 1) {
      this.emit(`veth ${a.name}.${an} ${x} <-> ${b.name}.${bn} ${y}${mtu}`);
      ax = [x];
      bx = [y];
    } else if (form === 2) {
      const v6a = `fd77::${this.net}:1/112`;
      const v6b = `fd77::${this.net}:2/112`;
      this.emit(`veth ${a.name}.${an} ${x} ${v6a} <-> ${b.name}.${bn} ${y} ${v6b}${mtu}`);
      ax = [x, v6a];
      bx = [y, v6b];
    } else {
      this.emit(`veth ${a.name}.${an} <-> ${b.name}.${bn}${mtu}`);
    }
    const ia: Iface = { ns: a.name, name: an, up: true, addrs: ax };
    const ib: Iface = { ns: b.name, name: bn, up: true, addrs: bx, peer: ia };
    ia.peer = ib;
    a.ifaces.push(ia);
    b.ifaces.push(ib);
  }

  private bridge(): void {
    const n = this.anyNs();
    if (!n) return this.makeNs();
    const br = this.fresh('br');
    const ports = n.ifaces.filter(i => !i.bridge && !i.port && !i.pinned && i.addrs.length === 0).slice(0, 2);
    this.emit(`bridge ${n.name}.${br}${ports.map(p => ' ' + (this.rng.chance(0.5) ? p.name : `${n.name}.${p.name}`)).join('')}`);
    for (const p of ports) p.port = true;
    n.ifaces.push({ ns: n.name, name: br, up: true, addrs: [], bridge: true });
  }

  private attach(): void {
    const n = this.some(this.ns.filter(x => x.ifaces.some(i => i.bridge) && x.ifaces.some(i => !i.bridge && !i.port && !i.pinned)));
    if (!n) return this.bridge();
    const br = this.rng.pick(n.ifaces.filter(i => i.bridge));
    const p = this.rng.pick(n.ifaces.filter(i => !i.bridge && !i.port && !i.pinned));
    this.emit(`attach ${n.name}.${p.name} -> ${n.name}.${br.name}`);
    p.port = true;
  }

  private addr(): void {
    const i = this.some(this.plainIfaces(x => x.ns !== 'host'));
    if (!i) return this.veth();
    const mine = i.addrs.filter(a => a.startsWith('10.78.'));
    if (mine.length && this.rng.chance(0.3)) {
      const a = mine[0]!;
      this.emit(`addr ${i.ns}.${i.name} del ${a}`);
      // the first IPv4 address of a subnet is its primary: deleting it takes the others of that
      // subnet (its secondaries) with it, unless promote_secondaries is set; either way, they
      // are no longer ours to use
      const net24 = (x: string) => x.split('.').slice(0, 3).join('.');
      i.addrs = i.addrs.filter(x => !(x.startsWith('10.78.') && net24(x) === net24(a)));
      return;
    }
    const k = this.net++;
    const a = this.rng.chance(0.7) ? `10.78.${Math.floor(k / 250)}.${(k % 250) + 1}/24` : `fd78::${k}/64`;
    this.emit(`addr ${i.ns}.${i.name} ${a}`);
    i.addrs.push(a);
  }

  private upDown(): void {
    if (this.rng.chance(0.3) && this.ns.length) {
      this.emit('up *.lo');
      return;
    }
    const i = this.some(this.plainIfaces(x => x.ns !== 'host'));
    if (!i) return this.makeNs();
    i.up = !i.up;
    this.emit(`${i.up ? 'up' : 'down'} ${i.ns}.${i.name}`);
    // as with `ip link set down`, the kernel drops the link's IPv6 addresses (keep_addr_on_down 0)
    if (!i.up) i.addrs = i.addrs.filter(a => !a.includes(':'));
  }

  private route(): void {
    // a gateway: the peer's address on a veth that is up at both ends
    const cands = this.ns.flatMap(n =>
      n.ifaces.filter(i => !i.port && i.up && i.peer?.up && i.addrs[0]?.startsWith('10.77.') && i.peer.addrs[0]?.startsWith('10.77.')).map(i => ({ n, i })),
    );
    const c = this.some(cands);
    if (!c) return this.veth();
    const { n, i } = c;
    const gw = i.peer!.addrs[0]!.split('/')[0]!;
    const r = this.rng.next();
    if (r < 0.4 && !n.defaultRoute) {
      this.emit(`route ${n.name} default via ${gw}`);
      n.defaultRoute = true;
    } else if (r < 0.7) {
      const k = this.net++;
      const p = `10.79.${k % 250}.0/24`;
      this.emit(`route ${n.name} ${p} via ${gw}`);
      n.routes.push(p);
    } else if (r < 0.85 || n.routes.length === 0) {
      const k = this.net++;
      const p = `10.80.${k % 250}.0/24`;
      this.emit(`route ${n.name} ${p} dev ${i.name}`);
      n.routes.push(p);
    } else {
      const p = n.routes.pop()!;
      this.emit(`route ${n.name} del ${p}`);
      return;
    }
    i.pinned = true;
    i.peer!.pinned = true;
    n.pinned = true;
  }

  private inNs(): void {
    const n = this.anyNs();
    if (!n) return this.makeNs();
    const r = this.rng.next();
    if (r < 0.15) this.emit(`in ${n.name} true`);
    else if (r < 0.25) this.emit(`in ${n.name} ip -br link`);
    else if (r < 0.32) this.emit(`in ${n.name} sh -c "exit 0"`);
    else if (r < 0.4) this.emit(`! in ${n.name} false`);
    else if (r < 0.48) this.emit(`in ${n.name} cat <<< "hello from ${n.name}"`);
    else if (r < 0.55 && n.hostname) this.emit(`in ${n.name} hostname`);
    else if (r < 0.65) {
      this.emit(`in ${n.name} sleep ${JOB_SECONDS} &`);
      this.running.push(++this.jobs);
      n.pinned = true;
    } else if (r < 0.72) {
      this.emit(`in ${n.name} true &`);
      this.emit(`wait %${++this.jobs}`);
    } else if (r < 0.8 && this.running.length) {
      const j = this.running.splice(this.rng.int(0, this.running.length - 1), 1)[0]!;
      this.emit(`kill %${j}`);
    } else {
      // ping over a veth that is up at both ends, to the peer's address of the pair the veth was
      // made with (10.77 /30, fd77 /112: no other link has that network, so the route is this link)
      const targets = (x: Iface) => (x.peer?.addrs ?? []).filter(b => /^(10\.77\.|fd77:)/.test(b) && x.addrs.some(a => sameNet(a, b)));
      const i = this.some(n.ifaces.filter(x => !x.port && x.up && x.peer?.up && !x.peer.port && x.peer.ns !== x.ns && targets(x).length > 0));
      if (!i) return this.emit(`in ${n.name} true`);
      const to = this.rng.pick(targets(i)).split('/')[0]!;
      // three tries: under load (other labs on the same kernel) a first packet can wait seconds
      this.emit(`in ${n.name} ping ${to} -c 3 -i 0.5 -W 3`);
    }
  }

  private misc(): void {
    const n = this.anyNs();
    const r = this.rng.next();
    if (r < 0.15) this.emit(`echo "step ${this.lines.length}${n ? ' in $' + '{x}' : ''}"`.replace('$' + '{x}', n?.name ?? ''));
    else if (r < 0.2) this.emit('sleep 0');
    else if (r < 0.3 && n) this.emit(`forward ${n.name}`);
    else if (r < 0.4 && n) this.emit(`sysctl ${n.name} net.ipv4.conf.all.forwarding=${this.rng.int(0, 1)}`);
    else if (r < 0.5) this.emit(this.rng.pick(['show', 'show --json', 'show links', 'show addrs --json', 'show routes']));
    else if (r < 0.57 && n) this.emit(`show ${n.name}`);
    else if (r < 0.65 && n) this.emit(`info ${n.name}`);
    else if (r < 0.72 && n) this.emit(`same ${n.name} ${n.name} net`);
    else if (r < 0.77) this.emit('jobs');
    else if (r < 0.85) this.emit(`# a comment ${this.rng.int(0, 99)}`);
    else if (r < 0.93) this.defCall();
    else this.emit(`let x${this.lines.length} = \${${this.rng.int(1, 9)} * (${this.rng.int(1, 9)} + 1)}`);
  }

  private defCall(): void {
    let d = this.some(this.defs);
    if (!d || this.rng.chance(0.3)) {
      d = { name: this.fresh('mk'), params: 1 };
      this.defs.push(d);
      this.emit(`def ${d.name} NAME {\n  ns $NAME\n  up $NAME.lo\n}`);
    }
    const a = this.fresh('d');
    this.emit(`${d.name} ${a}`);
    this.ns.push({ name: a, ifaces: [], routes: [] });
  }

  private del(): void {
    const r = this.rng.next();
    if (r < 0.5) {
      const i = this.some(this.plainIfaces(x => !x.peer?.pinned && !x.peer?.port && !x.bridge));
      if (!i) return;
      this.emit(`del ${i.ns}.${i.name}`);
      this.dropIface(i);
      if (i.peer) this.dropIface(i.peer);
    } else {
      const n = this.some(this.ns.filter(x => !x.pinned && x.ifaces.every(i => !i.peer || (!i.peer.pinned && !i.peer.port))));
      if (!n) return;
      this.emit(`del ${n.name}`);
      for (const i of n.ifaces) if (i.peer) this.dropIface(i.peer);
      this.ns = this.ns.filter(x => x !== n);
    }
  }

  private move(): void {
    const i = this.some(this.plainIfaces(x => x.ns !== 'host'));
    const to = this.some([...this.ns.filter(x => x.name !== i?.ns), this.host]);
    if (!i || !to) return this.veth();
    const nn = this.rng.chance(0.5) ? this.fresh(to === this.host ? 'zh' : 'm') : undefined;
    const nameThere = nn ?? i.name;
    if ([...this.ns, this.host].some(x => x.ifaces.some(j => j.ns === to.name && j.name === nameThere))) return;
    this.emit(`move ${i.ns}.${i.name} -> ${to.name}${nn ? ` as ${nn}` : ''}`);
    this.dropIface(i);
    const moved: Iface = { ns: to.name, name: nameThere, up: false, addrs: [], ...(i.peer ? { peer: i.peer } : {}) };
    if (i.peer) i.peer.peer = moved;
    to.ifaces.push(moved);
  }

  private dropIface(i: Iface): void {
    for (const n of [...this.ns, this.host]) n.ifaces = n.ifaces.filter(x => x !== i);
  }

  /** A valid program of about `len` statements. */
  program(len: number): string {
    const steps: [number, () => void][] = [
      [3, () => this.makeNs()],
      [4, () => this.veth()],
      [1, () => this.bridge()],
      [1, () => this.attach()],
      [2, () => this.addr()],
      [2, () => this.upDown()],
      [2, () => this.route()],
      [2, () => this.inNs()],
      [2, () => this.misc()],
      [1, () => this.del()],
      [1, () => this.move()],
    ];
    const total = steps.reduce((s, [w]) => s + w, 0);
    this.makeNs();
    while (this.lines.length < len) {
      let r = this.rng.next() * total;
      for (const [w, f] of steps) {
        if ((r -= w) < 0) {
          f();
          break;
        }
      }
    }
    const sep = this.rng.chance(0.1) ? '; ' : '\n';
    if (sep === '\n') return this.lines.join('\n') + '\n';
    const oneLine = (l: string) => l.replace(/\{\n\s*/g, '{ ').replace(/\n\s*\}/g, ' }').replace(/\n\s*/g, '; ');
    return this.lines.filter(l => !l.startsWith('#')).map(oneLine).join(sep) + '\n';
  }
}

/** Words that may take the place of another in a nearly valid program. */
const PIECES = [
  'ns', 'del', 'veth', 'bridge', 'attach', 'addr', 'up', 'down', 'move', 'route', 'forward', 'sysctl', 'in',
  'pingall', 'show', 'info', 'same', 'pin', 'spawn', 'for', 'def', 'let', 'include', 'echo', 'sleep', 'jobs',
  'wait', 'kill', 'hostname', 'mtu', 'as', 'at', 'pid', 'via', 'dev', 'default', '<->', '->', '<<<', '&', '!',
  ';', '{', '}', '=', '..', '1..3', 'host', 'host.v1', '*.lo', '10.1.1.1/24', '10.0.0.0/31', '10.0.0.3/30',
  'fd00::1/64', '10.1.1.300', '10.1.1.1/33', '::::', 'fe80::/129', '$x', '$nope', '${i+1}', '${1/0}', '${',
  '"', "'", '"unterminated', '$!', '$$', '0', '-1', '99999999999999999999', '-c', 'ping', 'nc', '%1', '%9', '--json',
  'a.averyveryverylongname', 'a/b', 'a:b', 'pid 1', '"/tmp/nope"', 'net.ipv4.ip_forward=1', 'KEY', 'x.', '.x', 'a..b',
  'ÿ', '\\', '#', 'a.', '.', '..', '1..1000001', 'mtu 70000', 'mtu 0', '"${x"', '$(', '`',
];

/** A nearly valid program: one to three mutations of a valid one. */
export function mutate(rng: Rng, program: string): string {
  let lines = program.split('\n');
  const muts = rng.int(1, 3);
  for (let m = 0; m < muts; m++) {
    const li = rng.int(0, Math.max(0, lines.length - 2));
    const words = (lines[li] ?? '').split(' ');
    const wi = rng.int(0, Math.max(0, words.length - 1));
    const w = words[wi] ?? '';
    switch (rng.int(0, 9)) {
      case 0:
        words.splice(wi, 1);
        break;
      case 1:
        words.splice(wi, 0, w);
        break;
      case 2:
        if (wi + 1 < words.length) [words[wi], words[wi + 1]] = [words[wi + 1]!, w];
        break;
      case 3:
      case 4:
        words[wi] = rng.pick(PIECES);
        break;
      case 5:
        words.splice(wi, 0, rng.pick(PIECES));
        break;
      case 6: {
        // bend one character of the word
        const at = rng.int(0, w.length);
        const ch = rng.pick(['x', '9', '.', '/', '-', ':', '$', '{', '"', 'Z', '0', ' ', '_']);
        words[wi] = rng.chance(0.5) ? w.slice(0, at) + ch + w.slice(at) : w.slice(0, at) + w.slice(at + 1);
        break;
      }
      case 7:
        // a word made too long
        words[wi] = w + 'x'.repeat(rng.int(10, 70));
        break;
      case 8:
        lines.splice(li, 1);
        continue;
      case 9: {
        const lj = rng.int(0, Math.max(0, lines.length - 2));
        [lines[li], lines[lj]] = [lines[lj] ?? '', lines[li] ?? ''];
        continue;
      }
    }
    lines[li] = words.join(' ');
  }
  lines = lines.filter(l => l !== undefined);
  return lines.join('\n');
}
