/**
 * `shape` on the kernel: each endpoint's root qdisc replaced by netem (or by a token bucket, tbf,
 * for a rate alone), or deleted (`off`), through rtnetlink inside the endpoint's namespace, as
 * `tc qdisc replace|del dev IF root` sends it. What each link had is read first: a statement that
 * fails part-way puts back what it changed (so a kernel without netem fails on the first endpoint
 * and changes none), and the op gives it back for the journal to restore at teardown where the
 * link is not the lab's. Also: reading a root qdisc back as nsh's shaping (show), and putting a
 * saved one back (teardown).
 */
import type { Endpoint, LabObject, SavedQdisc } from '../../core/lab.js';
import { shapingQdisc, type Shaping } from '../../core/shape.js';
import { OpError } from '../backend.js';
import type { Handlers, QdiscsReplaced } from '../ops.js';
import type { LinuxContext } from './context.js';
import { errorCode, translate } from './errors.js';
import { getLink, netemReplace, qdiscDeleteRoot, qdiscRestoreRoot, tbfReplace, type NlRequest, type QdiscInfo, type RtnlSocket } from './netlink/index.js';
import { psched, tick2time, time2tick } from './netlink/psched.js';
import { dumpRootQdiscs } from './netlink/query.js';

const NO_NETEM =
  'the kernel has no netem (module sch_netem), which every shaping option but rate needs; rate alone works without it';
const NO_TBF = 'the kernel has no token bucket filter (module sch_tbf), which shaping with rate alone needs';

export function shapeHandlers(x: LinuxContext): Pick<Handlers, 'shape'> {
  return {
    shape: async ({ eps, shaping }) => shapeLinks(x, eps, shaping),
  };
}

/** The request that gives a link at `index` this shaping. */
function request(index: number, s: Shaping): NlRequest {
  if (shapingQdisc(s) === 'tbf') return tbfReplace(index, { rateBps: s.rate! });
  const us = (sec: number | undefined) => (sec === undefined ? undefined : Math.round(sec * 1e6));
  return netemReplace(index, {
    ...(s.delay === undefined ? {} : { delayUs: us(s.delay)! }),
    ...(s.jitter === undefined ? {} : { jitterUs: us(s.jitter)! }),
    ...(s.loss === undefined ? {} : { lossPct: s.loss }),
    ...(s.duplicate === undefined ? {} : { duplicatePct: s.duplicate }),
    ...(s.reorder === undefined ? {} : { reorderPct: s.reorder }),
    ...(s.corrupt === undefined ? {} : { corruptPct: s.corrupt }),
    ...(s.rate === undefined ? {} : { rateBps: s.rate }),
    ...(s.limit === undefined ? {} : { limit: s.limit }),
  });
}

/** A root qdisc as the journal keeps it: the kernel's default (handle 0, or none shown) is `none`. */
function saved(q: QdiscInfo | undefined): SavedQdisc {
  if (!q || q.handle === 0) return 'none';
  return { kind: q.kind === 'other' ? q.name : q.kind, handle: q.handle, options: q.options.toString('base64') };
}

/** The request that puts a saved root qdisc back. */
function restoreRequest(index: number, was: SavedQdisc): NlRequest {
  return was === 'none' ? qdiscDeleteRoot(index) : qdiscRestoreRoot(index, { ...was, options: Buffer.from(was.options, 'base64') });
}

/** A refusal to delete a root qdisc because there is none (the kernel's default is there): nothing to do. */
function noRootQdisc(code: string | undefined): boolean {
  return code === 'ENOENT' || code === 'EINVAL';
}

/**
 * Shapes (or unshapes) every endpoint, in order. What each had is read before anything changes;
 * when one fails, those already changed get back what they had, and the statement fails with
 * the first one's sentence.
 */
