/** Link shaping (`shape` and veth's shape options): what leaves an interface, delayed, lost, limited. */

export interface Shaping {
  /** Seconds. */
  readonly delay?: number;
  /** Seconds; only with delay. */
  readonly jitter?: number;
  /** Percent, 0-100. */
  readonly loss?: number;
  readonly duplicate?: number;
  /** Percent; only with delay. */
  readonly reorder?: number;
  readonly corrupt?: number;
  /** Bits per second. */
  readonly rate?: number;
  /** Packets the queue holds. */
  readonly limit?: number;
}

/** Rate alone is a token bucket (tbf), which needs no netem; anything else is netem (with its rate inside). */
export function shapingQdisc(s: Shaping): 'tbf' | 'netem' {
  const keys = Object.keys(s).filter(k => s[k as keyof Shaping] !== undefined);
  return keys.length === 1 && keys[0] === 'rate' ? 'tbf' : 'netem';
}

/**
 * tbf's settings for `rate` alone (what `tc … tbf` needs besides the rate): the bucket holds 10 ms
 * of traffic and never less than two full Ethernet frames (tbf drops a packet larger than its
 * bucket), so burst = max(bytes/s ÷ 100, 2 × 1514) bytes; a packet waits at most 50 ms.
 */
export const tbfBurst = (bytesPerSecond: number): number => Math.max(Math.ceil(bytesPerSecond / 100), 2 * 1514);
export const TBF_LATENCY = 0.05;

/** A rate in bytes/s, as tc computes it from bit/s (truncated). */
export const rateBytes = (bits: number): number => Math.trunc(bits / 8);

/** A time as a user writes it: 250us, 10ms, 1.5s. */
export function timeText(seconds: number): string {
  if (seconds !== 0 && seconds < 1e-3) return `${round(seconds * 1e6)}us`;
  if (seconds < 1) return `${round(seconds * 1e3)}ms`;
  return `${round(seconds)}s`;
}

/** A rate as a user writes it: 10mbit, 1.5gbit, 800bit. */
export function rateText(bits: number): string {
  for (const [unit, n] of [['gbit', 1e9], ['mbit', 1e6], ['kbit', 1e3]] as const) if (bits >= n) return `${round(bits / n)}${unit}`;
  return `${round(bits)}bit`;
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/** The shaping in nsh's own words, options in a fixed order: `delay 10ms jitter 2ms loss 1%`. */
export function shapingText(s: Shaping): string {
  const out: string[] = [];
  if (s.delay !== undefined) out.push(`delay ${timeText(s.delay)}`);
  if (s.jitter !== undefined) out.push(`jitter ${timeText(s.jitter)}`);
  for (const k of ['loss', 'duplicate', 'reorder', 'corrupt'] as const) if (s[k] !== undefined) out.push(`${k} ${s[k]}%`);
  if (s.rate !== undefined) out.push(`rate ${rateText(s.rate)}`);
  if (s.limit !== undefined) out.push(`limit ${s.limit}`);
  return out.join(' ');
}
