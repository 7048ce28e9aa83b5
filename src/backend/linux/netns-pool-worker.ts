/**
 * The worker thread of NetnsPool (netns-pool.ts): makes unnamed network namespaces one after
 * another, each with an rtnetlink socket opened inside (and IPv6 DAD off by default there, as
 * dad.ts says), and publishes their fds in the shared array, until the pool has as many as it
 * asked for or tells it to stop; then it waits for the next run, when the process keeps it. setns()
 * is per thread: this thread enters each new namespace and comes back; the main thread is never moved.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { noDadByDefaultHere, releaseProc } from './dad-default.js';
import { CLONE_NEWNET, O_RDONLY, close, open, setns, unshare } from './libc.js';
import { RtnlSocket } from './netlink/socket.js';
import { AHEAD, ENDED, FAILED, FINISHED, MADE, REMAINING, SLOT, SLOTS_AT, STANDBY, STOP, TAKEN } from './netns-pool-layout.js';

const shared = new Int32Array((workerData as { shared: SharedArrayBuffer }).shared);
const SELF_NET = '/proc/thread-self/ns/net';

/** Makes namespaces until the run's count is made or the main thread says STOP. */
function makeRun(home: number): void {
  while (Atomics.load(shared, STOP) === 0 && Atomics.sub(shared, REMAINING, 1) > 0) {
    // not too far ahead of the main thread: at AHEAD, wait until it has taken half of them (it
    // wakes us then; the timeout is only a safety net)
    if (Atomics.load(shared, MADE) - Atomics.load(shared, TAKEN) >= AHEAD) {
      for (;;) {
        const taken = Atomics.load(shared, TAKEN);
        if (Atomics.load(shared, MADE) - taken <= AHEAD / 2 || Atomics.load(shared, STOP) !== 0) break;
        Atomics.wait(shared, TAKEN, taken, 100);
      }
    }
    if (Atomics.load(shared, STOP) !== 0) break;
    unshare(CLONE_NEWNET);
    let ns: number | undefined;
    let sock: RtnlSocket | undefined;
    let failure: unknown;
    try {
      ns = open(SELF_NET, O_RDONLY);
      noDadByDefaultHere();
      sock = RtnlSocket.open();
    } catch (e) {
      failure = e;
    }
    try {
      setns(home, CLONE_NEWNET);
    } catch (e) {
      failure ??= e; // the thread ends inside the namespace, which goes with it
    }
    if (failure !== undefined || ns === undefined || sock === undefined) {
      sock?.close();
      if (ns !== undefined) close(ns);
      throw failure;
    }
    const i = Atomics.load(shared, MADE);
    const at = SLOTS_AT + (i % AHEAD) * SLOT;
    Atomics.store(shared, at, ns);
    Atomics.store(shared, at + 1, sock.fd);
    Atomics.store(shared, MADE, i + 1);
    Atomics.notify(shared, MADE);
  }
}

/**
 * Runs one after another: in standby until a run's count comes (STANDBY 0), the run, then ENDED
 * FINISHED until the main thread has closed what it did not take and set up the next standby
 * (ENDED 0 again: NetnsPool.close() keeps a worker for the process's next lab), or ends it.
 * Waits without a timeout: terminate() and the process's exit interrupt them.
 */
function run(): void {
  const home = open(SELF_NET, O_RDONLY); // (loads libc's bindings: ready before the count comes)
  parentPort?.postMessage('loaded'); // from now on the pool may end this thread at any time
  try {
    for (;;) {
      while (Atomics.load(shared, STANDBY) === 1 && Atomics.load(shared, STOP) === 0) Atomics.wait(shared, STANDBY, 1);
      try {
        makeRun(home);
      } finally {
        releaseProc();
      }
      Atomics.store(shared, ENDED, FINISHED);
      Atomics.notify(shared, MADE);
      while (Atomics.load(shared, ENDED) === FINISHED) Atomics.wait(shared, ENDED, FINISHED);
    }
  } finally {
    close(home);
  }
}

try {
  run();
} catch {
  Atomics.store(shared, ENDED, FAILED);
}
Atomics.notify(shared, MADE);
