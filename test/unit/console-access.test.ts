import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizeConsole, CONSOLE_ACTION_HEADER, signInUrl } from '../../shared/console/access';
import { accessOf, encodeClientPrincipal, readClientPrincipal } from '../../shared/console/principal';

const headers = (values: Record<string, string>) => ({
  get: (name: string) => values[name.toLowerCase()] ?? null,
});
const principal = (roles: string[], name = 'ops@bridgemsp.com') =>
  encodeClientPrincipal({ id: '00000000-0000-4000-8000-000000000001', name, roles });

describe('console sign-in: the App Service Authentication principal and the two app roles', () => {
  it('reads the principal App Service sends (claims, name and role claim types)', () => {
    // The shape App Service documents for X-MS-CLIENT-PRINCIPAL, with v1 role claims and a custom name claim type.
    const body = {
      auth_typ: 'aad',
      name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
      claims: [
        { typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', val: 'adele@bridgemsp.com' },
        { typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val: 'Console.Read' },
        { typ: 'roles', val: 'Something.Else' },
      ],
    };
    const read = readClientPrincipal(
      headers({
        'x-ms-client-principal': Buffer.from(JSON.stringify(body)).toString('base64'),
        'x-ms-client-principal-id': 'oid-1',
        'x-ms-client-principal-idp': 'aad',
      }),
    );
    assert.deepEqual(read, {
      id: 'oid-1',
      name: 'adele@bridgemsp.com',
      identityProvider: 'aad',
      roles: ['Console.Read', 'Something.Else'],
      access: 'read',
    });
  });

  it('treats an unreadable header as no principal', () => {
    assert.equal(readClientPrincipal(headers({ 'x-ms-client-principal': 'not base64 json' })), undefined);
    const noClaims = Buffer.from(JSON.stringify({ claims: 'x' })).toString('base64');
    assert.equal(readClientPrincipal(headers({ 'x-ms-client-principal': noClaims })), undefined);
    assert.equal(readClientPrincipal(headers({})), undefined);
  });

  it('maps roles to access: operate includes read, other roles give nothing', () => {
    assert.equal(accessOf(['Console.Operate']), 'operate');
    assert.equal(accessOf(['Console.Read', 'Console.Operate']), 'operate');
    assert.equal(accessOf(['Console.Read']), 'read');
    assert.equal(accessOf(['Admin']), undefined);
  });

  it('refuses everything where App Service Authentication is not in front (anyone could send the header)', () => {
    const decision = authorizeConsole(
      { method: 'GET', headers: headers({ 'x-ms-client-principal': principal(['Console.Operate']) }), returnTo: '/' },
      'read',
      false,
    );
    assert.equal(decision.ok, false);
    assert.equal(!decision.ok && decision.status, 503);
  });

  it('asks an anonymous caller to sign in, and coming back to where they were', () => {
    const decision = authorizeConsole(
      { method: 'GET', headers: headers({}), returnTo: '/api/console/mail?q=x' },
      'read',
      true,
    );
    assert.ok(!decision.ok);
    assert.equal(decision.status, 401);
    assert.equal(decision.signIn, '/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fconsole%2Fmail%3Fq%3Dx');
    assert.equal(signInUrl('https://evil.example/'), '/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fconsole');
    assert.equal(signInUrl('//evil.example/'), '/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fconsole');
  });

  it('separates reading from operating', () => {
    const reader = headers({ 'x-ms-client-principal': principal(['Console.Read']), [CONSOLE_ACTION_HEADER]: '1' });
    const nobody = headers({ 'x-ms-client-principal': principal(['Other']) });
    assert.equal(authorizeConsole({ method: 'GET', headers: reader, returnTo: '/' }, 'read', true).ok, true);
    const refused = authorizeConsole({ method: 'POST', headers: reader, returnTo: '/' }, 'operate', true);
    assert.ok(!refused.ok);
    assert.equal(refused.status, 403);
    assert.match(refused.error, /Console\.Operate/);
    const none = authorizeConsole({ method: 'GET', headers: nobody, returnTo: '/' }, 'read', true);
    assert.ok(!none.ok);
    assert.equal(none.status, 403);
    assert.match(none.error, /holds neither/);
  });

  it('accepts an action only with the console header and from the console itself', () => {
    const operator = principal(['Console.Operate']);
    const post = (extra: Record<string, string>) =>
      authorizeConsole(
        { method: 'POST', headers: headers({ 'x-ms-client-principal': operator, ...extra }), returnTo: '/' },
        'operate',
        true,
      );
    assert.equal(post({ [CONSOLE_ACTION_HEADER]: '1', 'sec-fetch-site': 'same-origin' }).ok, true);
    assert.equal(post({ [CONSOLE_ACTION_HEADER]: '1' }).ok, true, 'a client without fetch metadata');
    const noHeader = post({});
    assert.ok(!noHeader.ok);
    assert.match(noHeader.error, /x-halo-bridge-console/);
    const crossSite = post({ [CONSOLE_ACTION_HEADER]: '1', 'sec-fetch-site': 'cross-site' });
    assert.ok(!crossSite.ok);
    assert.equal(crossSite.status, 403);
  });
});
