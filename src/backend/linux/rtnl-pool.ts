/**
 * One rtnetlink socket per namespace, opened inside it and kept open; and what nsh knows of the
 * links there: the ifindex of each name it made or looked up, and, in namespaces it made itself,
 * the next ifindex to give a link it creates (so that a new link's index is known without asking).
 */
import { OpError } from '../backend.js';
import { errorCode } from './errors.js';
import { handles } from './netns.js';
import { RtnlSocket, dumpLinks, getLink } from './netlink/index.js';

export class RtnlPool {
  private readonly sockets = new Map<string, RtnlSocket>();
  /** ns → ifname → ifindex, for links made or looked up since the last forgetLinks(). */
  private readonly names = new Map<string, Map<string, number>>();
  /** ns → the next ifindex to choose there; only for namespaces this process made. */
  private readonly next = new Map<string, number>();
  /** The first ifindex free in a new namespace (after lo, and any tunnel devices the kernel adds). */
  private freshNext: number | undefined;

  /** The socket of namespace `ns` ('host' included). */
  socket(ns: string): RtnlSocket {
    let s = this.sockets.get(ns);
    if (!s) {
      s = RtnlSocket.open(netFd(ns));
      this.sockets.set(ns, s);
    }
    return s;
  }

  /** A namespace just made, with a socket opened inside it: nsh chooses the ifindexes of its new links. */
  adoptFresh(ns: string, sock: RtnlSocket): void {
    this.drop(ns);
    this.sockets.set(ns, sock);
    // every new namespace starts with the same devices: look once
    this.freshNext ??= firstFree(sock);
    this.next.set(ns, this.freshNext);
  }

  /** Whether this process made namespace `ns` (and numbers its links). */
  owns(ns: string): boolean {
    return this.next.has(ns);
  }

  /** An ifindex for a new link in `ns` (never `avoid`), or undefined where the kernel must choose. */
  choose(ns: string, avoid?: number): number | undefined {
    let n = this.next.get(ns);
    if (n === undefined) return undefined;
    if (n === avoid) n++;
    this.next.set(ns, n + 1);
    return n;
  }

  /** A chosen index was taken (EBUSY: something else made links there): look at what is there now. */
  resync(ns: string): void {
    if (this.next.has(ns)) this.next.set(ns, firstFree(this.socket(ns)));
  }

  /** Remember that `ifname` in `ns` has index `index`. */
  learn(ns: string, ifname: string, index: number): void {
    let m = this.names.get(ns);
    if (!m) this.names.set(ns, (m = new Map()));
    m.set(ifname, index);
  }

  /** The ifindex of `ifname` in `ns`, from what nsh knows or by asking; a sentence when there is no such interface. */
  index(ns: string, ifname: string): number {
    const known = this.names.get(ns)?.get(ifname);
    if (known !== undefined) return known;
    const link = getLink(this.socket(ns), ifname);
    if (!link) throw new OpError(`there is no interface ${JSON.stringify(ifname)} in namespace ${JSON.stringify(ns)}`);
    this.learn(ns, ifname, link.index);
    return link.index;
  }

  /** Forget the indexes of names (links may have been renamed, moved or deleted): all, or one namespace's. */
  forgetLinks(ns?: string): void {
    if (ns === undefined) this.names.clear();
    else this.names.delete(ns);
  }

  /** Forget a namespace (before it is deleted). */
  drop(ns: string): void {
    this.sockets.get(ns)?.close();
    this.sockets.delete(ns);
    this.names.delete(ns);
    this.next.delete(ns);
  }

  closeAll(): void {
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
    this.names.clear();
    this.next.clear();
  }
}

/** One more than the highest ifindex in the socket's namespace. */
function firstFree(sock: RtnlSocket): number {
  return Math.max(0, ...dumpLinks(sock).map(l => l.index)) + 1;
}

/** The fd of a named namespace; a sentence with a hint when it does not exist. */
export function netFd(ns: string): number {
  try {
    return handles.netFd(ns);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') {
      throw new OpError(`namespace ${JSON.stringify(ns)} does not exist`, `create it first with \`ns ${ns}\``);
    }
    throw e;
  }
}
