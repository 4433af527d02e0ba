import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Container } from '../../shared/app/container';
import type { TenantPlan } from '../../shared/sync/contacts/changes';
import { beforeSendContactWrites } from '../../shared/sync/contacts/haloWrites';

const plan = {
  tenantId: 't',
  tenantName: 'Contoso',
  match: { clientId: 10, clientName: 'Contoso', by: 'tenantId', detail: '' },
  changes: [],
  skippedUsers: [],
} as unknown as TenantPlan;

/** A Halo whose /Users list rows are cut down as Halo's are (Users_List: no azureoid). */
function haloListing(rows: unknown[]): Pick<Container, 'halo'> {
  return { halo: { list: async () => rows } } as unknown as Pick<Container, 'halo'>;
}

const created = { client_id: 10, name: 'Adele Vance', emailaddress: 'Adele@contoso.com', azureoid: 'oid-1' };
const missing = { client_id: 10, name: 'Alex Wilber', emailaddress: 'alex@contoso.com', azureoid: 'oid-2' };
const update = { id: 7, client_id: 10, name: 'Known', emailaddress: 'known@contoso.com' };

describe('contact sync: a recovering batch sends only the contacts Halo does not have', () => {
  it('recognises a contact an interrupted attempt created by its email when list rows carry no azureoid', async () => {
    const deps = haloListing([{ id: 51, client_id: 10, name: 'Adele Vance', emailaddress: 'adele@CONTOSO.com' }]);
    const bodies = await beforeSendContactWrites(
      deps,
      { resource: '/Users', bodies: [created, missing, update], changeCount: 3 },
      { plan, recovering: true },
    );
    assert.deepEqual(bodies, [missing, update]);
  });

  it('recognises it by azureoid where the row has one; sends everything when not recovering', async () => {
    const deps = haloListing([{ id: 51, client_id: 10, name: 'Adele V', emailaddress: '', azureoid: 'OID-1' }]);
    const batch = { resource: '/Users', bodies: [created, missing], changeCount: 2 };
    assert.deepEqual(await beforeSendContactWrites(deps, batch, { plan, recovering: true }), [missing]);
    assert.deepEqual(await beforeSendContactWrites(deps, batch, { plan, recovering: false }), [created, missing]);
  });
});
