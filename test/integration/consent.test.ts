// `consent` against the Graph simulator: the partner admin's device-code sign-in through @azure/identity, GDAP
// access per customer, service principals and app role assignments, and app-only verification.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientSecretCredential } from '@azure/identity';
import { partnerAdminTokens } from '../../dev/cli/partnerAdmin';
import type { GraphSimulator } from '../../dev/graph-sim';
import { DEMO_PARTNER_TENANT_ID, generateGraphSeed, startGraphSimulator, syntheticGuid } from '../../dev/graph-sim';
import { GDAP_ROLES } from '../../dev/graph-sim/consent';
import { parseIntegrationConfig } from '../../shared/config/integration';
import { consentAllTenants, describeConsentRun } from '../../shared/consent/consentAll';
import { graphHttp } from '../../shared/consent/graphHttp';

const appId = syntheticGuid(0xab, 1);
const secret = 'consent-test-secret';
const customer = (n: number) => syntheticGuid(0xc0, n);
let sim: GraphSimulator;
const prompts: string[] = [];

before(async () => {
  sim = await startGraphSimulator({
    seed: generateGraphSeed({ tenants: 4, usersPerTenant: 2, clientId: appId, secret }),
  });
  sim.consent.setup(DEMO_PARTNER_TENANT_ID, { servicePrincipal: true });
  sim.consent.setup(customer(1));
  sim.consent.setup(customer(2), { servicePrincipal: true, granted: ['User.Read.All', 'Mail.ReadWrite'] });
  sim.consent.setup(customer(3), { partnerRoles: [GDAP_ROLES.cloudApplicationAdministrator] });
  sim.consent.setup(customer(4), { partnerRoles: null });
});
after(() => sim.stop());

function run(apply: boolean) {
  const options = { authorityHost: sim.authorityHost, disableInstanceDiscovery: true };
  const partnerAdmin = partnerAdminTokens({
    authorityHost: sim.authorityHost,
    partnerTenantId: DEMO_PARTNER_TENANT_ID,
    clientId: '14d82eec-204b-4c2f-b7e8-296a70dab67e',
    prompt: (message) => prompts.push(message),
  });
  const token = (credential: ClientSecretCredential) => async () =>
    (await credential.getToken('https://graph.microsoft.com/.default'))!.token;
  return consentAllTenants({
    config: parseIntegrationConfig({}),
    appId,
    partnerTenantId: DEMO_PARTNER_TENANT_ID,
    extraTenants: [],
    apply,
    delegated: (tenantId) => graphHttp(sim.url, () => partnerAdmin(tenantId)),
    appOnly: (tenantId) => graphHttp(sim.url, token(new ClientSecretCredential(tenantId, appId, secret, options))),
  });
}

describe('consent in every customer tenant', () => {
  it('dry run: reports what is missing per tenant and changes nothing', async () => {
    const result = await run(false);
    const byTenant = new Map(result.tenants.map((t) => [t.tenantId.toLowerCase(), t]));
    assert.equal(result.tenants.length, 5, describeConsentRun(result, false).join('\n'));
    assert.deepEqual(byTenant.get(customer(1))?.missing, [
      'service principal',
      'User.Read.All',
      'Domain.Read.All',
      'Organization.Read.All',
    ]);
    assert.deepEqual(byTenant.get(customer(2))?.missing, ['Domain.Read.All', 'Organization.Read.All']);
    assert.match(byTenant.get(customer(2))?.warnings[0] ?? '', /Mail\.ReadWrite is granted tenant-wide/);
    assert.equal(byTenant.get(customer(4))?.status, 'failed');
    assert.match(byTenant.get(customer(4))?.fix ?? '', /no GDAP access/);
    assert.deepEqual(sim.consent.granted(customer(1)), []);
    assert.deepEqual(sim.consent.granted(customer(2)), ['User.Read.All', 'Mail.ReadWrite']);
  });

  it('--apply: creates the service principal, grants exactly what is needed, verifies app-only; a refusing tenant is reported with its fix', async () => {
    const result = await run(true);
    const lines = describeConsentRun(result, true);
    const byTenant = new Map(result.tenants.map((t) => [t.tenantId.toLowerCase(), t]));
    const one = byTenant.get(customer(1))!;
    assert.equal(one.status, 'consented', lines.join('\n'));
    assert.deepEqual(one.granted, ['service principal', 'User.Read.All', 'Domain.Read.All', 'Organization.Read.All']);
    assert.deepEqual(
      one.verified.map((v) => v.ok),
      [true, true, true],
    );
    assert.deepEqual(sim.consent.granted(customer(1)).sort(), [
      'Domain.Read.All',
      'Organization.Read.All',
      'User.Read.All',
    ]);
    assert.equal(byTenant.get(customer(2))?.status, 'consented');
    assert.deepEqual(byTenant.get(customer(2))?.granted, ['Domain.Read.All', 'Organization.Read.All']);
    const partner = byTenant.get(DEMO_PARTNER_TENANT_ID.toLowerCase())!;
    assert.equal(partner.status, 'consented', lines.join('\n'));
    assert.deepEqual(partner.granted, ['DelegatedAdminRelationship.Read.All', 'Directory.Read.All']);
    const three = byTenant.get(customer(3))!;
    assert.equal(three.status, 'failed');
    assert.match(three.reason ?? '', /granting User\.Read\.All: 403 Authorization_RequestDenied/);
    assert.match(three.fix ?? '', /Privileged Role Administrator/);
    assert.match(lines.at(-1) ?? '', /5 tenant\(s\): 3 consented, 0 missing permissions, 2 failed$/);
  });

  it('re-running --apply is harmless: nothing new is created', async () => {
    const result = await run(true);
    assert.deepEqual(
      result.tenants.filter((t) => t.status === 'consented').map((t) => t.granted),
      [[], [], []],
    );
    assert.deepEqual(sim.consent.granted(customer(1)).sort(), [
      'Domain.Read.All',
      'Organization.Read.All',
      'User.Read.All',
    ]);
  });

  it('an app-only call without the permission is refused by the simulator (the verification has teeth)', async () => {
    const credential = new ClientSecretCredential(customer(2), appId, secret, {
      authorityHost: sim.authorityHost,
      disableInstanceDiscovery: true,
    });
    const graph = graphHttp(
      sim.url,
      async () => (await credential.getToken('https://graph.microsoft.com/.default'))!.token,
    );
    await graph.get('/users?$top=1');
    await assert.rejects(graph.get('/deviceManagement/managedDevices'), /403 Authorization_RequestDenied/);
  });
});
