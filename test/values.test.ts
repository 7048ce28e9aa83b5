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
});
