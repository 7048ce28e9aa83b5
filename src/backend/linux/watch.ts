/**
 * Watching a lab for changes (the live view of `nsh web` and the REPL's `.web`): an rtnetlink
 * monitor (netlink/monitor.ts) in the host and in each of the lab's namespaces, read when the
 * kernel says it holds a notification (one poll() shared with the backend's other waits, on a
 * worker thread: sockets.ts's reactor), and /run/netns watched for namespaces made or deleted.
 * Any notification calls onChange, at most once per CHANGE_MS.
 *
 * A socket inside a namespace keeps that namespace (and the links in it) alive, so a namespace
 * that goes has its monitor closed at once: when this backend deletes it (forget(), called
 * before), when /run/netns says it went (another process deleted it), and at the latest at the
 * next look at the lab's namespaces (every RESYNC_MS), which also opens monitors in new ones.
 */
import * as fs from 'node:fs';
import { close, POLLIN } from './libc.js';
import { NETNS_RUN_DIR, nsPath, openNetns } from './netns.js';
import { RtnlMonitor } from './netlink/monitor.js';
import { reactor } from './sockets.js';

/** Notifications closer together than this make one call of onChange. */
const CHANGE_MS = 30;
/** How often the lab's namespaces are looked at again, besides when /run/netns changes. */
const RESYNC_MS = 1000;

interface Followed {
  readonly monitor: RtnlMonitor;
  /** The namespace's inode: a namespace deleted and made again under the same name is another one. */
  readonly ino: number;
  readonly stop: AbortController;
}

export class LabWatch {
  private readonly followed = new Map<string, Followed>();
  private stopped = false;
  private pending: NodeJS.Timeout | undefined;
  private readonly timer: NodeJS.Timeout;
  private dir: fs.FSWatcher | undefined;

  /** `namespaces`: the lab's namespaces now (asked again on every look); the host is always watched. */
  constructor(
    private readonly namespaces: () => readonly string[],
    private readonly onChange: () => void,
  ) {
    this.sync();
    this.timer = setInterval(() => this.sync(), RESYNC_MS);
    this.timer.unref();
    this.watchDir();
  }

  /** A namespace about to be deleted: its monitor is closed now (it would keep the namespace alive). */
  forget(ns: string): void {
    const f = this.followed.get(ns);
    if (!f || ns === 'host') return;
    this.followed.delete(ns);
    f.stop.abort();
    f.monitor.close();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.pending);
    this.dir?.close();
    for (const [ns, f] of this.followed) {
      this.followed.delete(ns);
      f.stop.abort();
      f.monitor.close();
    }
  }

  /** Opens monitors in the lab's namespaces that have none, closes those of namespaces that went. */
  private sync(): void {
    if (this.stopped) return;
    let want: Set<string>;
    try {
      want = new Set(['host', ...this.namespaces()]);
    } catch {
      return; // the lab cannot be read just now: look again later
    }
    const before = this.followed.size;
    let changed = false;
    for (const [ns, f] of [...this.followed]) {
      if (want.has(ns) && stillThere(ns, f)) continue;
      this.forget(ns);
      changed = true;
    }
    for (const ns of want) if (!this.followed.has(ns)) changed = this.follow(ns) || changed;
    // a namespace added to the lab or gone from it is a change too (the first look is not)
    if (changed && before > 0) this.changed();
  }

  /** Opens a monitor in `ns`; false when it cannot (the namespace went meanwhile). */
  private follow(ns: string): boolean {
    let monitor: RtnlMonitor;
    let ino: number;
    try {
      const fd = openNetns(ns === 'host' ? { kind: 'host' } : { kind: 'name', name: ns });
      try {
        ino = fs.fstatSync(fd).ino;
        monitor = RtnlMonitor.open(fd);
      } finally {
        close(fd);
      }
    } catch {
      return false; // gone meanwhile: the next look drops it from the lab
    }
    const f: Followed = { monitor, ino, stop: new AbortController() };
    this.followed.set(ns, f);
    void this.read(ns, f);
    return true;
  }

  /** Reads the monitor each time the kernel queued notifications on it, until it is stopped. */
  private async read(ns: string, f: Followed): Promise<void> {
    const signal = f.stop.signal;
    while (!signal.aborted) {
      const revents = await reactor.wait(f.monitor.fd, POLLIN, Infinity, signal);
      if (signal.aborted) return;
      if (revents === 0) continue;
      try {
        if (f.monitor.read().length > 0) this.changed();
      } catch {
        // the socket failed: drop it (the next look opens another) and say something may have changed
        this.forget(ns);
        this.changed();
        return;
      }
    }
  }

  /** /run/netns: a namespace made or deleted by anyone. */
  private watchDir(): void {
    try {
      this.dir = fs.watch(NETNS_RUN_DIR, { persistent: false }, (_type, name) => {
        if (name) this.forgetIfGone(String(name));
        this.sync();
        this.changed();
      });
      this.dir.on('error', () => this.dir?.close());
    } catch {
      // no /run/netns yet: the periodic look finds new namespaces
    }
  }

  private forgetIfGone(ns: string): void {
    const f = this.followed.get(ns);
    if (f && !stillThere(ns, f)) this.forget(ns);
  }

  private changed(): void {
    if (this.stopped || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      if (!this.stopped) this.onChange();
    }, CHANGE_MS);
  }
}

/** Whether the namespace a monitor was opened in is still the one named so. */
function stillThere(ns: string, f: Followed): boolean {
  if (ns === 'host') return true;
  try {
    return fs.statSync(nsPath(NETNS_RUN_DIR, ns)).ino === f.ino;
  } catch {
    return false;
  }
}
