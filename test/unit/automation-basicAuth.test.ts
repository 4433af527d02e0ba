import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBasicAuth } from '../../shared/automation/basicAuth';

const expected = { username: 'halo', password: 's3cret:with:colons' };
const header = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('checkBasicAuth', () => {
  it('accepts the configured credentials, whatever the scheme case and surrounding spaces', () => {
    assert.equal(checkBasicAuth(header('halo', 's3cret:with:colons'), expected), true);
    assert.equal(checkBasicAuth(` basic ${header('halo', 's3cret:with:colons').slice(6)} `, expected), true);
  });

  it('refuses a wrong username or password, including prefixes and longer values', () => {
    assert.equal(checkBasicAuth(header('halo', 'wrong'), expected), false);
    assert.equal(checkBasicAuth(header('HALO', 's3cret:with:colons'), expected), false);
    assert.equal(checkBasicAuth(header('halo', 's3cret:with:colons!'), expected), false);
    assert.equal(checkBasicAuth(header('halo', 's3cret'), expected), false);
  });

  it('refuses missing and malformed headers', () => {
    for (const bad of [
      undefined,
      null,
      '',
      'Basic',
      'Basic !!!',
      'Bearer abc.def',
      `Basic ${Buffer.from('nocolon').toString('base64')}`,
    ]) {
      assert.equal(checkBasicAuth(bad, expected), false, String(bad));
    }
  });
});
