/** "Did you mean …?": the nearest word to a mistyped one. */
import * as assert from 'node:assert/strict';
import { editDistance, nearest } from '../src/core/nearest.js';

describe('nearest word', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours as one edit each', () => {
    assert.equal(editDistance('chek', 'check'), 1);
    assert.equal(editDistance('vteh', 'veth'), 1);
    assert.equal(editDistance('ping', 'pong'), 1);
    assert.equal(editDistance('route', 'rotue'), 1);
    assert.equal(editDistance('', 'ns'), 2);
    assert.equal(editDistance('bridge', 'bridge'), 0);
    assert.equal(editDistance('abc', 'cba'), 2);
  });

  it('suggests only a near candidate, and nothing for a word that is one', () => {
    const words = ['ns', 'veth', 'bridge', 'route', 'macvlan', 'vlan'];
    assert.equal(nearest('vteh', words), 'veth');
    assert.equal(nearest('brdige', words), 'bridge');
    assert.equal(nearest('macvaln', words), 'macvlan');
    assert.equal(nearest('connect', words), undefined);
    assert.equal(nearest('vlan', words), undefined);
    assert.equal(nearest('xyz', words), undefined);
  });
});
