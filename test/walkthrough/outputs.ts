/** Readers of the walkthrough's outputs: `info` blocks and `ls -l /proc/$$/ns` listings. */
import * as fs from 'node:fs';

/** `type  type:[inode]` lines of `info` blocks, in order: one map per `info`. */
export function infoBlocks(out: string): Record<string, string>[] {
  const blocks: Record<string, string>[] = [];
  let current: Record<string, string> | undefined;
  for (const line of out.split('\n')) {
    const m = /^(\w+)\s+\1:\[(\d+)\]$/.exec(line);
    if (!m) {
      current = undefined;
      continue;
    }
    // a kind seen again starts the next block (two `info` one after the other)
    if (!current || m[1]! in current) blocks.push((current = {}));
    current[m[1]!] = m[2]!;
  }
  return blocks;
}

/** `ls -l /proc/$$/ns` listings, in order: one map per listing. */
export function lsBlocks(out: string): Record<string, string>[] {
  return out.split(/^total 0$/m).slice(1).map(chunk => {
    const ids: Record<string, string> = {};
    for (const m of chunk.matchAll(/ (\w+) -> \1:\[(\d+)\]$/gm)) ids[m[1]!] = m[2]!;
    return ids;
  });
}

/** The inode of this process's namespace of a kind. */
export function ownNamespace(kind: string): string {
  return /\[(\d+)\]/.exec(fs.readlinkSync(`/proc/self/ns/${kind}`))![1]!;
}
