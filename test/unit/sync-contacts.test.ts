import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Change } from '../../shared/sync/contacts/changes';
import { contactEmails } from '../../shared/sync/contacts/contactFields';
import { planTenant } from '../../shared/sync/contacts/plan';
import type { GraphUser, HaloUser, HaloUserWrite } from '../../shared/sync/contacts/types';
import { config, contact, contactInStep, graphUser, halo, TENANT_ID, tenant } from './sync-fixtures';

const linked = { azure_tenants: [{ azure_tenant_id: TENANT_ID }] };

function plan(users: GraphUser[], contacts: HaloUser[], overrides: Record<string, unknown> = {}): Change[] {
  const snapshot = halo(contacts);
  snapshot.clients[0] = { ...snapshot.clients[0]!, ...linked };
  return planTenant(tenant(users), snapshot, config(overrides)).changes;
}

const kinds = (changes: Change[]) => changes.map((c) => c.kind);

describe('contact planning', () => {
  it('a contact paired by object id and in step plans nothing', () => {
    const ann = graphUser('ann');
    assert.deepEqual(plan([ann], [contactInStep(ann)]), []);
  });

  it('pairs a contact found by UPN = email (case-insensitive) and re-activates it', () => {
    const ann = graphUser('ann');
    const existing = contactInStep(ann, { azureoid: '', emailaddress: 'ANN@Fabrikam.com', inactive: true });
    const changes = plan([ann], [existing]);
    assert.deepEqual(kinds(changes), ['pairContact']);
    assert.deepEqual(changes[0]!.body, { id: existing.id, azureoid: 'oid-ann', inactive: false });
    assert.match(changes[0]!.reason, /re-activating/);
  });

  it('pairs by email2/email3 and by proxy addresses', () => {
    const ann = graphUser('ann');
    const bob = graphUser('bob');
    const annContact = contact({
      name: 'ann Person',
      emailaddress: 'old@else.example',
      email2: 'x@y.z',
      email3: 'ANN@fabrikam.com',
    });
    const bobContact = contact({ name: 'bob Person', emailaddress: 'bob@fabrikam.net' });
    const changes = plan([ann, bob], [annContact, bobContact], { contacts: { updateChanged: false } });
    assert.deepEqual(
      changes.map((c) => [c.kind, c.body.id, 'azureoid' in c.body ? c.body.azureoid : undefined]),
      [
        ['pairContact', annContact.id, 'oid-ann'],
        ['pairContact', bobContact.id, 'oid-bob'],
      ],
    );
  });

  it('does not take a contact already paired with another present user', () => {
    const ann = graphUser('ann');
    const bob = graphUser('bob', { proxyAddresses: ['SMTP:bob@fabrikam.com', 'smtp:ann@fabrikam.com'] });
    const annContact = contactInStep(ann);
    const changes = plan([ann, bob], [annContact]);
    assert.deepEqual(kinds(changes), ['createContact']);
    assert.equal((changes[0]!.body as HaloUserWrite).azureoid, 'oid-bob');
  });

  it('creates a missing licensed user with its fields, aliases and site by street address', () => {
    const carol = graphUser('carol', { streetAddress: ' 9  harbour way ', faxNumber: '+1 555 0111' });
    const changes = plan([carol], []);
    assert.deepEqual(kinds(changes), ['createContact']);
    assert.deepEqual(changes[0]!.body, {
      client_id: 11,
      site_id: 111,
      name: 'carol Person',
      firstname: 'carol',
      surname: 'Person',
      title: 'Engineer',
      phonenumber: '+1 555 0100',
      mobilenumber: '+1 555 0199',
      fax: '+1 555 0111',
      emailaddress: 'carol@fabrikam.com',
      email2: 'carol@fabrikam.net',
      azureoid: 'oid-carol',
      inactive: false,
    });
    assert.match(changes[0]!.reason, /by street address/);
  });

  it('puts a new contact on the main site when no site has its street address', () => {
    const changes = plan([graphUser('dan', { streetAddress: 'Somewhere else 5' })], []);
    assert.equal((changes[0]!.body as HaloUserWrite).site_id, 110);
  });

  it('takes email2/email3 from proxy addresses: never onmicrosoft.com, never the primary again', () => {
    const user = graphUser('eve', {
      proxyAddresses: [
        'smtp:eve@fabrikam.onmicrosoft.com',
        'SMTP:eve@fabrikam.com',
        'smtp:EVE@fabrikam.com',
        'X500:/o=Exchange/cn=eve',
        'smtp:e.one@fabrikam.net',
        'smtp:e.two@fabrikam.net',
        'smtp:e.three@fabrikam.net',
      ],
    });
    assert.deepEqual(contactEmails(user), {
      emailaddress: 'eve@fabrikam.com',
      email2: 'e.one@fabrikam.net',
      email3: 'e.two@fabrikam.net',
    });
    const onMicrosoftUpn = graphUser('fay', {
      userPrincipalName: 'fay@fabrikam.onmicrosoft.com',
      mail: 'fay@fabrikam.com',
      proxyAddresses: ['SMTP:fay@fabrikam.com'],
    });
    assert.deepEqual(contactEmails(onMicrosoftUpn), { emailaddress: 'fay@fabrikam.com' });
  });

  it('skips admin UPNs, unlicensed users and disabled accounts when creating', () => {
    const users = [
      graphUser('admin.jo'),
      graphUser('SysAdmin'),
      graphUser('nolicence', { assignedLicenses: [] }),
      graphUser('disabled', { accountEnabled: false }),
    ];
    const result = planTenant(tenant(users), { ...halo(), clients: [{ ...halo().clients[0]!, ...linked }] }, config());
    assert.deepEqual(result.changes, []);
    assert.deepEqual(
      result.skippedUsers.map((s) => s.reason),
      [
        'not created: UPN contains "admin"',
        'not created: UPN contains "admin"',
        'absent: the account is disabled',
        'absent: the user has no licence',
      ],
    );
  });

  it('creates unlicensed users when licensedOnly is off, and nobody when createMissing is off', () => {
    const user = graphUser('nolicence', { assignedLicenses: [] });
    assert.deepEqual(kinds(plan([user], [], { contacts: { licensedOnly: false } })), ['createContact']);
    assert.deepEqual(plan([graphUser('ann')], [], { contacts: { createMissing: false } }), []);
  });

  it('updates only the fields that differ, and never clears a field Graph leaves empty', () => {
    const ann = graphUser('ann', { jobTitle: 'Lead Engineer', mobilePhone: null });
    const existing = contactInStep(graphUser('ann'), { title: 'Engineer', mobilenumber: '+1 555 0199' });
    const changes = plan([ann], [existing]);
    assert.deepEqual(kinds(changes), ['updateContact']);
    assert.deepEqual(changes[0]!.body, { id: existing.id, title: 'Lead Engineer' });
    const update = changes[0]!;
    assert.ok(update.kind === 'updateContact');
    assert.deepEqual(update.fields, [{ field: 'title', from: 'Engineer', to: 'Lead Engineer' }]);
  });

  it('never compares fields the snapshot did not read (e.g. a report without firstname)', () => {
    const ann = graphUser('ann');
    const fromReport = contact({
      name: 'ann Person',
      emailaddress: 'ann@fabrikam.com',
      azureoid: 'oid-ann',
      phonenumber: '+1 555 0100',
      mobilenumber: '+1 555 0199',
    });
    assert.deepEqual(plan([ann], [fromReport]), []);
  });

  it('re-activates an inactive contact paired by object id', () => {
    const ann = graphUser('ann');
    const existing = contactInStep(ann, { inactive: true });
    const changes = plan([ann], [existing]);
    assert.deepEqual(kinds(changes), ['reactivateContact']);
    assert.deepEqual(changes[0]!.body, { id: existing.id, inactive: false });
  });

  describe('deactivation', () => {
    const ann = graphUser('ann');
    const deactivated = (contacts: HaloUser[], overrides: Record<string, unknown> = {}) =>
      plan([ann], [contactInStep(ann), ...contacts], overrides)
        .filter((c) => c.kind === 'deactivateContact')
        .map((c) => c.body.id);

    it('deactivates a leaver whose email domain is the tenant’s, with the body Halo expects', () => {
      const leaver = contact({ emailaddress: 'gone@FABRIKAM.net', azureoid: 'oid-gone' });
      const changes = plan([ann], [contactInStep(ann), leaver]);
      assert.deepEqual(
        changes.map((c) => c.body),
        [{ id: leaver.id, inactive: true }],
      );
      assert.match(changes[0]!.reason, /neither its object id nor its email/);
    });

    it('keeps contacts of other domains (suppliers, personal mail)', () => {
      assert.deepEqual(deactivated([contact({ emailaddress: 'rep@supplier.example' })]), []);
    });

    it('deactivates a contact with no email and no phones at all', () => {
      const empty = contact({ emailaddress: '', phonenumber: '', mobilenumber: '' });
      const phoneOnly = contact({ emailaddress: '', phonenumber: '+1 555 0000' });
      assert.deepEqual(deactivated([empty, phoneOnly]), [empty.id]);
    });

    it('deactivates the contact of a user who lost the licence or was disabled, saying so', () => {
      const lost = graphUser('lost', { assignedLicenses: [] });
      const off = graphUser('off', { accountEnabled: false });
      const changes = plan([lost, off], [contactInStep(lost), contactInStep(off)]);
      assert.deepEqual(kinds(changes), ['deactivateContact', 'deactivateContact']);
      assert.match(changes[0]!.reason, /lost@fabrikam\.com: the user has no licence/);
      assert.match(changes[1]!.reason, /off@fabrikam\.com: the account is disabled/);
    });

    it('respects the keep-active custom field, by value or display text, with a configurable name and value', () => {
      const byValue = contact({
        emailaddress: 'a@fabrikam.com',
        customfields: [{ name: 'CFM365SyncKeepActive', value: 'y' }],
      });
      const byDisplay = contact({
        emailaddress: 'b@fabrikam.com',
        customfields: [{ name: 'M365SyncKeepActive', value: '2', display: 'Y' }],
      });
      const other = contact({
        emailaddress: 'c@fabrikam.com',
        customfields: [{ name: 'CFM365SyncKeepActive', value: 'N' }],
      });
      assert.deepEqual(deactivated([byValue, byDisplay, other]), [other.id]);
      const custom = contact({ emailaddress: 'd@fabrikam.com', customfields: [{ name: 'CFKeep', value: '2' }] });
      assert.deepEqual(deactivated([custom], { contacts: { keepActiveField: { name: 'CFKeep', value: 2 } } }), []);
    });

    it('never deactivates the General User or a contact already inactive, nor anyone when switched off', () => {
      const general = contact({ name: 'General User', emailaddress: '' });
      const flagged = contact({ name: 'Catch-all', emailaddress: '', isGeneralUser: true });
      const inactive = contact({ emailaddress: 'gone@fabrikam.com', inactive: true });
      assert.deepEqual(deactivated([general, flagged, inactive]), []);
      assert.deepEqual(
        deactivated([contact({ emailaddress: 'gone@fabrikam.com' })], { contacts: { deactivateMissing: false } }),
        [],
      );
    });

    it('keeps a duplicate contact whose email a present user still has', () => {
      const dup = contact({ emailaddress: 'ann@fabrikam.com' });
      assert.deepEqual(deactivated([dup]), []);
    });
  });
});
