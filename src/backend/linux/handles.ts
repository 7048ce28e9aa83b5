/**
 * What the Linux backend holds open per namespace, one handle each (as vishvananda/netlink's
 * per-namespace Handle): the namespace's fd (and its UTS namespace's, where it has one), one
 * rtnetlink socket opened inside it and kept open, and what nsh knows of the links there — the
 * ifindex of each name it made or looked up, and, in namespaces it made itself, the next ifindex
 * to give a link it creates (so that a new link's index is known without asking) — and, once
 * nftables is used there, a libnftables context made inside it.
 */
import { OpError } from '../backend.js';
import { close, O_RDONLY, open } from './libc.js';
import { errorCode } from './errors.js';
import { hostNetnsFd, namedUtsExists, nsPath, NETNS_RUN_DIR, UTS_RUN_DIR } from './netns.js';
import { RtnlSocket, dumpLinks, getLink } from './netlink/index.js';
import { Nft } from './nftables.js';

export class NsHandle {
  private net: number | undefined;
  private uts: number | undefined;
  private sock: RtnlSocket | undefined;
  private nftCtx: Nft | undefined;
  /** ifname → ifindex, for links made or looked up since the last forgetLinks(). */
  readonly links = new Map<string, number>();
  /**
   * In namespaces this process made: the first ifindex free in a new namespace, asked for when an
   * index is first chosen there (a lab that makes no link never looks); undefined elsewhere.
   */
  fresh: (() => number) | undefined;
  /** The next ifindex to choose here, once one has been chosen (or looked for) here. */
  next: number | undefined;

  constructor(readonly name: string) {}

  /** The namespace's fd ('host': the namespace nsh started in); a sentence with a hint when it does not exist. */
  netFd(): number {
    if (this.name === 'host') return hostNetnsFd();
    if (this.net === undefined) {
      try {
        this.net = open(nsPath(NETNS_RUN_DIR, this.name), O_RDONLY);
      } catch (e) {
        if (errorCode(e) === 'ENOENT') {
          throw new OpError(`namespace ${JSON.stringify(this.name)} does not exist`, { hint: `create it first with \`ns ${this.name}\`` });
        }
        throw e;
      }
    }
    return this.net;
  }

  /** The fd of the namespace's own UTS namespace, or undefined when it has none. */
  utsFd(): number | undefined {
    if (this.uts === undefined && this.name !== 'host' && namedUtsExists(this.name)) {
      this.uts = open(nsPath(UTS_RUN_DIR, this.name), O_RDONLY);
    }
    return this.uts;
  }

  socket(): RtnlSocket {
    this.sock ??= RtnlSocket.open(this.netFd());
    return this.sock;
  }

  /** The libnftables context of this namespace (made inside it on first use). */
  nft(): Nft {
    this.nftCtx ??= Nft.open(this.netFd());
    return this.nftCtx;
  }

  /** A namespace just made: its fd and a socket opened inside it are kept. */
  adopt(netFd: number, sock: RtnlSocket): void {
    this.close();
    this.net = netFd;
    this.sock = sock;
  }

  /** The ifindex of `ifname`, from what nsh knows or by asking; a sentence when there is no such interface. */
  index(ifname: string): number {
    const known = this.links.get(ifname);
    if (known !== undefined) return known;
    const link = getLink(this.socket(), ifname);
    if (!link) throw new OpError(`there is no interface ${JSON.stringify(ifname)} in namespace ${JSON.stringify(this.name)}`);
    this.links.set(ifname, link.index);
    return link.index;
  }

  /** An ifindex for a new link (never `avoid`), or undefined where the kernel must choose. */
  choose(avoid?: number): number | undefined {
    if (!this.fresh) return undefined;
    let n = (this.next ??= this.fresh());
    if (n === avoid) n++;
    this.next = n + 1;
    return n;
  }

  /** A chosen index was taken (something else made links here): look at what is there now. */
  resync(): void {
    if (this.fresh) this.next = firstFree(this.socket());
  }

  forgetUts(): void {
    if (this.uts !== undefined) close(this.uts);
    this.uts = undefined;
  }

  /** Closes what the handle holds open. */
  close(): void {
    this.sock?.close();
    this.sock = undefined;
    this.nftCtx?.close();
    this.nftCtx = undefined;
    if (this.net !== undefined) close(this.net);
    this.net = undefined;
    this.forgetUts();
    this.links.clear();
    this.fresh = undefined;
    this.next = undefined;
  }
}

/** The loopback device's ifindex, the same in every network namespace (the kernel's LOOPBACK_IFINDEX). */
const LOOPBACK_INDEX = 1;

/** The handles of every namespace the backend has touched. */
export class NsHandles {
  private readonly all = new Map<string, NsHandle>();
  /** Told of each namespace dropped (a watch holds monitors inside namespaces). */
  private readonly dropListeners = new Set<(ns: string) => void>();
  /** The first ifindex free in a new namespace (after lo, and any tunnel devices the kernel adds). */
  private freshNext: number | undefined;

  get(ns: string): NsHandle {
    let h = this.all.get(ns);
    if (!h) this.all.set(ns, (h = new NsHandle(ns)));
    return h;
  }

  /** The socket of namespace `ns` ('host' included). */
  socket(ns: string): RtnlSocket {
    return this.get(ns).socket();
  }

  netFd(ns: string): number {
    return this.get(ns).netFd();
  }

  utsFd(ns: string): number | undefined {
    return this.get(ns).utsFd();
  }

  /** A namespace just made, with its fd and a socket opened inside it: nsh chooses the ifindexes of its new links. */
  adoptFresh(ns: string, netFd: number, sock: RtnlSocket): void {
    const h = this.get(ns);
    h.adopt(netFd, sock);
    // every new namespace starts with the same devices: look once, in the first where a link is made
    h.fresh = () => (this.freshNext ??= firstFree(h.socket()));
    h.links.set('lo', LOOPBACK_INDEX);
  }

  /** Whether this process made namespace `ns` (and numbers its links). */
  owns(ns: string): boolean {
    return this.all.get(ns)?.fresh !== undefined;
  }

  index(ns: string, ifname: string): number {
    return this.get(ns).index(ifname);
  }

  learn(ns: string, ifname: string, index: number): void {
    this.get(ns).links.set(ifname, index);
  }

  /** Forget the indexes of names (links may have been renamed, moved or deleted): all, or one namespace's. */
  forgetLinks(ns?: string): void {
    if (ns === undefined) for (const h of this.all.values()) h.links.clear();
    else this.all.get(ns)?.links.clear();
  }

  /** Forget a namespace (before it is deleted): what is held open of it is closed. */
  drop(ns: string): void {
    this.all.get(ns)?.close();
    this.all.delete(ns);
    for (const f of this.dropListeners) f(ns);
  }

  /** Calls `f` with each namespace dropped (others holding it open close it too); returns what stops it. */
  onDrop(f: (ns: string) => void): () => void {
    this.dropListeners.add(f);
    return () => this.dropListeners.delete(f);
  }

  closeAll(): void {
    for (const h of this.all.values()) h.close();
    this.all.clear();
  }
}

/** One more than the highest ifindex in the socket's namespace. */
function firstFree(sock: RtnlSocket): number {
  return Math.max(0, ...dumpLinks(sock).map(l => l.index)) + 1;
}
