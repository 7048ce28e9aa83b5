// Helpers shared by scripts/bench-lab and scripts/bench-startup.
import { spawnSync } from 'node:child_process';
import { cpus, release } from 'node:os';

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const fmtMs = ms => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 100 ? 1 : 0)} ms`);
export const fmtRatio = x => (x === null || x === undefined ? 'n/a' : `${x.toFixed(2)}×`);

/** A plain text table: first column left-aligned, the others right-aligned. */
export function table(head, rows) {
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map(r => String(r[i] ?? '').length)));
  const line = r => r.map((c, i) => (i === 0 ? String(c ?? '').padEnd(w[i]) : String(c ?? '').padStart(w[i]))).join('  ');
  return `${[line(head), w.map(x => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n')}\n`;
}

export function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

export function machineInfo() {
  const ipv = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  return {
    kernel: release(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    node: process.version,
    iproute2: (ipv.stdout ?? '').trim(),
  };
}
