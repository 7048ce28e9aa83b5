/** The command line through bin/nsh (the bundle in dist/): exit codes, messages, no stack traces. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const nsh = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/nsh');

function run(args: string[]) {
  const r = spawnSync(nsh, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

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

  it('explains inline text', () => {
    const r = run(['--explain', '-e', 'ns a; veth a.v0 <-> host.v1 10.1.1.1/24; in a ping 10.1.1.2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ip netns add a\n/);
    assert.match(r.stdout, /ip link add name v1 type veth peer name v0 netns a\n/);
    assert.match(r.stdout, /ip -n a addr add 10\.1\.1\.1\/24 dev v0\n/);
    assert.match(r.stdout, /ip addr add 10\.1\.1\.2\/24 dev v1\n/);
    assert.match(r.stdout, /ip netns exec a ping -c 3 -i 0\.2 -W 1 10\.1\.1\.2\n/);
  });

  it('check accepts a valid file quietly apart from "ok"', () => {
    const r = run(['check', path.resolve(path.dirname(nsh), '../examples/hello.ns')]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /hello\.ns: ok/);
  });
});