export function shapeLinks(x: LinuxContext, eps: readonly Endpoint[], shaping: Shaping | 'off'): QdiscsReplaced {
  const roots = new Map<string, Map<number, QdiscInfo>>();
  const links = eps.map(ep => {
    const index = x.index(ep);
    let inNs = roots.get(ep.ns);
    if (!inNs) roots.set(ep.ns, (inNs = dumpRootQdiscs(x.handles.socket(ep.ns))));
    return { ep, index, was: saved(inNs.get(index)) };
  });
  const done: typeof links = [];
  for (const l of links) {
    const where = `${l.ep.ns}.${l.ep.ifname}`;
    if (shaping === 'off' && l.was === 'none') continue;
    const [r] = x.handles.socket(l.ep.ns).batch([shaping === 'off' ? qdiscDeleteRoot(l.index) : request(l.index, shaping)]);
    if (r!.ok) {
      done.push(l);
      continue;
    }
    if (shaping === 'off' && noRootQdisc(r!.error.code)) continue;
    for (const d of done.reverse()) x.handles.socket(d.ep.ns).batch([restoreRequest(d.index, d.was)]);
    if (shaping !== 'off' && r!.error.code === 'ENOENT') {
      throw new OpError(shapingQdisc(shaping) === 'netem' ? NO_NETEM : NO_TBF, {
        hint: `where the kernel has it as a module, load it: modprobe sch_${shapingQdisc(shaping)}`,
      });
    }
    translate(r!.error, {
      what: shaping === 'off' ? `remove the shaping of ${where}` : `shape ${where}`,
      codes: { ENODEV: `there is no interface ${JSON.stringify(l.ep.ifname)} in namespace ${JSON.stringify(l.ep.ns)}` },
    });
  }
  return { qdiscs: done.map(d => ({ ns: d.ep.ns, ifname: d.ep.ifname, was: d.was })) };
}

/**
 * Teardown of a shaping record: the link's root qdisc put back as it was. Without a record of
 * what it was (nsh was stopped between recording and shaping), a netem or tbf root qdisc — what
 * nsh puts there — is removed and any other left. 'gone': the link (or its namespace) is gone,
 * or there was nothing to do.
 */
export function restoreQdiscAt(x: LinuxContext, o: Extract<LabObject, { kind: 'qdisc' }>): 'removed' | 'gone' {
  if (o.at.kind !== 'name') return 'gone';
  let sock: RtnlSocket;
  try {
    sock = x.handles.socket(o.at.name);
  } catch (e) {
    if (e instanceof OpError) return 'gone'; // the namespace is gone
    throw e;
  }
  const link = getLink(sock, o.ifname);
  if (!link) return 'gone';
  let was = o.was;
  if (was === undefined) {
    const now = dumpRootQdiscs(sock).get(link.index);
    if (now?.kind !== 'netem' && now?.kind !== 'tbf') return 'gone';
    was = 'none';
  }
  try {
    sock.request(restoreRequest(link.index, was));
  } catch (e) {
    if (was === 'none' && noRootQdisc(errorCode(e))) return 'gone';
    throw e;
  }
  return 'removed';
}

/** A time in µs read back from ticks: of the two values that give the same ticks, the one a person writes (250, not 249). */
function wholeUs(us: number | undefined): number | undefined {
  if (us === undefined) return undefined;
  const clock = psched();
  const same = (v: number) => tick2time(clock, time2tick(clock, v)) === us;
  const zeros = (v: number) => (v === 0 ? 0 : /0*$/.exec(String(v))![0].length);
  return same(us + 1) && zeros(us + 1) > zeros(us) ? us + 1 : us;
}

/** A link's root qdisc as nsh's shaping: netem's options, or tbf's rate; undefined for any other qdisc. */
export function shapingOf(q: QdiscInfo | undefined): Shaping | undefined {
  if (q?.kind === 'tbf') return { rate: q.tbf.rateBps };
  if (q?.kind !== 'netem') return undefined;
  const n = q.netem;
  const delay = wholeUs(n.delayUs);
  const jitter = wholeUs(n.jitterUs);
  const s: Shaping = {
    ...(delay === undefined ? {} : { delay: delay / 1e6 }),
    ...(jitter === undefined ? {} : { jitter: jitter / 1e6 }),
    ...(n.lossPct === undefined ? {} : { loss: n.lossPct }),
    ...(n.duplicatePct === undefined ? {} : { duplicate: n.duplicatePct }),
    ...(n.reorderPct === undefined ? {} : { reorder: n.reorderPct }),
    ...(n.corruptPct === undefined ? {} : { corrupt: n.corruptPct }),
    ...(n.rateBps === undefined ? {} : { rate: n.rateBps }),
  };
  // netem always has a limit: shown where it is not tc's default of 1000 (or is all there is)
  return n.limit !== undefined && (n.limit !== 1000 || Object.keys(s).length === 0) ? { ...s, limit: n.limit } : s;
}
