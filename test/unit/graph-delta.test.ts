import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DeltaPage, deltaPathOf, deltaRestartReason, runDeltaRound } from '../../shared/graph/delta';
import { pathKind } from '../../shared/graph/pathKind';

describe('graph delta restart decision', () => {
  it('restarts on 410 Gone, syncStateNotFound and resyncRequired only', () => {
    assert.match(deltaRestartReason({ status: 410, message: '' }) ?? '', /410 Gone/);
    assert.match(deltaRestartReason({ status: 400, code: 'syncStateNotFound', message: '' }) ?? '', /expired/);
    assert.match(deltaRestartReason({ status: 400, code: 'resyncRequired', message: '' }) ?? '', /resync/);
    assert.equal(deltaRestartReason({ status: 429, code: 'TooManyRequests', message: '' }), undefined);
    assert.equal(deltaRestartReason({ status: 403, code: 'Authorization_RequestDenied', message: '' }), undefined);
  });

  it('derives the full-sync path from a stored deltaLink', () => {
    assert.equal(deltaPathOf('https://graph.microsoft.com/v1.0/users/delta?$deltatoken=abc'), '/users/delta');
    assert.equal(
      deltaPathOf('https://127.0.0.1:4443/v1.0/users/a%40b.com/mailFolders/AQ/messages/delta?$deltatoken=x'),
      '/users/a%40b.com/mailFolders/AQ/messages/delta',
    );
  });

  it('walks pages, splits @removed, and restarts from the path when the token is refused', async () => {
    const requested: string[] = [];
    const pages: Record<string, DeltaPage> = {
      '/users/delta': { value: [{ id: '1' }], nextLink: 'https://g/v1.0/users/delta?$skiptoken=2' },
      'https://g/v1.0/users/delta?$skiptoken=2': {
        value: [{ id: '2' }, { id: '3', '@removed': { reason: 'changed' } }],
        deltaLink: 'https://g/v1.0/users/delta?$deltatoken=new',
      },
    };
    const result = await runDeltaRound({
      start: 'https://g/v1.0/users/delta?$deltatoken=old',
      fullSyncStart: '/users/delta',
      parse: (v) => ({ ok: true, value: v as { id: string } }),
      fetchPage: async (target) => {
        requested.push(target);
        const page = pages[target];
        if (!page) throw Object.assign(new Error('gone'), { statusCode: 410, code: 'Gone' });
        return page;
      },
    });
    assert.deepEqual(result.items, [{ id: '1' }, { id: '2' }]);
    assert.deepEqual(result.removed, [{ id: '3', reason: 'changed' }]);
    assert.equal(result.deltaLink, 'https://g/v1.0/users/delta?$deltatoken=new');
    assert.equal(result.fullResync, true);
    assert.match(result.resyncReason ?? '', /410/);
    assert.equal(requested.length, 3);
  });

  it('does not restart a round that started from a path', async () => {
    await assert.rejects(
      runDeltaRound({
        start: '/users/delta',
        fullSyncStart: '/users/delta',
        parse: (v) => ({ ok: true, value: v }),
        fetchPage: async () => {
          throw Object.assign(new Error('gone'), { statusCode: 410 });
        },
      }),
      /gone/,
    );
  });
});

describe('graph path kinds', () => {
  it('drops ids, mailboxes and query strings', () => {
    assert.equal(
      pathKind(
        'https://g/v1.0/users/support%40x.com/mailFolders/AQMkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgAuAAAD/messages/delta?$deltatoken=x',
      ),
      'users/mailFolders/messages/delta',
    );
    assert.equal(pathKind('https://g/v1.0/users?$top=999'), 'users');
    assert.equal(pathKind('https://g/v1.0/subscriptions/6f2b8a7c-1d2e-4f3a-9b8c-7d6e5f4a3b2c'), 'subscriptions');
    assert.equal(pathKind('https://g/v1.0/$batch'), '$batch');
    assert.equal(
      pathKind("https://g/v1.0/users/x@y.com/mailFolders('inbox')/messages"),
      'users/mailFolders/inbox/messages',
    );
  });
});
