import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainMailError } from '../../shared/mail/errors';

describe('mail: actionable error explanations', () => {
  it('token refresh failures', () => {
    for (const error of [
      { code: 'invalid_grant', message: 'AADSTS70000: The provided grant is invalid or malformed.' },
      { status: 400, message: 'AADSTS9002313: Invalid request. Request is malformed or invalid.' },
    ]) {
      const e = explainMailError(error);
      assert.equal(e.kind, 'tokenRefresh');
      assert.equal(e.retryable, false);
      assert.match(e.message, /tenant id/);
    }
  });

  it('a secret ID pasted where the secret value belongs', () => {
    const e = explainMailError({
      status: 401,
      code: 'invalid_client',
      message:
        'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent is the client secret value, not the client secret ID',
    });
    assert.equal(e.kind, 'secretIdNotValue');
    assert.match(e.message, /Value column/);
  });

  it('missing Graph permission names the permission the operation needs', () => {
    const read = explainMailError(
      { status: 403, code: 'ErrorAccessDenied', message: 'Access is denied.' },
      {
        operation: 'move',
        mailbox: 'support@bridgemsp.com',
      },
    );
    assert.equal(read.kind, 'missingPermission');
    assert.match(read.message, /Mail\.ReadWrite/);
    assert.match(read.message, /support@bridgemsp\.com/);
    const send = explainMailError({ status: 403, code: 'ErrorAccessDenied' }, { operation: 'send' });
    assert.match(send.message, /needs the Microsoft Graph permission Mail\.Send/);
    const denied = explainMailError({
      status: 403,
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges',
    });
    assert.equal(denied.kind, 'missingPermission');
  });

  it('a mailbox the app cannot reach', () => {
    for (const error of [
      {
        status: 404,
        code: 'MailboxNotEnabledForRESTAPI',
        message: 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
      },
      { status: 404, code: 'ErrorInvalidUser', message: "The requested user 'x@y.com' is invalid." },
      { status: 404, code: 'ResourceNotFound', message: 'Resource could not be discovered.' },
    ]) {
      const e = explainMailError(error, { mailbox: 'x@y.com' });
      assert.equal(e.kind, 'mailboxUnreachable', error.code);
      assert.equal(e.retryable, false);
      assert.match(e.message, /x@y\.com/);
    }
  });

  it('throttling is retryable', () => {
    const e = explainMailError({ status: 429, code: 'ApplicationThrottled' });
    assert.equal(e.kind, 'throttled');
    assert.equal(e.retryable, true);
    assert.equal(explainMailError({ status: 503 }).kind, 'transient');
    assert.equal(explainMailError({ code: 'syncStateNotFound', status: 400 }).kind, 'deltaExpired');
  });

  it('other errors keep their message, with secrets masked', () => {
    const e = explainMailError({ status: 400, message: 'bad request client_secret=abc123456 Bearer eyJabcdefghijkl' });
    assert.equal(e.kind, 'unknown');
    assert.ok(!e.message.includes('abc123456'));
    assert.ok(!e.message.includes('eyJabcdefghijkl'));
    assert.equal(explainMailError({}).message, 'Unexpected error (status none)');
  });
});
