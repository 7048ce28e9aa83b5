/**
 * Operations as nsh text again: what a machine of a lab across machines is told is a statement
 * of the language, with every word literal (variables, loops and defs were expanded by the
 * coordinator). The text parses back into the same operation on the machine that runs it.
 */
import { cidrText, type Cidr } from '../core/net.js';
import type { Endpoint, JobTarget, NsRef, Pid } from '../core/lab.js';
import { shapingText, timeText } from '../core/shape.js';
import { keywordNames } from '../syntax/keywords.js';
import type { Op, OpOf } from '../backend/backend.js';
import { piecesOf, type Text } from '../core/text.js';

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word: bare when it can only read as itself, else quoted (a quoted word is never a keyword). */
export function word(text: string): string {
  return bare(text) && !keywordNames.has(text) ? text : quoted(text);
}

function bare(text: string): boolean {
  return text !== '' && SAFE.test(text) && !text.includes('->');
}

/** A quoted word: '…' (literal), or "…" with \\, \" and \$ escaped when it holds a '. */
function quoted(text: string): string {
  if (!text.includes("'")) return `'${text}'`;
  return `"${text.replace(/[\\"$]/g, c => `\\${c}`)}"`;
}

/** A number as nsh reads it back (no exponent). */
export function num(n: number): string {
  const s = String(n);
  return /e/i.test(s) ? n.toFixed(9).replace(/\.?0+$/, '') : s;
}

/** `NS.IF` on its own machine: another machine's `host@M` is that machine's `host`. */
export function endpoint(ep: Endpoint): string {
  const text = `${ep.ns}.${ep.ifname}`;
  return bare(text) ? text : quoted(text);
}

function refText(ref: NsRef): string {
  switch (ref.kind) {
    case 'name':
      return word(ref.name);
    case 'pid':
      return `pid ${pid(ref.pid)}`;
    case 'path':
      return word(ref.path);
  }
}

/**
 * A pid: a number, or the mark of the coordinator's job N (`$!` once it started: a ShellPid named
 * jobN), which the session replaces with the pid its machine gave (session.ts).
 */
export function pid(p: Pid): string {
  return typeof p === 'number' ? String(p) : `\uE000${p.name}\uE001`;
}

/** A word that may hold a job's pid (`kill -TERM $!`): as `plain` writes it, or in "…" around the pid's mark. */
function textWord(t: Text, plain: (text: string) => string): string {
  if (typeof t === 'string') return plain(t);
  return `"${piecesOf(t).map(p => (typeof p === 'string' ? p.replace(/[\\"$]/g, c => `\\${c}`) : pid(p))).join('')}"`;
}

/** A text with each job's pid as its mark (the session replaces the marks). */
export function markedText(t: Text): string {
  return piecesOf(t).map(p => (typeof p === 'string' ? p : pid(p))).join('');
}

/** What echo prints, written back as its word. */
export function echoWord(t: Text): string {
  return textWord(t, word);
}

/**
 * A job target: the coordinator's `%N` (or `$!` of its job N) becomes a mark that is replaced by
 * the job's number on its machine (a built-in job's pid is nsh's own: the number tells jobs apart).
 */
function jobTarget(t: JobTarget): string {
  if (t.kind === 'job') return jobMark(t.id);
  const job = typeof t.pid === 'number' ? undefined : /^job(\d+)$/.exec(t.pid.name);
  return job ? jobMark(Number(job[1])) : pid(t.pid);
}

/** A word of a program's command line: quoted only where nsh would read it otherwise (keywords are words there). */
function arg(text: string): string {
  return bare(text) ? text : quoted(text);
}

/** Stands for the job number, on its machine, of the coordinator's job `id`. */
export function jobMark(id: number): string {
  return `%\uE002${id}\uE003`;
}

const addrs = (list: readonly Cidr[]) => list.map(cidrText);
const line = (...parts: (string | undefined | false)[]) => parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
const input = (text: Text | undefined) => (text === undefined ? undefined : `<<< ${textWord(text, word)}`);
const argWord = (text: Text) => textWord(text, arg);
const amp = (background: boolean) => (background ? '&' : undefined);

/**
 * The statement that makes `op` on its machine. Operations that the coordinator carries out
 * itself (show, pingall, machine) have none.
 */
