/** Links, addresses and routes, through the rtnetlink socket of each namespace. */
import type { Cidr, Endpoint } from '../backend.js';
import type { Handlers, OpOf } from '../ops.js';
import { byNamespace, describeRef, pidOf, type LinuxContext } from './context.js';
import { noDadOn } from './dad.js';
import { translate, unsupported, type Doing } from './errors.js';
import { lanJoin, lanLeave } from './nat.js';
import { checkFiltering, NO_BRIDGE_VLANS, NO_BRIDGE_VLANS_HINT, setPortVlans } from './bridge-vlans.js';
import { hostNetnsFd } from './netns.js';
import { shapeLinks } from './shape.js';
import {
  AF_INET, AF_INET6, addrAdd, addrDel, bridgeCreate, getLink, IFINFOMSG_LEN, IFLA_LINK, linkDelete, linkMove,
  linkSetMaster, linkSetUp, macvlanCreate, messageU32, parseIfinfomsg, routeAdd, routeDel, vethCreate, type NlRequest, type VethEnd,
} from './netlink/index.js';

const q = JSON.stringify;

type LinkHandlers = Pick<Handlers, 'link-del' | 'veth' | 'bridge' | 'macvlan' | 'attach' | 'addr' | 'link-state' | 'move' | 'route'>;

