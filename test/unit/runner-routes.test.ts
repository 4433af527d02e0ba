import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAuthorized, presentedKey } from '../../dev/runner/httpAuth';
import { compileRoute } from '../../dev/runner/routes';

describe('runner: route templates', () => {
  it('matches literals case-insensitively and extracts {param} segments', () => {
    const route = compileRoute('api/halo/webhook/{id}');
    assert.deepEqual(route.match('/api/Halo/WEBHOOK/42'), { id: '42' });
    assert.equal(route.match('/api/halo/webhook'), undefined);
    assert.equal(route.match('/api/halo/webhook/42/more'), undefined);
    assert.equal(route.match('/api/halo/other/42'), undefined);
  });

  it('supports optional, constrained and catch-all parameters', () => {
    assert.deepEqual(compileRoute('api/items/{id?}').match('/api/items'), {});
    assert.deepEqual(compileRoute('api/items/{id?}').match('/api/items/3'), { id: '3' });
    assert.equal(compileRoute('api/items/{id:int}').match('/api/items/abc'), undefined);
    assert.deepEqual(compileRoute('api/items/{id:int}').match('/api/items/-5'), { id: '-5' });
    assert.deepEqual(compileRoute('api/files/{*path}').match('/api/files/a/b%20c.txt'), { path: 'a/b c.txt' });
    assert.deepEqual(compileRoute('api/files/{*path}').match('/api/files'), {});
  });

  it('rejects templates it does not understand', () => {
    assert.throws(() => compileRoute('api/x{id}'), /unsupported route segment/);
  });
});

describe('runner: auth levels', () => {
  const keys = { functionKey: 'function-key', masterKey: 'master-key' };

  it('anonymous needs nothing', () => {
    assert.equal(isAuthorized('anonymous', undefined, keys), true);
  });

  it('function accepts the function key or the master key, nothing else', () => {
    assert.equal(isAuthorized('function', 'function-key', keys), true);
    assert.equal(isAuthorized('function', 'master-key', keys), true);
    assert.equal(isAuthorized('function', 'function-kez', keys), false);
    assert.equal(isAuthorized('function', '', keys), false);
    assert.equal(isAuthorized('function', undefined, keys), false);
  });

  it('admin accepts only the master key', () => {
    assert.equal(isAuthorized('admin', 'master-key', keys), true);
    assert.equal(isAuthorized('admin', 'function-key', keys), false);
  });

  it('takes the x-functions-key header before ?code=', () => {
    assert.equal(presentedKey('from-header', 'from-code'), 'from-header');
    assert.equal(presentedKey(undefined, 'from-code'), 'from-code');
    assert.equal(presentedKey(undefined, null), undefined);
  });
});
