import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type GraphSimulator, startGraphSimulator } from '../../dev/graph-sim';
import { GraphAccessError } from '../../shared/graph';
import { simulatorGraph } from '../support/graph';

const CONTOSO = '11111111-1111-4111-8111-111111111111';
const FABRIKAM = '22222222-2222-4222-8222-222222222222';
const NORTHWIND = '33333333-3333-4333-8333-333333333333';

// A throttled token endpoint: MSAL (inside @azure/identity) then blocks the tenant's token requests for Retry-After,
// or 60 s without one, and its errors say nothing ("Error(s): Not Available", then an empty message).
describe('graph adapter: a throttled or failing token endpoint', () => {
  let sim: GraphSimulator;
  before(async () => {
    sim = await startGraphSimulator();
  });
  after(async () => {
    await sim.stop();
  });

  const tokenRequests = (tenantId: string) =>
    sim.requests().filter((r) => r.scope === 'token' && r.tenantId === tenantId && r.route !== 'openid-configuration')
      .length;
  /** The next `times` token requests of the tenant answered with `status` (and what else Entra sent). */
  const failTokens = (
    tenantId: string,
    times: number,
    status: number,
    extra: { retryAfter?: number; body?: string } = {},
  ) => sim.faults.add({ scope: 'token', tenantId, times, effect: { kind: 'status', status, ...extra } });

  it('a 429 without Retry-After: a retryable error with the time the block ends, and no request before then', async () => {
    const graph = simulatorGraph(sim, { tokenThrottleMaxWaitSeconds: 0 });
    failTokens(CONTOSO, 1, 429);
    const started = Date.now();
    const error = await graph
      .forTenant(CONTOSO)
      .getOrganization()
      .catch((e: unknown) => e);
    assert.ok(error instanceof GraphAccessError, String(error));
    assert.equal(error.code, 'throttled');
    assert.equal(error.retryable, true);
    assert.ok(error.retryAt, 'says when');
    const blockedFor = error.retryAt.getTime() - started;
    assert.ok(blockedFor > 55_000 && blockedFor < 65_000, `MSAL's 60-second block, got ${blockedFor} ms`);
    assert.match(error.message, /^Throttled by Entra, retrying at \d\d:\d\d UTC: /);
    assert.match(error.message, /HTTP 429, AADSTS90055, no Retry-After/);
    assert.doesNotMatch(error.message, /Not Available|said:\s*$/);
    // Before: the tenant failed again at once with "…Graph said: " and nothing after it, and was poisoned.
    const again = await graph
      .forTenant(CONTOSO)
      .getOrganization()
      .catch((e: unknown) => e);
    assert.ok(again instanceof GraphAccessError);
    assert.equal(again.code, 'throttled');
    assert.equal(tokenRequests(CONTOSO), 1, 'nothing sent while MSAL holds the tenant');
  });

  it('a throttled token endpoint is retried past the block: the call succeeds', async () => {
    const graph = simulatorGraph(sim);
    // Three 429s with Retry-After: 1. MSAL would block the tenant 60 s after the first whatever the header said.
    failTokens(FABRIKAM, 3, 429, { retryAfter: 1 });
    const started = Date.now();
    const organization = await graph.forTenant(FABRIKAM).getOrganization();
    assert.equal(organization.id, FABRIKAM);
    assert.equal(tokenRequests(FABRIKAM), 4, 'three throttled, then one after the last Retry-After');
    assert.ok(Date.now() - started < 30_000, "Retry-After honoured, not MSAL's 60 s");
  });

  it('a Retry-After too long to wait for fails at once with the time to come back, instead of hanging', async () => {
    const graph = simulatorGraph(sim);
    const tenant = '99999999-9999-4999-8999-999999999999';
    failTokens(tenant, 1, 429, { retryAfter: 600 });
    const started = Date.now();
    const error = await graph
      .forTenant(tenant)
      .listDomains()
      .catch((e: unknown) => e);
    assert.ok(error instanceof GraphAccessError, String(error));
    assert.ok(Date.now() - started < 20_000, 'not slept');
    const ahead = (error.retryAt?.getTime() ?? 0) - started;
    assert.ok(ahead > 590_000 && ahead < 610_000, `Retry-After 600 s, got ${ahead} ms`);
    assert.match(error.message, /Retry-After 600 s/);
  });

  it('a token endpoint outage (5xx) is explained with its status, never with an empty reason', async () => {
    const graph = simulatorGraph(sim);
    // Every attempt fails: after a short pause each, the error says what happened and when it is tried again.
    failTokens(NORTHWIND, 4, 500);
    const error = await graph
      .forTenant(NORTHWIND)
      .listDomains()
      .catch((e: unknown) => e);
    assert.ok(error instanceof GraphAccessError, String(error));
    assert.equal(error.retryable, true);
    assert.match(
      error.message,
      /^Entra unavailable, retrying at \d\d:\d\d UTC: Entra ID failed the token requests \(HTTP 500\)/,
    );
    assert.equal(tokenRequests(NORTHWIND), 4);
    assert.match(error.message, /AADSTS90033/);
  });

  it('a plain-text 429 (as Entra has been seen to send) is explained too', async () => {
    const graph = simulatorGraph(sim, { tokenThrottleMaxWaitSeconds: 0 });
    const tenant = '44444444-4444-4444-8444-444444444444';
    failTokens(tenant, 1, 429, { body: 'Too Many Requests' });
    const error = await graph
      .forTenant(tenant)
      .getOrganization()
      .catch((e: unknown) => e);
    assert.ok(error instanceof GraphAccessError, String(error));
    assert.equal(error.code, 'throttled');
    assert.match(error.message, /retrying at \d\d:\d\d UTC/);
  });
});
