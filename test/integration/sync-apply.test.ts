import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { haloApiRequests, postSync, settleRun, TENANTS } from './sync-helpers';

describe('tenant sync: demo tenants end to end', () => {
  let stack: Stack;
  const users = () => stack.halo.store.tables.users;
  const user = (id: number) => users().get(id)!;
  const byOid = (oid: string) => [...users().values()].filter((u) => u.azureoid === oid);

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack.stop();
  });

  it('plan mode reports the plan and changes nothing in Halo', async () => {
    const before = JSON.stringify([...users().values(), ...stack.halo.store.tables.clients.values()]);
    stack.halo.resetCounters();
    const started = await postSync(stack, { mode: 'plan' });
    assert.equal(started.status, 202);
    const status = await settleRun(stack, String(started.json.runId));
    assert.equal(status.run.status, 'succeeded');
    assert.equal(status.tenants.length, 4);
    assert.equal(JSON.stringify([...users().values(), ...stack.halo.store.tables.clients.values()]), before);
    const requests = haloApiRequests(stack);
    assert.deepEqual(
      Object.keys(requests).filter((k) => k.startsWith('POST') && k !== 'POST /api/report'),
      [],
      'no writes',
    );
    const contoso = status.tenants.find((t) => t.tenantId === TENANTS.contoso)!;
    assert.ok((contoso.changes?.createContact ?? 0) > 0, 'the plan has creates');
  });

  it('apply mode links companies, creates and pairs contacts, deactivates leavers, in a few batched requests', async () => {
    stack.halo.resetCounters();
    const started = await postSync(stack, { mode: 'apply' });
    assert.equal(started.status, 202);
    assert.equal(started.json.tenants, 4);
    const status = await settleRun(stack, String(started.json.runId));
    assert.equal(status.run.status, 'succeeded', JSON.stringify(status.run));

    const match = (tenantId: string) =>
      status.tenants.find((t) => t.tenantId === tenantId)!.match as unknown as Record<string, unknown>;
    assert.equal(match(TENANTS.contoso).by, 'tenantId');
    assert.equal(match(TENANTS.fabrikam).by, 'website');
    assert.equal(match(TENANTS.northwind).by, 'contactDomain');
    assert.match(String(match(TENANTS.tailspin).instruction), /Tailspin Toys/);

    const clients = stack.halo.store.tables.clients;
    const links = (id: number) =>
      ((clients.get(id)!.azure_tenants as { azure_tenant_id: string }[]) ?? []).map((t) => t.azure_tenant_id);
    assert.deepEqual(links(10), [TENANTS.contoso]);
    assert.deepEqual(links(11), [TENANTS.fabrikam]);
    assert.deepEqual(links(12), [TENANTS.northwind]);
    assert.deepEqual(links(13), []);

    // Contoso: Adele and Diego created once each, Alex paired by email, Lee (left) deactivated.
    assert.equal(byOid('11111111-0000-4000-8000-000000000001').length, 1);
    assert.equal(byOid('11111111-0000-4000-8000-000000000003').length, 1);
    assert.equal(byOid('11111111-0000-4000-8000-000000000001')[0]!.site_id, 10);
    assert.equal(user(202).azureoid, '11111111-0000-4000-8000-000000000002');
    assert.equal(user(203).inactive, true);
    // Unlicensed and admin accounts are not created.
    assert.equal(byOid('11111111-0000-4000-8000-000000000004').length, 0);
    assert.equal(byOid('11111111-0000-4000-8000-000000000005').length, 0);
    // Kept active by the custom field, and the General Users, untouched.
    assert.equal(user(204).inactive, false);
    assert.equal(user(304).inactive, false);
    for (const id of [101, 110, 111, 112, 113]) assert.equal(user(id).inactive, false);
    // Northwind's and Fabrikam's leavers; Tailspin's users are nowhere (unmatched).
    assert.equal(user(301).inactive, true);
    assert.equal(user(401).inactive, true);
    assert.equal(byOid('44444444-0000-4000-8000-000000000001').length, 0);
    assert.equal(user(501).inactive, false);

    const requests = haloApiRequests(stack);
    assert.equal(requests['GET /api/client'], 3, 'the bulk list, then a live read of each company being linked');
    assert.equal(requests['GET /api/site'], 1);
    assert.equal(requests['POST /api/report'], 1);
    assert.equal(requests['POST /api/client'], 2, 'one link batch each for Fabrikam and Northwind');
    assert.equal(requests['POST /api/users'], 3, 'one contact batch per matched tenant');
    assert.equal(requests['GET /api/users'], undefined, 'Halo is never read per tenant');
  });

  it('a second run plans nothing and costs only the bulk reads', async () => {
    stack.halo.resetCounters();
    const started = await postSync(stack, { mode: 'apply' });
    const status = await settleRun(stack, String(started.json.runId));
    assert.equal(status.run.status, 'succeeded');
    for (const tenant of status.tenants) assert.deepEqual(tenant.changes, {}, tenant.tenantId);
    assert.deepEqual(haloApiRequests(stack), { 'GET /api/client': 1, 'GET /api/site': 1, 'POST /api/report': 1 });
  });

  it('writes the report (JSON and CSVs) to blob storage', async () => {
    const started = await postSync(stack, { mode: 'plan', tenantId: TENANTS.tailspin });
    assert.equal(started.json.tenants, 1);
    const runId = String(started.json.runId);
    const status = await settleRun(stack, runId);
    const summary = status.run.summary as { reports: string[] };
    const listed = (await stack.container.reports.list(`tenant-sync/${runId}/`)).map((r) => r.path);
    for (const path of summary.reports) assert.ok(listed.includes(path), path);
    const report = JSON.parse(
      (await stack.container.reports.get(`tenant-sync/${runId}/report.json`))!.content.toString(),
    );
    assert.equal(report.runId, runId);
    assert.equal(report.summary.unmatched, 1);
    const unmatched = (await stack.container.reports.get(`tenant-sync/${runId}/unmatched.csv`))!.content.toString();
    assert.match(unmatched.split(/\r?\n/)[0]!, /Tenant,Tenant id,Reason,Instruction/);
    assert.match(unmatched, /Tailspin Toys/);
    const run = JSON.parse((await stack.container.reports.get(`tenant-sync/${runId}/run.json`))!.content.toString());
    assert.equal(run.tenants[0].phase, 'done');
  });

  it('rejects a bad request body with the JSON path of each problem', async () => {
    const bad = await postSync(stack, { mode: 'everything', tenantId: 'not-a-guid', extra: 1 });
    assert.equal(bad.status, 400);
    const problems = (bad.json.problems as string[]).join('\n');
    assert.match(problems, /\$\.mode/);
    assert.match(problems, /\$\.tenantId/);
    assert.match(problems, /extra/);
    const notJson = await postSync(stack, undefined, { raw: '{"mode":' });
    assert.equal(notJson.status, 400);
    assert.match((notJson.json.problems as string[])[0]!, /not JSON/);
    assert.equal((await postSync(stack, {}, { key: null })).status, 401);
    const unknown = await postSync(stack, { tenantId: '55555555-5555-4555-8555-555555555555' });
    assert.equal(unknown.status, 404);
    assert.match(String(unknown.json.error), /not a customer tenant/);
  });

  it('refuses a body over 1 MB with 413, without parsing it and without starting a run', async () => {
    const runsBefore = (await stack.container.stores.runs.list('tenant-sync')).length;
    const tooBig = await postSync(stack, undefined, { raw: `{"mode":"plan","pad":"${'x'.repeat(1_100_000)}` });
    assert.equal(tooBig.status, 413);
    assert.match(
      String(tooBig.json.error),
      /^request body too large: Content-Length \d+ is over the limit of 1000000 bytes \(1 MB\)/,
    );
    assert.equal(tooBig.json.problems, undefined, 'not parsed: no JSON problems');
    assert.equal((await stack.container.stores.runs.list('tenant-sync')).length, runsBefore);
  });

  it('the timer starts a run only when the configured schedule has come due', async () => {
    const runs = () => stack.container.stores.runs.list('tenant-sync');
    const count = (await runs()).length;
    await stack.runner.runTimer('syncTimer');
    assert.equal((await runs()).length, count, 'the first check only records a baseline');
    await stack.container.stores.checkpoints.put('tenant-sync', 'schedule', '2000-01-01T00:00:00.000Z');
    await stack.runner.runTimer('syncTimer');
    const [newest] = await runs();
    assert.equal((await runs()).length, count + 1);
    await settleRun(stack, newest!.runId);
    await stack.runner.runTimer('syncTimer');
    assert.equal((await runs()).length, count + 1, 'not due again until the next occurrence');
  });
});
