/**
 * The live view and the pictures read a lab through the Backend interface: nothing the REPL, the
 * graph or the web modules import (statically or when a command loads it), directly or through
 * other modules, is the Linux backend's. Only the command line chooses it (lab-commands.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../graph/golden-files.js';

const src = path.join(repoRoot, 'src');

/** The modules of src/ that `file` imports, by path (type-only imports left out: they load nothing). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [
    ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'";]*?from\s+'([^']+)'/gm)].map(m => m[1]!),
    ...[...text.matchAll(/^\s*import\s+'([^']+)'/gm)].map(m => m[1]!),
    ...[...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map(m => m[1]!),
  ];
  return specs.filter(s => s.startsWith('.')).map(s => path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')));
}

/** Every module reachable from `roots`, with the chain that reaches it. */
function reachable(roots: readonly string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue = roots.map(r => [r]);
  while (queue.length > 0) {
    const chain = queue.shift()!;
    const file = chain.at(-1)!;
    if (seen.has(file) || !fs.existsSync(file)) continue;
    seen.set(file, chain);
    for (const next of importsOf(file)) queue.push([...chain, next]);
  }
  return seen;
}

const rel = (f: string) => path.relative(src, f);

describe('imports: the REPL, the pictures and the live view stay above the Linux backend', () => {
  for (const dir of ['repl', 'graph', 'web']) {
    it(`nothing src/${dir}/ loads is under src/backend/linux/`, () => {
      const roots = fs.readdirSync(path.join(src, dir)).filter(f => f.endsWith('.ts')).map(f => path.join(src, dir, f));
      const linux = [...reachable(roots)].filter(([f]) => rel(f).startsWith('backend/linux/'));
      assert.deepEqual(linux.map(([, chain]) => chain.map(rel).join(' -> ')), []);
    });
  }
});
