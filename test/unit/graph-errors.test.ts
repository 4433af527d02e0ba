import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeGraphFailure, failureOf, toGraphAccessError } from '../../shared/graph/errors';

const ctx = { tenantId: 't-1', clientId: 'app-1' };

describe('graph error mapping', () => {
  const cases: [string, Parameters<typeof describeGraphFailure>[0], string, RegExp][] = [
    [
      'wrong secret',
      { status: 401, code: 'invalid_client', message: 'AADSTS7000215: Invalid client secret provided.' },
      'invalidSecret',
      /Secret ID/,
    ],
    [
      'app missing in tenant',
      { status: 400, code: 'unauthorized_client', message: 'AADSTS700016: Application not found' },
      'consentMissing',
      /adminconsent\?client_id=app-1/,
    ],
    [
      'service principal disabled',
      { status: 400, code: 'invalid_client', message: 'AADSTS7000229: missing service principal' },
      'consentMissing',
      /admin consent/,
    ],
    [
      'identity not found',
      {
        status: 401,
        code: 'Authorization_IdentityNotFound',
        message: 'The identity of the calling application could not be established.',
      },
      'consentMissing',
      /Authorization_IdentityNotFound/,
    ],
    [
      'invalid grant',
      { status: 400, code: 'invalid_grant', message: 'AADSTS9002313: Invalid request.' },
      'invalidGrant',
      /AADSTS9002313/,
    ],
    [
      'unknown tenant',
      { status: 400, code: 'invalid_request', message: "AADSTS90002: Tenant 'x' not found." },
      'tenantNotFound',
      /tenant id/,
    ],
    [
      'bad certificate',
      { status: 401, code: 'invalid_client', message: 'AADSTS700027: signature failed' },
      'certificateRejected',
      /certificate/,
    ],
    [
      'shared mailbox without rights',
      { status: 404, code: 'MailboxNotEnabledForRESTAPI', message: 'The mailbox is either inactive' },
      'mailboxNotFound',
      /Exchange Online/,
    ],
    [
      'unknown user',
      { status: 404, code: 'ErrorInvalidUser', message: "The requested user 'x' is invalid." },
      'mailboxNotFound',
      /Check the address/,
    ],
    [
      'directory permission',
      { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges' },
      'permissionMissing',
      /User\.Read\.All/,
    ],
    [
      'mail permission',
      { status: 403, code: 'ErrorAccessDenied', message: 'Access is denied.' },
      'permissionMissing',
      /User\.Read\.All/,
    ],
    [
      'validation handshake',
      { status: 400, code: 'ValidationError', message: 'Subscription validation request failed.' },
      'subscriptionValidationFailed',
      /validationToken/,
    ],
    ['throttled', { status: 429, code: 'TooManyRequests', message: 'Too many requests' }, 'throttled', /throttled/],
    ['outage', { status: 503, code: 'ServiceUnavailable', message: 'down' }, 'unavailable', /unavailable/],
    ['network', { message: 'fetch failed' }, 'unavailable', /unavailable/],
  ];
  for (const [name, failure, code, pattern] of cases) {
    it(`maps ${name} to ${code}`, () => {
      const described = describeGraphFailure(failure, { ...ctx, permission: 'User.Read.All', operation: 'listUsers' });
      assert.equal(described.code, code);
      assert.match(described.message, pattern);
      assert.equal(described.retryable, code === 'throttled' || code === 'unavailable');
    });
  }

  it('reads identity AuthenticationError bodies', () => {
    const identityError = Object.assign(new Error('ClientSecretCredential authentication failed'), {
      statusCode: 401,
      errorResponse: { error: 'invalid_client', errorDescription: 'AADSTS7000215: Invalid client secret provided.' },
    });
    assert.deepEqual(failureOf(identityError), {
      status: 401,
      code: 'invalid_client',
      message: 'AADSTS7000215: Invalid client secret provided.',
    });
  });

  it('masks secrets and tokens that appear in an upstream message', () => {
    const error = toGraphAccessError(
      {
        statusCode: 500,
        code: 'X',
        message: 'failed with client_secret=abc123secret and Bearer eyJhbGciOiJIUzI1NiJ9.x.y',
      },
      ctx,
      ['abc123secret'],
    );
    assert.equal(error.code, 'unavailable');
    assert.ok(!error.message.includes('abc123secret'));
    assert.ok(!error.message.includes('eyJhbGciOiJIUzI1NiJ9'));
  });
});