export function linkHandlers(x: LinuxContext): LinkHandlers {
  const attach = (ports: readonly Endpoint[], br: Endpoint): void => {
    if (ports.length === 0) return;
    const master = x.index(br);
    const reqs = ports.map(p => linkSetMaster(p.ifname, master));
    x.send(br.ns, reqs, i => ({
      what: `attach ${ports[i]!.ns}.${ports[i]!.ifname} to ${br.ns}.${br.ifname}`,
      codes: {
        ENODEV: `there is no interface ${q(ports[i]!.ifname)} in namespace ${q(br.ns)}`,
        EINVAL: `${br.ns}.${br.ifname} is not a bridge`,
        EOPNOTSUPP: `${br.ns}.${br.ifname} is not a bridge`,
        ENOTSUP: `${br.ns}.${br.ifname} is not a bridge`,
        EBUSY: `${ports[i]!.ns}.${ports[i]!.ifname} is already a port of another bridge`,
      },
    }));
  };

  const addr = (ep: Endpoint, addrs: readonly Cidr[], del: boolean): void => {
    if (addrs.length === 0) return;
    x.sendAbout(ep, index => addrs.map(c => (del ? addrDel(index, c) : addrAdd(index, c, { nodad: true }))), addrDoing(ep, addrs, del));
  };

  const upWithAddrs = (end: { ep: Endpoint; addrs: readonly Cidr[] }): void => bringUp(x, end);

  return {
    'link-del': async ({ ep }) => {
      x.send(ep.ns, [linkDelete(ep.ifname)], () => ({
        what: `delete ${ep.ns}.${ep.ifname}`,
        codes: { ENODEV: `there is no interface ${q(ep.ifname)} in namespace ${q(ep.ns)}` },
      }));
      x.handles.forgetLinks(); // a veth's other end went too, wherever it was
      lanLeave(x, ep.ns, [ep.ifname]);
    },

    veth: async s => {
      // Of a pair's two ends, the one that comes up first has its carrier (and with it its IPv6
      // set-up, whose route insertion grows with the links in its namespace) handled by a kernel
      // worker, in parallel; the second one's is handled in nsh's own thread. So when the peer is in
      // a namespace nsh did not make (the host, crowded with a lab's links), the peer comes up
      // first; otherwise the main end is made up at creation. (In a large lab, what comes up after
      // creation is written behind: see write-behind.ts.)
      // A main end in a namespace nsh did not make is made down too: it comes up once its IPv6
      // DAD is off (dad.ts).
      const peerFirst = x.handles.owns(s.left.ns) && !x.handles.owns(s.right.ns);
      const mainUp = !peerFirst && x.handles.owns(s.left.ns);
      const { main, peer } = createVeth(x, s, mainUp);
      try {
        for (const end of [main, peer]) if (end.index !== undefined) x.handles.learn(end.ep.ns, end.ep.ifname, end.index);
        for (const end of [main, peer]) if (!x.handles.owns(end.ep.ns)) noDadOn(x.handles.netFd(end.ep.ns), end.ep.ifname);
        if (peerFirst) {
          upWithAddrs(peer);
          upWithAddrs(main);
        } else {
          if (mainUp) addr(main.ep, main.addrs, false);
          else upWithAddrs(main);
          // the kernel cannot open the peer before the pair is joined: it comes up now
          upWithAddrs(peer);
        }
        if (s.shape) shapeLinks(x, [s.left, s.right], s.shape);
        if (x.behind) x.behind.pair(s.left, s.right);
        else x.carrierPending([s.left, s.right]);
        for (const ep of [s.left, s.right]) lanJoin(x, ep.ns, [ep.ifname]);
      } catch (e) {
        // made nothing: deleting one end deletes the pair
        x.handles.socket(s.left.ns).batch([linkDelete(s.left.ifname)]);
        x.handles.forgetLinks();
        throw e;
      }
    },

    bridge: async ({ br, ports, vlanFiltering }) => {
      const h = x.handles.get(br.ns);
      // (in a namespace nsh did not make, it comes up once its IPv6 DAD is off: dad.ts)
      const ours = x.handles.owns(br.ns);
      const [r, { index }] = x.createLinks(br.ns, [br.ns], () => {
        const index = h.choose();
        const opts = index === undefined ? { group: x.linkGroup, echo: true } : { index };
        return { req: bridgeCreate(br.ifname, { up: ours, ...opts, ...(vlanFiltering ? { vlanFiltering } : {}) }), chosen: index !== undefined, index };
      });
      if (!r.ok) {
        translate(r.error, {
          what: `create bridge ${br.ns}.${br.ifname}`,
          codes: {
            EEXIST: `interface ${q(br.ifname)} already exists in namespace ${q(br.ns)}`,
            ...(vlanFiltering ? unsupported(`cannot make ${br.ns}.${br.ifname} filter VLANs: ${NO_BRIDGE_VLANS}`) : {}),
          },
          ...(vlanFiltering ? { hints: unsupported(NO_BRIDGE_VLANS_HINT) } : {}),
        });
      }
      const made = index ?? (r.ok && r.echo ? parseIfinfomsg(r.echo.body).index : undefined);
      if (made !== undefined) x.handles.learn(br.ns, br.ifname, made);
      try {
        if (!ours) {
          noDadOn(x.handles.netFd(br.ns), br.ifname);
          x.send(br.ns, [linkSetUp(br.ifname, true)], () => ({ what: `bring ${br.ns}.${br.ifname} up` }));
        }
        attach(ports, br);
        if (ports.length > 0) x.carrierPending([br]);
        lanJoin(x, br.ns, [br.ifname]);
      } catch (e) {
        x.handles.socket(br.ns).batch([linkDelete(br.ifname)]);
        x.handles.forgetLinks(br.ns);
        throw e;
      }
    },

    macvlan: async ({ parent, target, mode, addrs }) => {
      const lower = x.index(parent);
      const h = x.handles.get(target.ns);
      const [r, { index }] = x.createLinks(parent.ns, [target.ns], () => {
        const index = h.choose();
        const req = macvlanCreate(lower, mode, {
          name: target.ifname,
          ...(target.ns === parent.ns ? {} : { netns: { fd: x.handles.netFd(target.ns) } }),
          ...(index === undefined ? { group: x.linkGroup } : { index }),
        });
        return { req, chosen: index !== undefined, index };
      });
      const where = `${parent.ns}.${parent.ifname}`;
      if (!r.ok) {
        translate(r.error, {
          what: `create the macvlan ${target.ns}.${target.ifname} on ${where}`,
          codes: {
            EEXIST: `interface ${q(target.ifname)} already exists in namespace ${q(target.ns)}`,
            EBUSY: `${where} cannot take a macvlan: it is a port of a bridge (or of another device that takes its packets)`,
            EINVAL: `${where} cannot take this macvlan: it must be an Ethernet link (not a loopback), and a macvlan in passthru mode must be its only one`,
          },
        });
      }
      finishLink(x, target, index, addrs);
    },

    attach: async ({ ports, br, vlans }) => {
      if (vlans) checkFiltering(x, br);
      attach(ports, br);
      if (vlans) setPortVlans(x, ports, br, vlans);
    },

    addr: async ({ ep, addrs, del }) => {
      addr(ep, addrs, del);
      // an address added to a link that is up is tentative until the kernel's address worker runs
      if (!del) x.addressesPending([ep]);
    },

    'link-state': async ({ eps, up }) => {
      for (const [ns, list] of byNamespace(eps)) {
        const reqs = list.map(ep => linkSetUp(ep.ifname, up));
        const doing = (i: number) => ({
          what: `bring ${ns}.${list[i]!.ifname} ${up ? 'up' : 'down'}`,
          codes: { ENODEV: `there is no interface ${q(list[i]!.ifname)} in namespace ${q(ns)}` },
        });
        if (x.behind) x.behind.add(ns, reqs, doing, x.origin);
        else x.send(ns, reqs, doing);
      }
      if (up) {
        x.carrierPending(eps);
        x.addressesPending(eps);
      }
    },

    move: async ({ ep, to, newName }) => {
      const index = x.index(ep);
      x.handles.forgetLinks(); // the link leaves; where it lands it may get another index
      const target = to.kind === 'pid' ? { pid: pidOf(to.pid) } : undefined;
      const fds = target ? undefined : x.fds(to);
      const fd = to.kind === 'name' && to.name === 'host' ? hostNetnsFd() : fds?.net;
      try {
        const name = newName ?? ep.ifname;
        x.send(ep.ns, [linkMove(index, target ?? { fd: fd! }, newName)], () => ({
          what: `move ${ep.ns}.${ep.ifname} to ${describeRef(to)}`,
          codes: {
            EEXIST: `${describeRef(to)} already has an interface ${q(name)}`,
            ESRCH: `there is no process ${String(to.kind === 'pid' ? pidOf(to.pid) : '')}`,
          },
          hints: { EEXIST: 'give it another name: move … as NEWNAME' },
        }));
        lanLeave(x, ep.ns, [ep.ifname]);
        if (to.kind === 'name') lanJoin(x, to.name, [name]);
        // it arrives down, with its new namespace's IPv6 settings: in one nsh did not make, DAD is
        // turned off for it before anything brings it up (dad.ts)
        if (!(to.kind === 'name' && x.handles.owns(to.name))) {
          const into = fds ?? x.fds(to); // (a pid's namespace is opened now)
          try {
            noDadOn(into.net ?? hostNetnsFd(), name);
          } finally {
            if (into !== fds) into.close?.();
          }
        }
      } finally {
        fds?.close?.();
      }
    },

    route: async r => {
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
        what: `${r.del ? 'delete' : 'add'} the route to ${dest} in namespace ${q(r.ns)}`,
        codes: {
          EEXIST: `namespace ${q(r.ns)} already has a route to ${dest}`,
          ESRCH: `namespace ${q(r.ns)} has no route to ${dest}`,
          ENETUNREACH: `gateway ${r.via} is not on a network of namespace ${q(r.ns)}`,
        },
        hints: { ENETUNREACH: 'give an interface of the namespace an address in the gateway\'s network first' },
      });
      if (r.dev === undefined) x.send(r.ns, request(undefined), doing);
      else x.sendAbout({ ns: r.ns, ifname: r.dev }, request, doing);
    },
  };
}

