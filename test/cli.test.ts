/** The command line through bin/nsh (the bundle in dist/): exit codes, messages, no stack traces. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const nsh = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/nsh');

function run(args: string[], input = '') {
  const r = spawnSync(nsh, args, { encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const hello = path.resolve(path.dirname(nsh), '../examples/hello.ns');

describe('bin/nsh', () => {
  it('reports the contract example error in section-5 form and exits 2', () => {
    const r = run(['-e', 'veth a.averyveryverylongname <-> host.v1']);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      [
        '-e:1:8: error: interface name "averyveryverylongname" is 21 characters; Linux allows at most 15',
        '  1 | veth a.averyveryverylongname <-> host.v1',
        '    |        ^^^^^^^^^^^^^^^^^^^^^',
        '',
      ].join('\n'),
    );
  });

  it('prints --help and --version', () => {
    assert.match(run(['--help']).stdout, /usage:/);
    assert.match(run(['--version']).stdout, /^nsh \d+\.\d+\.\d+/);
  });

  it('exits 2 on a usage error, with one line and a pointer to --help', () => {
    const r = run(['--bogus']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^nsh: unknown option --bogus\nTry 'nsh --help'.\n$/);
  });

  it('exits 2 when the script cannot be read', () => {
    const r = run(['check', '/nonexistent/lab.ns']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read \/nonexistent\/lab.ns: no such file/);
  });

  it('names the command a mistyped one was meant to be, rather than reading it as a script', () => {
    for (const [args, near] of [[['chek', hello], 'check'], [['dwon'], 'down'], [['shwo', 'lab'], 'show']] as const) {
      const r = run([...args]);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `nsh: no command or script ${args[0]}; did you mean nsh ${near}?\nTry 'nsh --help'.\n`);
    }
  });

  it('explains inline text', () => {
    const r = run(['--explain', '-e', 'ns a; veth a.v0 <-> host.v1 10.1.1.1/24; in a ping 10.1.1.2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ip netns add a\n/);
    assert.match(r.stdout, /ip link add name v1 type veth peer name v0 netns a\n/);
    assert.match(r.stdout, /ip -n a addr add 10\.1\.1\.1\/24 dev v0\n/);
    assert.match(r.stdout, /ip addr add 10\.1\.1\.2\/24 dev v1\n/);
    assert.match(r.stdout, /ip netns exec a ping -c 3 -i 0\.2 -W 1 10\.1\.1\.2\n/);
  });

  it('explains $! of a background job as its shell variable, in any word; where nsh reads the word itself, it is an error', () => {
    const script = [
      'ns a', 'in a sleep 30 &', 'let p = $!', 'echo "job $p"', 'in a kill -TERM "x$p"', 'in a cat <<< $!', 'for i in $p 1 { wait $i }',
      'in pid $! ip link', 'kill $!',
    ].join('; ');
    const r = run(['--explain', '-e', script]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n').filter(l => l !== '' && !l.startsWith('#'));
    assert.deepEqual(lines.slice(lines.indexOf('nsh_job1=$!') + 1), [
      `echo 'job '"\${nsh_job1}"`,
      'ip netns exec a kill -TERM x"${nsh_job1}"',
      'ip netns exec a cat <<< "${nsh_job1}"',
      'wait "${nsh_job1}"',
      'wait 1',
      'nsenter -t "${nsh_job1}" -n -u -- ip link',
      'kill "${nsh_job1}"',
    ]);
    const bad = run(['--explain', '-e', 'ns a; in a sleep 30 &; ns b$!']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^-e:1:28: error: \$! holds a process id known only when the commands run, which cannot stand here\n/);
  });

  it('check accepts a valid file quietly apart from "ok"', () => {
    const r = run(['check', hello]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /hello\.ns: ok/);
  });

  it('nsh help is nsh --help', () => {
    const help = run(['help']);
    assert.equal(help.code, 0);
    assert.equal(help.stdout, run(['--help']).stdout);
    assert.equal(run(['help', 'me']).code, 2);
  });

  it('check takes several files and - (standard input), says ok or the problems of each, and exits 2 if any had one', () => {
    let r = run(['check', hello, '-'], 'ns a\nveth a.v0 <-> host.v1\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${hello}: ok\n<stdin>: ok\n`);
    r = run(['check', '-', hello], 'ns 1a\n');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^<stdin>:1:4: error: namespace name "1a"/m);
    assert.equal(r.stdout, `${hello}: ok\n`);
    assert.equal(run(['check']).code, 2);
    assert.equal(run(['check', '-', '-']).code, 2);
  });

  it('--rm without a script is a usage error, not the REPL', () => {
    const r = run(['--rm'], 'ns a\n');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^nsh: --rm needs a script or -e TEXT/);
    assert.equal(r.stdout, '');
  });

  it('show LAB and exec LAB NS CMD: usage errors', () => {
    for (const args of [['show'], ['show', 'lab', 'links', 'a', 'b'], ['show', 'lab', '1a'], ['exec'], ['exec', 'lab', 'a'], ['--json', hello]]) {
      const r = run(args);
      assert.equal(r.code, 2, `nsh ${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^nsh: .*\nTry 'nsh --help'\.\n$/, `nsh ${args.join(' ')}`);
    }
  });

  it('check lexes a word starting with a character of each block of 255 above 255 (the bundle computes the lexer\'s block of a character)', () => {
    const lines: string[] = [];
    for (let c = 256; c < 0x10000; c += 255) {
      const first = c >= 0xd800 && c < 0xe000 ? 0xe000 : c;
      if (/\s/.test(String.fromCharCode(first))) continue;
      lines.push(`echo ${String.fromCharCode(first)}x`);
    }
    const r = run(['check', '-'], `${lines.join('\n')}\n`);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '<stdin>: ok\n');
  });

  it('the bundle is ASCII (one character beyond makes node read a file of it into a two-byte string, slower to read and compile)', () => {
    const dist = path.resolve(path.dirname(nsh), '../dist');
    const files = [...fs.readdirSync(dist).map(f => path.join(dist, f)), ...fs.readdirSync(path.join(dist, 'chunks')).map(f => path.join(dist, 'chunks', f))].filter(f => /\.c?js$/.test(f));
    assert.ok(files.length > 5);
    assert.deepEqual(files.filter(f => /[^\x00-\x7f]/.test(fs.readFileSync(f, 'latin1'))), []);
  });
});

