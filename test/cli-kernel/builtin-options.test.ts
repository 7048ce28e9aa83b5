/**
 * The options of the built-in ping (-s, -M do|dont, -I) and nc (-z, -w) on the kernel: an MTU lab
 * (a veth of MTU 1400) where 1372 bytes of data just fit in an IPv4 packet and 1373 do not.
 * Where iputils' ping is installed, the built-in's lines are compared with its (times left out).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { assertClean, describeKernel, nsh, scrub } from './harness.js';

const MTU_LAB = 'ns a b\nveth a.v0 10.0.0.1/24 fd00::1/64 <-> b.v0 10.0.0.2/24 fd00::2/64 mtu 1400\n';

/** What ping printed, with what differs from run to run taken out (times). */
const normal = (text: string) =>
  text
    .split('\n')
    .filter(l => !l.startsWith('rtt '))
    .map(l => l.replace(/ time=[\d.]+ ms/, '').replace(/, time \d+ms$/, ''))
    .join('\n')
    .trim();

const iputils = fs.existsSync('/usr/bin/ping') && /iputils/.test(spawnSync('/usr/bin/ping', ['-V'], { encoding: 'utf8' }).stdout);

describeKernel('built-in ping and nc options', function () {
  this.timeout(60_000);
  afterEach(scrub);

  it('ping -s SIZE -M do: 1372 bytes of data answer over MTU 1400, 1373 are refused as iputils says', () => {
    let r = nsh(['--rm', '-e', `${MTU_LAB}in a ping 10.0.0.2 -c 2 -s 1372 -M do`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^PING 10\.0\.0\.2 \(10\.0\.0\.2\) 1372\(1400\) bytes of data\.$/m);
    assert.match(r.stdout, /^1380 bytes from 10\.0\.0\.2: icmp_seq=1 ttl=64 time=/m);
    r = nsh(['--rm', '-e', `${MTU_LAB}in a ping 10.0.0.2 -c 2 -s 1373 -M do`]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^PING 10\.0\.0\.2 \(10\.0\.0\.2\) 1373\(1401\) bytes of data\.\nping: local error: message too long, mtu=1400\nping: local error: message too long, mtu=1400\n/m);
    assert.match(r.stdout, /^2 packets transmitted, 0 received, \+2 errors, 100% packet loss/m);
    assert.match(r.stderr, /error: ping could not send to 10\.0\.0\.2$/m);
    // IPv6 (40-byte header): 1352 fit, 1353 do not
    r = nsh(['--rm', '-e', `${MTU_LAB}in a ping fd00::2 -c 1 -s 1352 -M do\n! in a ping fd00::2 -c 1 -s 1353 -M do`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1360 bytes from fd00::2: icmp_seq=1/m);
    assert.match(r.stdout, /^ping: local error: message too long, mtu: 1400$/m);
    // -M dont: the sender fragments
    r = nsh(['--rm', '-e', `${MTU_LAB}in a ping 10.0.0.2 -c 1 -s 3000 -M dont`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^3008 bytes from 10\.0\.0\.2: icmp_seq=1/m);
    assertClean();
  });

  it('ping -s under 16 bytes prints no times, as iputils; -I IF sends through that interface', () => {
    let r = nsh(['--rm', '-e', `${MTU_LAB}in a ping 10.0.0.2 -c 1 -s 8`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^16 bytes from 10\.0\.0\.2: icmp_seq=1 ttl=64$/m);
    assert.doesNotMatch(r.stdout, /rtt min/);
    r = nsh(['--rm', '-e', `${MTU_LAB}in a ping 10.0.0.2 -c 1 -I v0\nin a ping fd00::2 -c 1 -I v0\nup a.lo\n! in a ping 10.0.0.2 -c 1 -W 0.3 -I lo\n! in a ping 10.0.0.2 -c 1 -I v9`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^PING 10\.0\.0\.2 \(10\.0\.0\.2\) from 10\.0\.0\.1 v0: 56\(84\) bytes of data\.$/m);
    assert.match(r.stdout, /^PING fd00::2\(fd00::2\) from fd00::1 v0: 56 data bytes$/m);
    assert.match(r.stdout, /^1 packets transmitted, 0 received, 100% packet loss/m, 'bound to lo, nothing comes back');
    assert.match(r.stdout, /^ping: SO_BINDTODEVICE v9: No such device$/m);
    assertClean();
  });

  (iputils ? it : it.skip)('prints what iputils ping prints for these options', () => {
    const cases: [string, boolean][] = [
      ['10.0.0.2 -c 2 -s 1372 -M do', true], ['10.0.0.2 -c 2 -s 1373 -M do', false], ['fd00::2 -c 1 -s 1353 -M do', false],
      ['10.0.0.2 -c 1 -s 8', true], ['10.0.0.2 -c 1 -I v0', true], ['fd00::2 -c 1 -I v0', true],
    ];
    const script = cases.map(([args, answers], i) => [
      `echo "== ${i}"`,
      `${answers ? '' : '! '}in a ping ${args}`,
      `echo "== ${i} iputils"`,
      `in a sh -c "ping -i 0.2 -W 1 ${args} 2>&1; true"`,
    ].join('\n'));
    const r = nsh(['--rm', '-e', `${MTU_LAB}${script.join('\n')}\necho "== end"`]);
    assert.equal(r.code, 0, r.stderr);
    const part = (title: string) => r.stdout.slice(r.stdout.indexOf(`== ${title}\n`) + title.length + 4).split(/^== /m)[0]!;
    cases.forEach(([args], i) => assert.equal(normal(part(String(i))), normal(part(`${i} iputils`)), `ping ${args}`));
    assertClean();
  });

  it('nc -z: whether a port answers, printing nothing; -w bounds the connect and ends a quiet connection', () => {
    const r = nsh(['--rm', '-e', [
      MTU_LAB,
      'in b nc -l 8000 &',
      'in a nc -z 10.0.0.2 8000',
      '! in a nc -z 10.0.0.2 8001',
      '! in a nc -z -u fd00::2 8002',
      'in b nc -l -u 8003 &',
      'in a nc -z -u 10.0.0.2 8003',
      'echo "-- unanswered"',
      'route a 10.9.0.0/24 dev v0',
      '! in a nc -w 0.3 10.9.0.9 80',
      'echo "-- quiet"',
      'in b nc -l 8004 &',
      'in a nc -w 0.3 10.0.0.2 8004 <<< "hi"',
      'wait %1 %3',
      'echo "-- end"',
    ].join('\n')]);
    assert.equal(r.code, 0, r.stderr);
    const between = (a: string, b: string) => r.stdout.slice(r.stdout.indexOf(a), r.stdout.indexOf(b));
    assert.doesNotMatch(between('[1]', '[2]'), /\S+\n\S/, 'nc -z printed something');
    assert.match(between('-- quiet', '-- end'), /^hi$/m);
    assertClean();
    // a refused or unanswered -z says so when it is not expected
    const refused = nsh(['--rm', '-e', `${MTU_LAB}in a nc -z 10.0.0.2 8001`]);
    assert.match(refused.stderr, /error: connection to 10\.0\.0\.2 port 8001 refused$/m);
    const late = nsh(['--rm', '-e', `${MTU_LAB}route a 10.9.0.0/24 dev v0\nin a nc -w 0.3 10.9.0.9 80`]);
    assert.match(late.stderr, /error: cannot connect to 10\.9\.0\.9 port 80: connection timed out$/m);
    assertClean();
  });
});
