/** Names, endpoints, addresses and the veth address shorthand. */
import * as assert from 'node:assert/strict';
import * as V from '../src/syntax/values.js';

const ok = <T>(r: T | V.Problem): T => {
  if (V.isProblem(r)) assert.fail(r.problem);
  return r;
};
const bad = (r: unknown): V.Problem => {
  assert.ok(V.isProblem(r), `expected a problem, got ${JSON.stringify(r)}`);
  return r;
};

describe('values', () => {
  it('checks interface names against IFNAMSIZ', () => {
    assert.equal(ok(V.checkIfName('eth0.100')), 'eth0.100');
    assert.equal(ok(V.checkIfName('a'.repeat(15))), 'a'.repeat(15));
    assert.match(bad(V.checkIfName('a'.repeat(16))).problem, /16 characters; Linux allows at most 15/);
    assert.deepEqual([bad(V.checkIfName('ab/c')).from, bad(V.checkIfName('ab/c')).to], [2, 3]);
    bad(V.checkIfName('a:b'));
    bad(V.checkIfName('..'));
  });

  it('splits endpoints at the first dot', () => {
    assert.deepEqual(ok(V.checkEndpoint('a.eth0.100', { allowStar: false })), { ns: 'a', ifname: 'eth0.100' });
    assert.deepEqual(ok(V.checkEndpoint('*.lo', { allowStar: true })), { ns: '*', ifname: 'lo' });
    bad(V.checkEndpoint('*.lo', { allowStar: false }));
    const p = bad(V.checkEndpoint('a.averyveryverylongname', { allowStar: false }));
    assert.deepEqual([p.from, p.to], [2, 23]);
  });

  it('checks namespace names and reserves host', () => {
    ok(V.checkNsName('net_1-a', { allowHost: false }));
    bad(V.checkNsName('1a', { allowHost: true }));
    bad(V.checkNsName('a'.repeat(65), { allowHost: true }));
    assert.match(bad(V.checkNsName('host', { allowHost: false })).problem, /reserved/);
    assert.equal(ok(V.checkNsName('host', { allowHost: true })), 'host');
  });

  it('parses addresses with ipaddr.js rules and nsh messages', () => {
    assert.deepEqual(ok(V.checkCidr('10.1.1.1/24')), { family: 4, address: '10.1.1.1', prefix: 24 });
    assert.deepEqual(ok(V.checkCidr('FD00:0::1/64')), { family: 6, address: 'fd00::1', prefix: 64 });
    assert.match(bad(V.checkCidr('10.1.1.300/24')).problem, /octet 300/);
    assert.match(bad(V.checkCidr('10.1.1.1/33')).problem, /over 32/);
    assert.match(bad(V.checkCidr('fd00::1/129')).problem, /over 128/);
    bad(V.checkCidr('fd00:::1/64'));
    bad(V.checkCidr('10.1.1/24'));
    assert.match(bad(V.checkCidr('10.1.1.1')).problem, /needs a prefix/);
    assert.match(bad(V.checkIp('10.1.1.1/24')).problem, /has a prefix/);
  });

  it('computes the veth shorthand pair', () => {
    const pair = (t: string) => ok(V.shorthandPair(ok(V.checkCidr(t)))).map(V.cidrText);
    assert.deepEqual(pair('10.1.1.1/24'), ['10.1.1.1/24', '10.1.1.2/24']);
    assert.deepEqual(pair('10.0.0.0/30'), ['10.0.0.1/30', '10.0.0.2/30']);
    assert.deepEqual(pair('10.0.0.0/31'), ['10.0.0.0/31', '10.0.0.1/31']);
    assert.deepEqual(pair('169.254.1.1/30'), ['169.254.1.1/30', '169.254.1.2/30']);
    assert.deepEqual(pair('fd00::/64'), ['fd00::1/64', 'fd00::2/64']);
    assert.deepEqual(pair('fd00::fe/120'), ['fd00::fe/120', 'fd00::ff/120']);
    bad(V.shorthandPair(ok(V.checkCidr('fd00::ff/120'))));
    bad(V.shorthandPair(ok(V.checkCidr('10.0.0.1/32'))));
    bad(V.shorthandPair(ok(V.checkCidr('10.0.0.2/30'))));
    bad(V.shorthandPair(ok(V.checkCidr('10.0.0.255/24'))));
    bad(V.shorthandPair(ok(V.checkCidr('fd00::ffff/112'))));
  });

  it('reads TIME: us, ms, s or bare seconds, whole microseconds, in range', () => {
    const t = (x: string) => ok(V.checkTime(x, 'delay', { min: 0, max: 3600 }));
    assert.equal(t('250us'), 0.00025);
    assert.equal(t('10ms'), 0.01);
    assert.equal(t('1.5s'), 1.5);
    assert.equal(t('2'), 2);
    assert.equal(t('0.5'), 0.5);
    assert.equal(t('10MS'), 0.01);
    assert.equal(t('0'), 0);
    assert.match(bad(V.checkTime('10m', 'delay', { min: 0, max: 3600 })).problem, /unit "m"/);
    assert.match(bad(V.checkTime('fast', 'delay', { min: 0, max: 3600 })).problem, /is not a time/);
    assert.match(bad(V.checkTime('1.5us', 'delay', { min: 0, max: 3600 })).problem, /finer than a microsecond/);
    assert.match(bad(V.checkTime('2h', 'delay', { min: 0, max: 3600 })).problem, /unit "h"/);
    assert.match(bad(V.checkTime('3601s', 'delay', { min: 0, max: 3600 })).problem, /between 0s and 3600s/);
    bad(V.checkTime('-1ms', 'delay', { min: 0, max: 3600 }));
    bad(V.checkTime('1e3ms', 'delay', { min: 0, max: 3600 }));
  });

  it('reads PCT from 0% to 100%', () => {
    assert.equal(ok(V.checkPercent('1%', 'loss')), 1);
    assert.equal(ok(V.checkPercent('0.5%', 'loss')), 0.5);
    assert.equal(ok(V.checkPercent('100%', 'loss')), 100);
    assert.match(bad(V.checkPercent('101%', 'loss')).problem, /over 100%/);
    assert.equal(bad(V.checkPercent('5', 'loss')).hint, 'write 5%');
    bad(V.checkPercent('%', 'loss'));
    bad(V.checkPercent('-1%', 'loss'));
  });

  it('reads RATE in decimal units of bits, any case', () => {
    assert.equal(ok(V.checkRate('1mbit')), 1_000_000);
    assert.equal(ok(V.checkRate('1MBit')), 1_000_000);
    assert.equal(ok(V.checkRate('100kbit')), 100_000);
    assert.equal(ok(V.checkRate('1.1kbit')), 1100);
    assert.equal(ok(V.checkRate('2.5gbit')), 2_500_000_000);
    assert.equal(ok(V.checkRate('8bit')), 8);
    assert.match(bad(V.checkRate('10')).problem, /needs a unit/);
    assert.match(bad(V.checkRate('1mbps')).hint!, /bytes per second/);
    assert.match(bad(V.checkRate('1.5bit')).problem, /whole number of bits/);
    assert.match(bad(V.checkRate('1bit')).problem, /between 8bit and 1000gbit/);
    assert.match(bad(V.checkRate('1001gbit')).problem, /between 8bit and 1000gbit/);
  });

  it('reads ports, VLAN IDs and lists of them', () => {
    assert.equal(ok(V.checkPort('80')), 80);
    bad(V.checkPort('0'));
    bad(V.checkPort('65536'));
    assert.equal(ok(V.checkVlanId('4094')), 4094);
    bad(V.checkVlanId('4095'));
    bad(V.checkVlanId('0'));
    assert.deepEqual(ok(V.checkVlanList('10,20,30')), [10, 20, 30]);
    assert.deepEqual(ok(V.checkVlanList('7')), [7]);
    const p = bad(V.checkVlanList('10,5000'));
    assert.deepEqual([p.from, p.to], [3, 7]);
    assert.match(bad(V.checkVlanList('10,10')).problem, /listed twice/);
    assert.match(bad(V.checkVlanList('10,,20')).problem, /empty entry/);
  });

  it('reads publish targets: ADDR, ADDR:PORT, and [IPv6]:PORT', () => {
    assert.deepEqual(ok(V.checkPublishTarget('10.0.0.2')), { family: 4, address: '10.0.0.2' });
    assert.deepEqual(ok(V.checkPublishTarget('10.0.0.2:8080')), { family: 4, address: '10.0.0.2', port: 8080 });
    assert.deepEqual(ok(V.checkPublishTarget('fd00::2')), { family: 6, address: 'fd00::2' });
    assert.deepEqual(ok(V.checkPublishTarget('[fd00::2]:80')), { family: 6, address: 'fd00::2', port: 80 });
    assert.deepEqual(ok(V.checkPublishTarget('[fd00::2]')), { family: 6, address: 'fd00::2' });
    const p = bad(V.checkPublishTarget('10.0.0.2:99999'));
    assert.deepEqual([p.from, p.to], [9, 14]);
    bad(V.checkPublishTarget('10.0.0.300:80'));
    bad(V.checkPublishTarget('[10.0.0.2]:80'));
    bad(V.checkPublishTarget('[fd00::2:80'));
    bad(V.checkPublishTarget('web:80'));
  });

  it('reads ssh targets and machine names', () => {
    assert.deepEqual(ok(V.checkSshTarget('root@10.0.0.5')), { user: 'root', host: '10.0.0.5' });
    assert.deepEqual(ok(V.checkSshTarget('m2.example.org')), { host: 'm2.example.org' });
    assert.deepEqual(ok(V.checkSshTarget('me@fd00::5')), { user: 'me', host: 'fd00::5' });
    bad(V.checkSshTarget('root@'));
    bad(V.checkSshTarget('ro ot@m2'));
    bad(V.checkSshTarget('m2_.example'));
    bad(V.checkSshTarget('root@10.0.0.300'));
    assert.equal(ok(V.checkMachineName('m2')), 'm2');
    assert.match(bad(V.checkMachineName('local')).problem, /reserved/);
    bad(V.checkMachineName('2m'));
  });

  it('reads host@MACHINE.IF where another machine is allowed', () => {
    assert.deepEqual(ok(V.checkEndpoint('host@m2.eth0', { allowStar: false, allowMachine: true })), { ns: 'host', ifname: 'eth0', machine: 'm2' });
    bad(V.checkEndpoint('host@m2.eth0', { allowStar: false }));
    assert.deepEqual(ok(V.checkEndpoint('host@local.eth0', { allowStar: false, allowMachine: true })), { ns: 'host', ifname: 'eth0', machine: 'local' });
    const p = bad(V.checkEndpoint('host@2m.eth0', { allowStar: false, allowMachine: true }));
    assert.deepEqual([p.from, p.to], [5, 6]);
    assert.deepEqual(ok(V.checkMacvlanMode('vepa')), 'vepa');
    bad(V.checkMacvlanMode('bridged'));
  });

  it('reads nsh\'s integers, from -10^15 to 10^15', () => {
    assert.equal(ok(V.checkInteger('1000000000000000', 'range end')), 1e15);
    assert.equal(ok(V.checkInteger('-1000000000000000', 'range start')), -1e15);
    assert.equal(bad(V.checkInteger('1000000000000001', 'range end')).problem, "range end 1000000000000001 is out of range: nsh's integers are between -10^15 and 10^15");
    assert.match(bad(V.checkInteger('1.5', 'range end')).problem, /not a whole number/);
  });

  it('shows a whole character, and an invisible one as U+XXXX', () => {
    assert.equal(bad(V.checkNsName('a😀', { allowHost: false })).problem, 'namespace name "a😀" may not contain "😀"');
    assert.deepEqual([bad(V.checkNsName('a😀', { allowHost: false })).from, bad(V.checkNsName('a😀', { allowHost: false })).to], [1, 3]);
    assert.equal(bad(V.checkNsName('a\u200bb', { allowHost: false })).problem, 'namespace name "a<U+200B>b" may not contain U+200B');
    assert.equal(bad(V.checkIfName('v\ufeff')).problem, 'interface name "v<U+FEFF>" may not contain U+FEFF');
    assert.equal(V.showChar('\u00a0'), 'U+00A0');
    assert.equal(V.showChar(' '), '" "');
    // a long value is cut between characters, never inside one
    assert.equal(V.show('😀'.repeat(50)), JSON.stringify(`${'😀'.repeat(24)}…${'😀'.repeat(15)}`));
  });
});
