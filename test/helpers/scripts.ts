/** Every nsh script of the repository: the examples and the golden inputs (their texts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export function allScripts(): string[] {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ns')) texts.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(root, 'examples'));
  walk(path.join(root, 'test/golden'));
  return texts;
}
