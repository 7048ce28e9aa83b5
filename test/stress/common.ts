/** Shared by the stress tests: sizes (quick by default, long with NSH_STRESS=1), a seeded RNG, big labs, leftovers. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';

/** NSH_STRESS=1 runs the long versions (`npm run test:stress`). */
export const LONG = process.env['NSH_STRESS'] === '1';

/** quick figure, or the long one under NSH_STRESS=1. */
export function size(quick: number, long: number): number {
  return LONG ? long : quick;
}

/** A seed from NSH_SEED, else a fresh one; printed so a failure can be replayed. */
export function seed(name: string): number {
  const s = process.env['NSH_SEED'] ? Number(process.env['NSH_SEED']) : (Date.now() ^ (process.pid << 8)) >>> 0;
  console.log(`      [${name}] seed ${s} (replay with NSH_SEED=${s})`);
  return s;
}

/** mulberry32: a small deterministic PRNG. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/**
 * How long one nsh run of a stress test may take before it counts as hung. Generous: the
 * kernel serialises link changes and namespace clean-up under one lock (rtnl_lock), and with
 * other labs on the same kernel a `down` was seen blocked in rtnl_dellink for over 60 s.
 */
export const RUN_TIMEOUT_MS = 300_000;

/** The marker of processes a stress lab starts in the background (`sleep 7777`). */
export const JOB_SECONDS = '7777';

/**
 * A lab of `n` namespaces (prefix P, n ≤ 250): a switch namespace with a bridge every namespace
 * is a port of, a veth from each namespace to the host with a default route over it, and a
 * background job every 25 namespaces. `net` (1..250) keeps concurrent labs' addresses apart.
 */
export function bigLab(p: string, n: number, net: number): string {
  const per = Math.min(25, n);
  const groups = Math.ceil(n / per);
  return `# stress lab ${p}: ${n} namespaces
ns ${p}sw
bridge ${p}sw.br0
for g in 0..${groups - 1} {
  for k in 1..${per} {
    let i = \${g * ${per} + k}
    ns ${p}$i
    veth ${p}$i.v0 172.${16 + (net % 16)}.${net}.$i/24 <-> ${p}sw.p$i
    attach ${p}sw.p$i -> ${p}sw.br0
    veth ${p}$i.v1 <-> host.${p}h$i 10.${net}.$i.1/30
    route ${p}$i default via 10.${net}.$i.2
  }
  in ${p}\${g * ${per} + 1} sleep ${JOB_SECONDS} &
}
`;
}

/** Namespaces under /run/netns (cheaper than `ip netns list`, for polling). */
export function netnsNow(): string[] {
  try {
    return fs.readdirSync('/run/netns');
  } catch {
    return [];
  }
}

/** PIDs of the background jobs of stress labs still running. */
export function labJobs(): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      if (cmd[0]?.endsWith('sleep') && cmd[1] === JOB_SECONDS) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

export function assertNoJobs(): void {
  assert.deepEqual(labJobs(), [], 'background processes of the lab left running');
}

/** Ends leftover stress jobs (after a failed test) so the next test starts clean. */
export function killJobs(): void {
  for (const pid of labJobs()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

export async function until(cond: () => boolean, ms: number, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 2));
  }
}
