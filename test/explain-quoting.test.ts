/**
 * --explain prints shell text, so every value in it must reach the shell as the one word nsh
 * meant: a variable's value, an `in` argument or a file name can never add an option, a command
 * or a line. Checked by running the printed text with a stand-in `ip` that records its argv.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { words } from '../src/backend/explain/shell.js';
import { runCli } from './helpers/run-cli.js';

/** The words sh makes of `text` (printf each one NUL-terminated). */
function shellWords(text: string): string[] {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${text}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const HOSTILE = [
  "a'b",
  '; echo injected',
  '$(echo injected)',
  '`echo injected`',
  '-rf',
  '--help',
  'a b\tc',
  'x\necho injected',
  '"$HOME"',
  '\\',
  '*',
  '~',
  '!',
  '#',
  '',
];

describe('--explain quoting', () => {
  it('a word list reaches sh as the same words, whatever they hold', () => {
    assert.deepEqual(shellWords(words(HOSTILE.filter(w => w !== ''))), HOSTILE.filter(w => w !== ''));
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).filter(s => !s.includes('\0')), { minLength: 1, maxLength: 4 }), argv => {
        assert.deepEqual(shellWords(words(argv)), argv);
      }),
      { numRuns: 150 },
    );
  });

  it('hostile values and a hostile file name run as data, never as shell', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-quote-'));
    try {
      // stand-ins for what the text runs (ip, unshare, nsenter, and mkdir and touch on /run/nsh) that record each call's argv
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      for (const tool of ['ip', 'unshare', 'nsenter', 'mkdir', 'touch']) {
        fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\nprintf '%s\\0' ${tool} "$@" >> "${dir}/calls"\nprintf '\\1\\0' >> "${dir}/calls"\n`, { mode: 0o755 });
      }
      const value = "a'b; echo >PWNED $(echo >PWNED) `echo >PWNED` -rf";
      const file = path.join(dir, 'evil\necho >PWNED\n.ns');
      fs.writeFileSync(file, `let x = "${value.replace(/["\\$]/g, c => `\\${c}`)}"\nns a hostname "$x"\nin a echo $x "-n"\n`);
      const r = await runCli(['--explain', file]);
      assert.equal(r.code, 0, r.stderr);
      execFileSync('bash', ['--norc', '-c', r.stdout], { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` }, encoding: 'utf8' });
      assert.ok(!fs.existsSync(path.join(dir, 'PWNED')), `a value ran as a command:\n${r.stdout}`);
      const calls = fs
        .readFileSync(path.join(dir, 'calls'), 'utf8')
        .split('\x01\0')
        .filter(Boolean)
        .map(c => c.split('\0').slice(0, -1));
      assert.deepEqual(calls.find(c => c.includes('echo'))?.slice(-3), ['echo', value, '-n']);
      assert.ok(
        calls.some(c => c[0] === 'unshare' && c.at(-1) === value),
        `the hostname reaches the shell as one argument: ${JSON.stringify(calls)}`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
