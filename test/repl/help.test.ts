/** `.help`, from the statement registry. */
import * as assert from 'node:assert/strict';
import { helpAll, helpFor, REPL_COMMANDS } from '../../src/repl/help.js';
import { statements } from '../../src/syntax/statements.js';

describe('REPL help', () => {
  it('lists every statement, "!" and the REPL commands', () => {
    const text = helpAll();
    for (const s of statements) assert.match(text, new RegExp(`\\n  ${s.name} +\\S`), s.name);
    assert.match(text, /\n {2}! +the statement must fail/);
    for (const k of Object.keys(REPL_COMMANDS)) assert.match(text, new RegExp(`\\n  \\.${k} +\\S`), k);
  });

  it('shows a statement with its forms, options and example', () => {
    const text = helpFor('veth')!;
    assert.match(text, /^veth: /);
    assert.match(text, /forms:\n {2}veth NS\.IF \[ADDR…\] <-> NS\.IF \[ADDR…\] \[mtu N\] \[shaping options\]\n/);
    assert.match(text, /options:\n {2}mtu N +the MTU of both ends\n {2}delay TIME +delay what leaves/);
    assert.match(text, /example:\n {2}veth a\.v0 <-> host\.v1 10\.1\.1\.1\/24\n/);
  });

  it('shows "!" and the REPL commands, with or without their dot', () => {
    assert.match(helpFor('!')!, /^!: .*\n\nform:\n {2}! STATEMENT\n/);
    assert.equal(helpFor('.save'), `.save: ${REPL_COMMANDS.save}`);
    assert.equal(helpFor('save'), `.save: ${REPL_COMMANDS.save}`);
    // a statement's name is the statement; with the dot, the command
    assert.match(helpFor('show')!, /^show: the lab/);
    assert.equal(helpFor('.show'), `.show: ${REPL_COMMANDS.show}`);
    assert.equal(helpFor('frobnicate'), undefined);
  });
});
