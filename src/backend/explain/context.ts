/** What the explain handlers share: where the text goes, and how to name namespaces in shell commands. */
import type { Cidr } from '../../core/net.js';
import type { Job, NsRef } from '../backend.js';
import type { Text } from '../../core/text.js';
import { LabModel } from '../dry-run/model.js';
import { q, qPid } from './shell.js';

export const UTS_DIR = '/run/nsh/uts';

/** `ip` for the host, `ip -n NS` for a named namespace. */
export function ip(ns: string): string {
  return ns === 'host' ? 'ip' : `ip -n ${q(ns)}`;
}

/** An IPv6 address is added without duplicate address detection, so it is usable at once. */
export function nodad(c: Cidr): string {
  return c.family === 6 ? ' nodad' : '';
}

export class ExplainContext {
  /** While a `!` statement is explained, its commands are collected here. */
  capture: string[] | undefined;
  private jobCount = 0;
  /** Namespaces with a UTS namespace of their own. */
  readonly uts = new Set<string>();
  /** The lab as the commands so far build it (pingall names its targets from it). */
  readonly model = new LabModel();
  /** Namespaces with NAT: the lab's table there and the links in its set. */
  readonly nat = new Map<string, { readonly table: string; readonly lan: Set<string> }>();

  constructor(readonly out: (text: string) => void) {}

  emit(...lines: string[]): void {
    if (this.capture) this.capture.push(...lines);
    else this.out(lines.join('\n'));
  }

  /** The global addresses a namespace holds (no loopback, no link-local). */
  globalAddrs(ns: string): string[] {
    const snap = this.model.snapshot([ns]).namespaces.find(n => n.name === ns);
    return (snap?.links ?? []).flatMap(l => l.addresses).map(a => a.split('/')[0]!).filter(a => !/^(127\.|::1$|fe80:)/i.test(a));
  }

  /** The prefix that runs a command inside a namespace reference. */
  enterRef(ref: NsRef): string {
    switch (ref.kind) {
      case 'name':
        return this.enter(ref.name);
      case 'pid':
        return `nsenter -t ${qPid(ref.pid)} -n -u -- `;
      case 'path':
        return `nsenter --net=${q(ref.path)} -- `;
    }
  }

  enter(ns: string): string {
    if (ns === 'host') return '';
    if (this.uts.has(ns)) return `nsenter --net=${q(`/run/netns/${ns}`)} --uts=${q(`${UTS_DIR}/${ns}`)} -- `;
    return `ip netns exec ${q(ns)} `;
  }

  /** iproute2's `netns` argument: a name under /run/netns, a path, or a pid. */
  netnsArg(ref: NsRef): string {
    switch (ref.kind) {
      case 'name':
        return ref.name === 'host' ? '"$$"' : q(ref.name);
      case 'pid':
        return qPid(ref.pid);
      case 'path':
        return q(ref.path.includes('/') ? ref.path : `./${ref.path}`);
    }
  }

  /** The file that stands for a reference's namespace of one type. */
  nsFile(ref: NsRef, type: string): string {
    switch (ref.kind) {
      case 'name':
        if (ref.name === 'host') return `/proc/$$/ns/${type}`;
        if (type === 'net') return q(`/run/netns/${ref.name}`);
        if (type === 'uts' && this.uts.has(ref.name)) return q(`${UTS_DIR}/${ref.name}`);
        // a named network namespace shares every other type with the host
        return `/proc/$$/ns/${type}`;
      case 'pid':
        return `/proc/${qPid(ref.pid)}/ns/${type}`;
      case 'path':
        return q(ref.path);
    }
  }

  /** A command in the foreground, or in the background with its pid kept in a shell variable. */
  command(line: string, stdin: Text | undefined, background: boolean): Job | undefined {
    const input = stdin === undefined ? '' : ` <<< ${q(stdin)}`;
    if (!background) {
      this.emit(line + input);
      return undefined;
    }
    const id = ++this.jobCount;
    const shell = `nsh_job${id}`;
    this.emit(`${line}${input} &`, `${shell}=$!`);
    return { id, pid: { kind: 'shell', name: shell } };
  }
}

