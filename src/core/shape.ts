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
