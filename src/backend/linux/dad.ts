/**
 * IPv6 duplicate address detection, off for the links nsh makes, so their link-local addresses
 * are usable at once (the addresses nsh adds carry IFA_F_NODAD already). While a link-local
 * address is tentative (about 1 s after its link gets a carrier) it cannot be the source of a
 * neighbour solicitation: a router cannot resolve the next hop of what it forwards, and the first
 * pings through it are lost.
 *
 * A link takes accept_dad from its namespace's `default` when it is made (or moved in). In the
 * namespaces nsh makes, `default` is set as they are made; in any other (the host, a namespace
 * nsh did not make) only the link's own setting is written, before it comes up: the `default`
 * of a namespace that is not the lab's is never changed.
 */
import * as fs from 'node:fs';
import { noDadByDefaultHere, writeZero } from './dad-default.js';
import { translate } from './errors.js';
import { AF_INET6, addrDump, IFA_F_DADFAILED, IFA_F_TENTATIVE, parseIfaddrmsg, RTM_NEWADDR, type RtnlSocket } from './netlink/index.js';
import { hostNetnsFd, withNetns } from './netns.js';

/** /proc/sys/net/* files belong to the namespace of the thread that opens them. */
function writeZeroAbout(file: string, of: string): void {
  try {
    writeZero(file);
  } catch (e) {
    failed(e, of);
  }
}

/** e.g. EMFILE: a sentence about the link, not an internal error. */
function failed(e: unknown, of: string): never {
  translate(e, { what: `turn IPv6 duplicate address detection off for ${of}` });
}

/** In a namespace nsh has just made, with this thread inside it: links made there start without DAD. */
export function noDadByDefault(): void {
  try {
    noDadByDefaultHere();
  } catch (e) {
    failed(e, 'a new namespace');
  }
}

/** A link (down still) in a namespace nsh did not make: DAD off for it alone. */
export function noDadOn(netFd: number, ifname: string): void {
  const of = `interface "${ifname}"`;
  if (netFd !== hostNetnsFd()) {
    withNetns(netFd, () => writeZeroAbout(`/proc/sys/net/ipv6/conf/${ifname}/accept_dad`, of));
    return;
  }
  // The host's, through its conf directory held open: every namespace adds an entry of the same
  // name under /proc/sys ("net"), which the kernel compares one by one on each lookup of a path
  // from there, so a lab's host ends would cost it O(N²) comparisons.
  const conf = hostConfDir(of);
  if (conf !== null) writeZeroAbout(`/proc/self/fd/${conf}/${ifname}/accept_dad`, of);
}

/** An fd of the host's /proc/sys/net/ipv6/conf (opened once, kept), or null without IPv6. */
let hostConf: number | null | undefined;
function hostConfDir(of: string): number | null {
  if (hostConf === undefined) {
    try {
      hostConf = withNetns(hostNetnsFd(), () => fs.openSync('/proc/sys/net/ipv6/conf', 'r'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') failed(e, of);
      hostConf = null;
    }
  }
  return hostConf;
}

const nap = new Int32Array(new SharedArrayBuffer(4));

/**
 * An IPv6 address is tentative from when it is added (or its link comes up again) until the
 * kernel's address worker has run for it — even with DAD off or IFA_F_NODAD; on a busy machine
 * that can be later than a ping's first probe, whose neighbour solicitation then goes unanswered.
 * Waits until no IPv6 address of these links is tentative; bounded, as an address doing real DAD
 * (on a link nsh did not make) takes a second or more.
 */
export function untilNotTentative(sock: RtnlSocket, indexes: ReadonlySet<number>, limitMs = 2000): void {
  const end = Date.now() + limitMs;
  while (tentative(sock, indexes) && Date.now() < end) Atomics.wait(nap, 0, 0, 5);
}

/**
 * Whether an IPv6 address of these links is tentative. Only the fixed header of each address is
 * read: both flags are in its 8 bits of ifa_flags (the attributes are not decoded).
 */
function tentative(sock: RtnlSocket, indexes: ReadonlySet<number>): boolean {
  return sock.dump(addrDump(AF_INET6)).some(m => {
    if (m.type !== RTM_NEWADDR) return false;
    const a = parseIfaddrmsg(m.body);
    return indexes.has(a.index) && (a.flags & IFA_F_TENTATIVE) !== 0 && (a.flags & IFA_F_DADFAILED) === 0;
  });
}
