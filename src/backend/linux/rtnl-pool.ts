/**
 * One rtnetlink socket per namespace, opened inside it on first use and kept open; and the
 * ifindex of each interface name, looked up once per namespace.
 */
import { OpError } from '../backend.js';
import { errorCode } from './errors.js';
import { handles } from './netns.js';
import { RtnlSocket, getLink } from './netlink/index.js';

export class RtnlPool {
  private readonly sockets = new Map<string, RtnlSocket>();

  /** The socket of namespace `ns` ('host' included). */
  socket(ns: string): RtnlSocket {
    let s = this.sockets.get(ns);
    if (!s) {
      s = RtnlSocket.open(netFd(ns));
      this.sockets.set(ns, s);
    }
    return s;
  }

  /** The ifindex of `ifname` in `ns`; a sentence when there is no such interface. */
  index(ns: string, ifname: string): number {
    const link = getLink(this.socket(ns), ifname);
    if (!link) throw new OpError(`there is no interface ${JSON.stringify(ifname)} in namespace ${JSON.stringify(ns)}`);
    return link.index;
  }

  /** Forget a namespace (before it is deleted). */
  drop(ns: string): void {
    this.sockets.get(ns)?.close();
    this.sockets.delete(ns);
  }

  closeAll(): void {
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
  }
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

