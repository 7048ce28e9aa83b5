/**
 * Network namespaces made ahead, in parallel. Making a namespace is the kernel's largest single
 * cost in a lab (setup_net: every subsystem's per-namespace state), and it runs in the calling
 * thread. When a script will make many, a worker thread makes unnamed ones (each with its
 * rtnetlink socket, opened inside) while the main thread goes on; `ns NAME` then pins one by a
 * bind mount instead of making it. Nothing is named before the statement that names it runs;
 * an unnamed namespace nobody took goes when its fds are closed (at close(), or when nsh exits).
 */
import type { Worker } from 'node:worker_threads';
import { workerThreads } from './builtins.js';
import { close } from './libc.js';
import { AHEAD, ENDED, FAILED, FINISHED, MADE, REMAINING, SLOT, SLOTS_AT, STANDBY, STOP, TAKEN } from './netns-pool-layout.js';

declare const NSH_BUNDLED: boolean | undefined;

export interface Premade {
  /** an fd of the namespace (opened inside it) */
  readonly nsFd: number;
  /** an rtnetlink socket opened inside it, bound */
  readonly sockFd: number;
}

/**
 * Below this many namespaces a worker does not pay: node takes 100 ms and more to start one (its
 * own start-up, on the other core), in which nsh makes dozens of namespaces itself; a script that
 * looks large has it started in standby before it is parsed (standby()).
 */
export const POOL_MIN = 32;
/**
 * How long take() waits for a worker that has fallen behind: it makes a namespace in well under a
 * millisecond on an idle machine, where the main thread, making its own, takes about 2.5 ms.
 */
const LAG_MS = 2;
const POOL_MAX = 1 << 20;

/** The worker standby() started, or one a closed pool kept, until start() takes it. */
let waiting: NetnsPool | undefined;
/** keep() was called: a worker stays in standby between labs (a library's process). */
let kept = false;