/**
 * A link just made (numbered `index` where nsh chose it) comes up with its addresses and joins
 * the lab's NAT set there; if that fails, it is deleted again.
 */
export function finishLink(x: LinuxContext, ep: Endpoint, index: number | undefined, addrs: readonly Cidr[]): void {
  if (index !== undefined) x.handles.learn(ep.ns, ep.ifname, index);
  try {
    bringUp(x, { ep, addrs });
    x.carrierPending([ep]);
    lanJoin(x, ep.ns, [ep.ifname]);
  } catch (e) {
    x.handles.socket(ep.ns).batch([linkDelete(ep.ifname)]);
    x.handles.forgetLinks(ep.ns);
    throw e;
  }
}

/** Brings a new link up with its addresses, in one batch (written behind in a large lab). */
function bringUp(x: LinuxContext, end: { ep: Endpoint; addrs: readonly Cidr[] }): void {
  const up = linkSetUp(end.ep.ifname, true);
  const make = (index: number) => [...end.addrs.map(c => addrAdd(index, c, { nodad: true })), up];
  const doing = addrDoing(end.ep, end.addrs, false);
  // (without addresses the index is not needed: `up` names the link)
  if (x.behind) x.behind.add(end.ep.ns, make(end.addrs.length === 0 ? 0 : x.index(end.ep)), doing, x.origin);
  else if (end.addrs.length === 0) x.send(end.ep.ns, make(0), doing);
  else x.sendAbout(end.ep, make, doing);
}

