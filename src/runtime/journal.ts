/**
 * The lab journal: what a lab made, written ahead of each change (record, act, confirm), so that
 * `nsh down` can remove it even after nsh was killed in the middle of a run. One JSON-lines file
 * per lab under /run/nsh/labs (root-only), appended to and never rewritten while in use.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LabObject } from '../backend/backend.js';

export const JOURNAL_DIR = '/run/nsh/labs';

type Entry =
  | { readonly t: 'intent'; readonly run: string; readonly o: LabObject }
  | { readonly t: 'done'; readonly run: string; readonly o: LabObject }
  /** the operation failed and made nothing: this run's intent is void (another run's record stands) */
  | { readonly t: 'cancel'; readonly run: string; readonly o: LabObject }
  | { readonly t: 'gone'; readonly o: LabObject };

export function objectKey(o: LabObject): string {
  switch (o.kind) {
    case 'netns':
    case 'uts':
      return `${o.kind}:${o.name}`;
    case 'link':
      return `link:${JSON.stringify(o.at)}:${o.ifname}`;
    case 'job':
      return `job:${o.pid}:${o.start ?? ''}`;
    case 'procs':
      return `procs:${o.marker}`;
    case 'mount':
      return `mount:${o.path}`;
    case 'nft':
      return `nft:${JSON.stringify(o.at)}:${o.table}`;
    case 'sysctl':
      // (not the value: the confirmation, which holds it, stands for the intent recorded without it)
      return `sysctl:${JSON.stringify(o.at)}:${o.key}`;
    case 'machine':
      return `machine:${o.name}`;
    case 'tunnel':
      return `tunnel:${o.vni}`;
    case 'qdisc':
      // (not what it was: as for a sysctl)
      return `qdisc:${JSON.stringify(o.at)}:${o.ifname}`;
  }
}

export function labFile(dir: string, lab: string): string {
  return path.join(dir, `${lab}.journal`);
}

export class Journal {
  private constructor(
    readonly lab: string,
    readonly file: string,
    private readonly fd: number,
    /** This run's id: a failed run removes only what it made. */
    readonly run: string,
  ) {}

  /** Opens (creating) the journal of `lab` for appending. */
  static open(lab: string, dir = JOURNAL_DIR): Journal {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
    const file = labFile(dir, lab);
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
    return new Journal(lab, file, fd, `${process.pid}-${Date.now().toString(36)}`);
  }

  /** Confirmations not written yet (confirmLater()): they go with the next write. */
  private pending = '';

  private append(...entries: Entry[]): void {
    const text = this.pending + entries.map(e => `${JSON.stringify(e)}\n`).join('');
    this.pending = '';
    fs.writeSync(this.fd, text);
  }

  /** Writes the confirmations kept back. */
  private flush(): void {
    if (this.pending !== '') this.append();
  }

  /** Before making `o`. */
  record(o: LabObject): void {
    this.append({ t: 'intent', run: this.run, o });
  }

  /** After `o` was made. */
  confirm(o: LabObject): void {
    this.append({ t: 'done', run: this.run, o });
  }

  /**
   * After `o` was made as recorded: written with the next entry (or when the journal is read or
   * closed), one write fewer for each operation in a large lab. Losing it in a crash loses
   * nothing: the record before it holds the same object, which teardown removes as it would a
   * confirmed one. (What is confirmed with more than was recorded, a value to restore, uses
   * confirm().)
   */
  confirmLater(o: LabObject): void {
    this.pending += `${JSON.stringify({ t: 'done', run: this.run, o } satisfies Entry)}\n`;
  }

  /** The operation that was to make `o` failed and made nothing. */
  cancel(o: LabObject): void {
    this.append({ t: 'cancel', run: this.run, o });
  }

  /** After `o` was removed (by `del`, or a teardown). */
  forget(o: LabObject): void {
    this.append({ t: 'gone', o });
  }

  /** After all of `objects` were removed (a teardown): one write for the lot. */
  forgetAll(objects: readonly LabObject[]): void {
    if (objects.length > 0) this.append(...objects.map((o): Entry => ({ t: 'gone', o })));
  }

  /** What this lab holds (intended or made, not removed), in the order it was made; or only one run's. */
  objects(run?: string): LabObject[] {
    this.flush();
    // read through the fd already open: a run that hit the limit on open files must still find
    // what it made, to roll it back (and must not take its journal for empty)
    const size = fs.fstatSync(this.fd).size;
    // the file only grows: what was read is read on from (its whole lines; a last line without
    // its line break, one being written or cut short by a kill, is read again with what follows)
    if (this.read === undefined || size < this.read.upTo) this.read = { upTo: 0, live: new Map() };
    const read = this.read;
    if (size === read.upTo) return pick(read.live, run);
    const buf = Buffer.allocUnsafe(size - read.upTo);
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(this.fd, buf, got, buf.length - got, read.upTo + got);
      if (n === 0) break;
      got += n;
    }
    const whole = buf.lastIndexOf(0x0a, got - 1) + 1;
    addEntries(read.live, buf.toString('utf8', 0, whole));
    read.upTo += whole;
    if (whole === got) return pick(read.live, run);
    return pick(addEntries(new Map(read.live), buf.toString('utf8', whole, got)), run);
  }

  private read: { upTo: number; live: Live } | undefined;

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

export function readObjects(file: string, run?: string): LabObject[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    // no journal: no lab; any other failure must not pass for an empty lab
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return pick(liveObjects(text), run);
}

type Live = Map<string, { o: LabObject; run: string }>;

function liveObjects(text: string): Live {
  return addEntries(new Map(), text);
}

/** `live` after the entries of `text`, one a line. */
function addEntries(live: Live, text: string): Live {
  for (const line of text.split('\n')) {
    if (!line) continue;
    let e: Entry;
    try {
      e = JSON.parse(line) as Entry;
    } catch {
      continue; // a line cut short by a kill: the entry before it stands
    }
    const key = objectKey(e.o);
    if (e.t === 'gone') live.delete(key);
    else if (e.t === 'cancel') {
      if (live.get(key)?.run === e.run) live.delete(key);
    } else if (!live.has(key) || e.t === 'done') live.set(key, { o: e.o, run: e.run });
  }
  return live;
}

function pick(live: Live, run?: string): LabObject[] {
  return [...live.values()].filter(x => run === undefined || x.run === run).map(x => x.o);
}

/** The labs that have a journal. */
export function listLabs(dir = JOURNAL_DIR): string[] {
  try {
    return fs.readdirSync(dir).filter(f => f.endsWith('.journal')).map(f => f.slice(0, -'.journal'.length)).sort();
  } catch {
    return [];
  }
}

/**
 * `BASE-N` for the first N (from 1) that names no lab, taken at once: its journal is made here
 * (O_EXCL), so two runs starting together never share one.
 */
export function freeLabName(base: string, dir = JOURNAL_DIR): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (let n = 1; ; n++) {
    try {
      fs.closeSync(fs.openSync(labFile(dir, `${base}-${n}`), 'wx', 0o600));
      return `${base}-${n}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

export function removeJournal(lab: string, dir = JOURNAL_DIR): void {
  // unlink, not rmSync: node 20's rmSync loads its rimraf code for one file
  try {
    fs.unlinkSync(labFile(dir, lab));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
