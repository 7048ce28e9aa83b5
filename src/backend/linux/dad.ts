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
import { translate } from './errors.js';
import { withNetns } from './netns.js';

/** /proc/sys/net/* files belong to the namespace of the thread that opens them. */
function writeZero(file: string, of: string): void {
  try {
    fs.writeFileSync(file, '0\n');
  } catch (e) {
    // a kernel without IPv6 (ipv6.disable=1), or a link that went meanwhile: nothing to do
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    // e.g. EMFILE: a sentence about the link, not an internal error
    translate(e, { what: `turn IPv6 duplicate address detection off for ${of}` });
  }
}

/** In a namespace nsh has just made, with this thread inside it: links made there start without DAD. */
export function noDadByDefault(): void {
  writeZero('/proc/sys/net/ipv6/conf/default/accept_dad', 'a new namespace');
}

/** A link (down still) in a namespace nsh did not make: DAD off for it alone. */
export function noDadOn(netFd: number, ifname: string): void {
  withNetns(netFd, () => writeZero(`/proc/sys/net/ipv6/conf/${ifname}/accept_dad`, `interface "${ifname}"`));
}