/** What an address request was doing, for its error sentence. */
function addrDoing(ep: Endpoint, addrs: readonly Cidr[], del: boolean): (i: number) => Doing {
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

interface VethEndPlan {
  ep: Endpoint;
  addrs: readonly Cidr[];
  index: number | undefined;
}

/**
 * Creates the pair, each end directly in its namespace (the main end up when `mainUp`), and
 * tells the ends' ifindexes. Between two namespaces it made, nsh chooses both (apart: see
 * veth; the kernel takes a peer's chosen index only when the main end's is chosen too).
 * Otherwise the kernel numbers them and sends the main end back (NLM_F_ECHO), whose IFLA_LINK
 * is the peer's index (absent when equal). Links outside nsh's namespaces join its link group.
 */
function createVeth(x: LinuxContext, s: OpOf<'veth'>, mainUp: boolean): Record<'main' | 'peer', VethEndPlan> {
  const [r, p] = x.createLinks(s.left.ns, [s.left.ns, s.right.ns], () => {
    let li = x.handles.get(s.left.ns).choose();
    const ri = li === undefined ? undefined : x.handles.get(s.right.ns).choose(li);
    if (ri === undefined) li = undefined;
    const main: VethEndPlan = { ep: s.left, addrs: s.leftAddrs, index: li };
    const peer: VethEndPlan = { ep: s.right, addrs: s.rightAddrs, index: ri };
    const end = (e: VethEndPlan, up: boolean): VethEnd => ({
      name: e.ep.ifname,
      netns: { fd: x.handles.netFd(e.ep.ns) },
      up,
      // one queue each: a veth uses one, and the kernel trims the rest (one per CPU) with an RCU
      // grace period per end, waited for under the lock all link changes take
      queues: 1,
      ...(s.mtu === undefined ? {} : { mtu: s.mtu }),
      ...(e.index === undefined ? { group: x.linkGroup } : { index: e.index }),
    });
    return { req: vethCreate(end(main, mainUp), end(peer, false), { echo: li === undefined }), chosen: li !== undefined, main, peer };
  });
  if (!r.ok) {
    // say which end is in the way
    const taken = [s.left, s.right].find(ep => getLink(x.handles.socket(ep.ns), ep.ifname)) ?? s.left;
    translate(r.error, {
      what: `create the veth pair ${s.left.ns}.${s.left.ifname} <-> ${s.right.ns}.${s.right.ifname}`,
      codes: { EEXIST: `interface ${q(taken.ifname)} already exists in namespace ${q(taken.ns)}` },
    });
  }
  const { main, peer } = p;
  if (!p.chosen && r.ok && r.echo) {
    main.index = parseIfinfomsg(r.echo.body).index;
    peer.index = messageU32(r.echo, IFINFOMSG_LEN, IFLA_LINK) ?? main.index;
  }
  return { main, peer };
}
