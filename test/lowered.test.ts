/** A run takes the operations its check lowered for the straight-line start of a script, and lowers the rest again. */
import * as assert from 'node:assert/strict';
import { loadText } from '../src/syntax/load.js';
import { checkStatements } from '../src/runtime/check.js';
import { LoweredOps } from '../src/runtime/lowered.js';
import { Interpreter } from '../src/runtime/interpreter.js';
import { DryRunBackend } from '../src/backend/dry-run/dry-run.js';
import type { Op } from '../src/backend/ops.js';
import type { Statement } from '../src/syntax/ast.js';

/** The statements of `text`, checked with a LoweredOps, then run in a dry run: which statements' operations were taken. */
async function taken(text: string): Promise<{ kept: string[]; same: boolean }> {
  const statements = loadText('t.ns', text, '/', { read: () => ({ error: 'none' }) }).program.statements;
  const lowered = new LoweredOps();
  assert.deepEqual(await checkStatements(statements, { env: {}, lowered }), []);
  const kept = new Map<Statement, readonly Op[]>();
  const get = lowered.get.bind(lowered);
  lowered.get = s => {
    const ops = get(s);
    if (ops) kept.set(s, ops);
    return ops;
  };
  const ran: Op[] = [];
  const backend = new DryRunBackend();
  const apply = backend.apply.bind(backend);
  backend.apply = (op => (ran.push(op), apply(op))) as typeof backend.apply;
  assert.deepEqual(await new Interpreter({ backend, mode: 'run', env: {} }).run(statements, undefined, lowered), { ok: true });
  // the ops of a kept statement are the very objects the run handed over
  const same = [...kept.values()].flat().every(op => ran.includes(op));
  return { kept: [...kept.keys()].map(s => s.kind), same };
}

describe('operations lowered by the check, taken by the run', () => {
  it('a straight-line script: every statement', async () => {
    assert.deepEqual(await taken('ns a b\nveth a.v0 <-> b.v0 10.0.0.0/30\nup *.lo\n'), { kept: ['ns', 'veth', 'link-state'], same: true });
  });

  it('up to the first statement that reads a variable, loops or is not a link statement', async () => {
    assert.deepEqual((await taken('ns a\nlet x = b\nns $x\nup *.lo\n')).kept, ['ns']);
    assert.deepEqual((await taken('ns a\nns b$i\nup *.lo\n'.replace('$i', '${1+1}'))).kept, ['ns']);
    assert.deepEqual((await taken('ns a\nfor i in 1..2 { ns n$i }\nup *.lo\n')).kept, ['ns']);
    assert.deepEqual((await taken('ns a b\nin a echo hi\nup *.lo\n')).kept, ['ns']);
  });
});
