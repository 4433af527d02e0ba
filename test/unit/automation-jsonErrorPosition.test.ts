import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonErrorOffset } from '../../shared/automation/jsonErrorPosition';

describe('jsonErrorOffset', () => {
  it('finds nothing wrong in valid JSON (agrees with JSON.parse)', () => {
    for (const text of ['{}', '[]', ' {"a":[1,-2.5e3,true,false,null,"x\\"\\u00e9"]} ', '"s"', '0']) {
      JSON.parse(text);
      assert.equal(jsonErrorOffset(text), undefined, text);
    }
  });

  it('points at the first offending character', () => {
    assert.equal(jsonErrorOffset('{"a": }'), 6);
    assert.equal(jsonErrorOffset('{"a": 1,}'), 8);
    assert.equal(jsonErrorOffset("{'a': 1}"), 1);
    assert.equal(jsonErrorOffset('[1 2]'), 3);
    assert.equal(jsonErrorOffset('{"a": 1} x'), 9);
    assert.equal(jsonErrorOffset('{"a": 01}'), 7);
  });

  it('reports an early end as the text length', () => {
    assert.equal(jsonErrorOffset('{"a": [1, 2'), 11);
    assert.equal(jsonErrorOffset('"open'), 5);
  });
});