export function opText(op: Op): string | undefined {
  switch (op.kind) {
    case 'ns-add':
      return line('ns', word(op.name), op.hostname !== undefined && `hostname ${word(op.hostname)}`);
    case 'ns-del':
      return line('del', word(op.name));
    case 'link-del':
      return line('del', endpoint(op.ep));
    case 'veth':
      return line(
        'veth', endpoint(op.left), ...addrs(op.leftAddrs), '<->', endpoint(op.right), ...addrs(op.rightAddrs),
        op.mtu !== undefined && `mtu ${op.mtu}`, op.shape && shapingText(op.shape),
      );
    case 'bridge':
      return line('bridge', endpoint(op.br), op.vlanFiltering === true && 'vlan', ...op.ports.map(p => word(p.ifname)));
    case 'attach':
      return line(
        'attach', ...op.ports.map(endpoint), '->', endpoint(op.br),
        op.vlans && (op.vlans.kind === 'access' ? `vlan ${op.vlans.id} untagged` : `vlan ${op.vlans.ids.join(',')}`),
      );
    case 'addr':
      return line('addr', endpoint(op.ep), op.del && 'del', ...addrs(op.addrs));
    case 'link-state':
      return line(op.up ? 'up' : 'down', ...op.eps.map(endpoint));
    case 'move':
      return line('move', endpoint(op.ep), '->', refText(op.to), op.newName !== undefined && `as ${word(op.newName)}`);
    case 'route':
      return line(
        'route', word(op.ns), op.del && 'del', op.dest === 'default' ? 'default' : cidrText(op.dest),
        op.via !== undefined && `via ${op.via}`, op.dev !== undefined && `dev ${word(op.dev)}`,
      );
    case 'sysctl':
      // (forward NS is one operation of two settings; sysctl NS K=V… is one operation for each)
      if (op.settings.map(s => `${s.key}=${s.value}`).join(' ') === 'net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1') return line('forward', word(op.ns));
      return line('sysctl', word(op.ns), ...op.settings.map(s => word(`${s.key}=${s.value}`)));
    case 'shape':
      return line('shape', ...op.eps.map(endpoint), op.shaping === 'off' ? 'off' : shapingText(op.shaping));
    case 'vlan':
      return line('vlan', endpoint(op.parent), String(op.id), `as ${word(op.link.ifname)}`, ...addrs(op.addrs));
    case 'macvlan':
      return line('macvlan', endpoint(op.parent), '->', endpoint(op.target), `mode ${op.mode}`, ...addrs(op.addrs));
    case 'nat':
      return line('nat', word(op.ns));
    case 'publish': {
      const to = op.to.family === 6 ? `[${op.to.address}]:${op.to.port}` : `${op.to.address}:${op.to.port}`;
      return line('publish', word(op.ns), op.proto, String(op.port), '->', to);
    }
    case 'vxlan':
      return line(
        'vxlan', endpoint(op.ep), String(op.vni), 'remote', op.remote.address, op.local !== undefined && `local ${op.local}`,
        `port ${op.port}`, op.mtu !== undefined && `mtu ${op.mtu}`, ...addrs(op.addrs),
      );
    case 'exec': {
      // a program named ping or nc that is not the built-in was written quoted (or by its path)
      const [first, ...rest] = op.argv;
      const program = first === 'ping' || first === 'nc' ? `'${first}'` : argWord(first!);
      return line('in', refText(op.ref), program, ...rest.map(argWord), input(op.stdin), amp(op.background));
    }
    case 'ping':
      return line(
        'in', refText(op.ref), 'ping', op.address, `-c ${op.count}`, `-i ${num(op.interval)}`, `-W ${num(op.timeout)}`,
        op.size !== undefined && `-s ${op.size}`, op.dontFragment !== undefined && `-M ${op.dontFragment ? 'do' : 'dont'}`,
        op.iface !== undefined && `-I ${word(op.iface)}`, amp(op.background),
      );
    case 'nc':
      return line(
        'in', refText(op.ref), 'nc', op.listen && '-l', op.udp && '-u', op.scan && '-z', op.wait !== undefined && `-w ${num(op.wait)}`,
        op.address, String(op.port), input(op.stdin), amp(op.background),
      );
    case 'capture':
      return line(
        'capture', endpoint(op.ep), op.file !== undefined && `to ${word(op.file)}`, op.count !== undefined && `count ${op.count}`,
        op.seconds !== undefined && `for ${timeText(op.seconds)}`, amp(op.background),
      );
    case 'await':
      return op.what === 'reach'
        ? line('await', refText(op.ref), 'reach', op.address, `timeout ${num(op.timeout)}`)
        : line('await', refText(op.ref), op.what, String(op.port), `timeout ${num(op.timeout)}`);
    case 'info':
      return line('info', refText(op.ref));
    case 'same':
      return line('same', refText(op.a), refText(op.b), op.type);
    case 'pin':
      return line('pin', refText(op.ref), op.target.kind === 'name' ? `as ${word(op.target.name)}` : `at ${word(op.target.path)}`);
    case 'spawn':
      return line(
        'spawn', ...op.flags, op.hostname !== undefined && `hostname ${word(op.hostname)}`, op.as !== undefined && `as ${word(op.as)}`,
        // (a program named as a namespace type or an option would read as one)
        ...op.argv.map((a, i) => textWord(a, i === 0 ? word : arg)), input(op.stdin), amp(op.background),
      );
    case 'jobs':
      return 'jobs';
    case 'wait':
      return line('wait', ...op.targets.map(jobTarget));
    case 'kill':
      return line('kill', ...op.targets.map(jobTarget));
    case 'print':
      return line('echo', echoWord(op.text));
    case 'sleep':
      return line('sleep', num(op.seconds));
    case 'show':
    case 'pingall':
    case 'machine':
      return undefined;
  }
}

/** The statements of a cross-machine veth's end on its machine once its tunnel device is made (claims.ts): its shaping. */
export function tunnelEndText(ep: Endpoint, op: OpOf<'veth'>): string[] {
  return op.shape ? [line('shape', endpoint({ ns: ep.ns, ifname: ep.ifname }), shapingText(op.shape))] : [];
}