export class NetnsPool {
  private taken = 0;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    private readonly shared: Int32Array,
  ) {}

  /** A pool that makes up to `count` namespaces ahead (the worker started by standby(), if there is one). */
  static start(count: number): NetnsPool {
    const pool = waiting !== undefined && Atomics.load(waiting.shared, ENDED) === 0 ? waiting : NetnsPool.spawn();
    if (waiting !== undefined && waiting !== pool) end(waiting.worker); // (it failed)
    waiting = undefined;
    Atomics.store(pool.shared, REMAINING, Math.min(count, POOL_MAX));
    Atomics.store(pool.shared, STANDBY, 0);
    Atomics.notify(pool.shared, STANDBY);
    return pool;
  }

  /**
   * Starts the worker before the script's count of namespaces is known (while it is parsed and
   * checked), so that node's start of a worker, some 100 ms, is over when the first `ns` runs.
   * It makes nothing until start() gives it the count; a process that never calls start() ends
   * with it (the worker never keeps nsh alive).
   */
  static standby(): void {
    waiting ??= NetnsPool.spawn(true);
  }

  /**
   * A process that builds one lab after another (nsh as a library) keeps a worker from its first
   * lab on, whatever the lab's size: node takes 100 ms and more to start one, and a worker kept in
   * standby costs nothing but its memory; a pool that closes gives its worker back. The CLI, one
   * lab a process, does not.
   */
  static keep(): void {
    kept = true;
    NetnsPool.standby();
  }

  /**
   * standby() when a script's text will make at least POOL_MIN namespaces as far as its `ns`
   * lines tell (a loop's are not counted: such a script's pool starts when it runs, as before;
   * nor are `ns … on MACHINE`: another machine makes those).
   */
  static standbyFor(text: string): void {
    if ((text.match(/^[ \t]*ns[ \t](?![^\n#]*[ \t]on[ \t])/gm)?.length ?? 0) >= POOL_MIN) NetnsPool.standby();
  }

  /**
   * Stops a worker started by standby() that no lab took (the script turned out small). It made
   * nothing, so nothing is waited for: it may still be starting.
   */
  static dismiss(): void {
    if (!waiting || kept) return;
    const { shared, worker } = waiting;
    waiting = undefined;
    Atomics.store(shared, STOP, 1);
    Atomics.notify(shared, STANDBY);
    end(worker);
  }

  private static spawn(standby = false): NetnsPool {
    const shared = new Int32Array(new SharedArrayBuffer((SLOTS_AT + AHEAD * SLOT) * 4));
    shared[STANDBY] = standby ? 1 : 0;
    // bundled: this code is in dist/chunks/, the worker in dist/; built by tsc: side by side
    const file = typeof NSH_BUNDLED !== 'undefined' ? '../netns-pool-worker.cjs' : './netns-pool-worker.js';
    // stdout/stderr: the worker's own streams, never piped into this thread's: it writes nothing
    // (a failure comes as an 'error' event), and piping them would make this thread's
    // process.stdout and process.stderr, which the CLI otherwise never makes (some 3 ms)
    const worker = new (workerThreads().Worker)(new URL(file, import.meta.url), { workerData: { shared: shared.buffer }, stdout: true, stderr: true });
    // it keeps nsh alive only until it has loaded its native code, which must not be cut off (end())
    worker.once('message', () => {
      loaded.add(worker);
      worker.unref();
      if (toEnd.has(worker)) void worker.terminate();
    });
    worker.on('error', () => Atomics.store(shared, ENDED, FAILED));
    return new NetnsPool(worker, shared);
  }

  /**
   * A namespace made ahead, or undefined: then the caller makes its own (and the worker one
   * fewer). Waits up to LAG_MS for a worker that is under way, and for as long as it takes when
   * the worker is already making the last one it will make.
   */
  take(): Premade | undefined {
    if (this.closed) return undefined;
    const s = this.shared;
    if (this.taken < Atomics.load(s, MADE)) return this.take1();
    if (Atomics.load(s, ENDED) !== 0) return undefined;
    // a worker under way (it has made one) has the next soon: waited for a little, as making one
    // here costs this thread more, and both threads then wait for the kernel's locks
    const made = Atomics.load(s, MADE);
    if (made > 0 && Atomics.wait(s, MADE, made, LAG_MS) !== 'timed-out' && this.taken < Atomics.load(s, MADE)) return this.take1();
    if (Atomics.sub(s, REMAINING, 1) > 0) return undefined;
    // (a worker that died unseen cannot hold the statement up for long)
    for (const until = Date.now() + 5000; Date.now() < until; ) {
      const made = Atomics.load(s, MADE);
      if (this.taken < made) return this.take1();
      if (Atomics.load(s, ENDED) !== 0) return undefined;
      Atomics.wait(s, MADE, made, 50);
    }
    return undefined;
  }

  private take1(): Premade {
    const p = this.slot(this.taken++);
    Atomics.store(this.shared, TAKEN, this.taken);
    // A worker AHEAD in front waits; it is woken when half of those are taken, not at each one
    // (a wake-up costs the main thread about 0.1 ms here).
    if (Atomics.load(this.shared, MADE) - this.taken === AHEAD / 2) Atomics.notify(this.shared, TAKEN);
    return p;
  }

  private slot(i: number): Premade {
    const at = SLOTS_AT + (i % AHEAD) * SLOT; // a ring: the worker never gets AHEAD in front
    return { nsFd: this.shared[at]!, sockFd: this.shared[at + 1]! };
  }

  /**
   * Stops the worker and closes what nobody took: those namespaces go. A process that keep()s a
   * worker has it back in standby for its next lab (unless another is waiting already).
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const s = this.shared;
    Atomics.store(s, STOP, 1);
    Atomics.notify(s, TAKEN);
    Atomics.notify(s, STANDBY);
    // the worker finishes the namespace it is making (a few ms), then ends its run
    const until = Date.now() + 2000;
    while (Atomics.load(s, ENDED) === 0 && Date.now() < until) Atomics.wait(s, MADE, Atomics.load(s, MADE), 20);
    for (let i = this.taken, made = Atomics.load(s, MADE); i < made; i++) {
      const p = this.slot(i);
      for (const fd of [p.sockFd, p.nsFd]) {
        try {
          close(fd);
        } catch {
          /* closed already */
        }
      }
    }
    const unused = Atomics.load(s, MADE) - this.taken;
    if (process.env.NSH_DEBUG) {
      process.stderr.write(`nsh: debug: ${this.taken} namespaces made ahead were used, ${unused} not\n`);
    }
    if (kept && waiting === undefined && Atomics.load(s, ENDED) === FINISHED) {
      // back to standby: the counters of a new run, then the worker is let go on (run() in the worker)
      for (const at of [REMAINING, MADE, TAKEN, STOP]) Atomics.store(s, at, 0);
      Atomics.store(s, STANDBY, 1);
      Atomics.store(s, ENDED, 0);
      Atomics.notify(s, ENDED);
      waiting = new NetnsPool(this.worker, s);
      return;
    }
    end(this.worker);
  }
}

/** Workers that have loaded their native code (koffi), and those to end as soon as they have. */
const loaded = new WeakSet<Worker>();
const toEnd = new WeakSet<Worker>();

/**
 * Ends a worker, once it has loaded koffi: a worker cut off while node loads a native addon
 * (terminate(), or the process's exit) aborts the whole process (koffi throws into a thread that
 * is being stopped, a fatal error).
 */
function end(worker: Worker): void {
  if (loaded.has(worker)) void worker.terminate();
  else toEnd.add(worker);
}
