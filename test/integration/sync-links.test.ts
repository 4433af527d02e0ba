import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import type { TenantPlan } from '../../shared/sync/contacts';
import { contactSync } from '../../shared/sync/contacts';
import { applyPlan } from '../../shared/sync/engine';
import { TENANTS } from './sync-helpers';

describe('tenant sync: linking a tenant to a company', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack.stop();
  });

  it('keeps links made since the run read Halo (posting azure_tenants replaces the list)', async () => {
    const fabrikam = stack.halo.store.tables.clients.get(11)!;
    // Planned from the run's snapshot, when Fabrikam had no links...
    const plan: TenantPlan = {
      tenantId: TENANTS.fabrikam,
      tenantName: 'Fabrikam Inc',
      match: { clientId: 11, clientName: 'Fabrikam, Inc.', by: 'website', detail: 'fabrikam.com' },
      changes: [
        {
          kind: 'linkTenant',
          resource: '/Client',
          clientId: 11,
          clientName: 'Fabrikam, Inc.',
          body: {
            id: 11,
            azure_tenants: [
              { azure_tenant_id: TENANTS.fabrikam, azure_tenant_name: 'Fabrikam Inc', details_name: 'Default' },
            ],
          },
          reason: 'test',
        },
      ],
      skippedUsers: [],
    };
    // ...while another tenant of the same run (or a person in Halo) linked it meanwhile.
    fabrikam.azure_tenants = [
      { id: 7, azure_tenant_id: TENANTS.tailspin, azure_tenant_name: 'Tailspin Toys', client_id: 11 },
    ];

    const result = await applyPlan(stack.container, contactSync, { runId: 'links-test', plan, dequeueCount: 1 });

    assert.equal(result.sent, 1);
    const links = (stack.halo.store.tables.clients.get(11)!.azure_tenants as { azure_tenant_id: string }[]).map(
      (l) => l.azure_tenant_id,
    );
    assert.deepEqual(links.sort(), [TENANTS.fabrikam, TENANTS.tailspin].sort());
  });
});
