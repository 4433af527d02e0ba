import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CreateSiteChange, CreateUserChange, UserChange } from '../../shared/sync/entra/changes';
import { connection, directory, dirUser, halo, haloUser, kinds, plan } from './entra-fixtures';

const usersOnly = (overrides: Record<string, unknown> = {}) =>
  connection({ syncs: { agents: false }, siteMappings: [{ type: 'existingSite', siteId: 1 }], ...overrides });

describe('Entra ID planner: users (site mappings in sequence, roles, matching, deactivation)', () => {
  it('(a) an existing site, for the users a group or field filter selects; the first mapping in sequence wins', () => {
    const dir = directory([dirUser('alice', { city: 'London' }), dirUser('bob', { city: 'Leeds' }), dirUser('carol')], {
      'UK Staff': ['alice', 'bob'],
    });
    const result = plan(dir, {
      connection: usersOnly({
        siteMappings: [
          { type: 'existingSite', siteId: 1, sequence: 2 },
          {
            type: 'existingSite',
            siteId: 2,
            sequence: 1,
            group: 'UK Staff',
            filters: [{ field: 'city', operator: 'equals', value: 'london' }],
            userRoleId: 2,
          },
        ],
      }),
    });
    const site = (oid: string) => (result.changes.find((c) => c.oid === oid) as CreateUserChange).body.site_id;
    assert.equal(site('oid-alice'), 2, 'in the group and in London: the sequence-1 mapping');
    assert.equal(site('oid-bob'), 1, 'in the group, not in London: the next mapping');
    assert.equal(site('oid-carol'), 1);
    const alice = result.changes.find((c) => c.oid === 'oid-alice') as CreateUserChange;
    assert.deepEqual(alice.body.roles, [{ id: 2 }], "the mapping's user role");
    assert.equal(alice.body.azureoid, 'oid-alice');
    assert.equal(alice.body.name, 'Alice Person');
  });

  it('guests only when the mapping takes external users (all, or only licensed ones)', () => {
    const dir = directory([
      dirUser('guest1', { userType: 'Guest', assignedLicenses: [] }),
      dirUser('guest2', { userType: 'Guest', assignedLicenses: [{ skuId: 'x' }] }),
    ]);
    const none = plan(dir, { connection: usersOnly() });
    assert.deepEqual(kinds(none), []);
    const licensed = plan(dir, {
      connection: usersOnly({ siteMappings: [{ type: 'existingSite', siteId: 1, externalUsers: 'licensedOnly' }] }),
    });
    assert.deepEqual(
      licensed.changes.map((c) => c.oid),
      ['oid-guest2'],
    );
    const all = plan(dir, {
      connection: usersOnly({ siteMappings: [{ type: 'existingSite', siteId: 1, externalUsers: 'all' }] }),
    });
    assert.equal(all.changes.length, 2);
  });

  it('(b) a site per value of an Entra field under a client: existing by name, else created once and used by its users', () => {
    const dir = directory([
      dirUser('alice', { officeLocation: 'London' }),
      dirUser('bob', { officeLocation: 'Paris' }),
      dirUser('carol', { officeLocation: 'paris' }),
    ]);
    const result = plan(dir, {
      connection: usersOnly({ siteMappings: [{ type: 'organisation', clientId: 1, field: 'officeLocation' }] }),
    });
    assert.deepEqual(kinds(result), ['createSite', 'createUser', 'createUser', 'createUser']);
    const site = result.changes[0] as CreateSiteChange;
    assert.deepEqual(site.body, { name: 'Paris', client_id: 1 });
    const users = result.changes.slice(1) as CreateUserChange[];
    assert.equal(users[0]!.body.site_id, 2, 'London exists');
    assert.deepEqual(users[1]!.body.site_id, { $ref: 'site', clientId: 1, name: 'Paris' });
    assert.deepEqual(users[2]!.body.site_id, { $ref: 'site', clientId: 1, name: 'Paris' });
  });

  it('(c) the site whose field matches a user field; no match: the default site, or skipped (and the next mapping tried)', () => {
    const dir = directory([
      dirUser('alice', { mail: 'alice@bridgemsp.com' }),
      dirUser('bob', { mail: 'bob@elsewhere.com' }),
    ]);
    const withDefault = plan(dir, {
      connection: usersOnly({
        siteMappings: [{ type: 'matchField', siteField: 'emaildomain', userField: 'mail', noMatch: { siteId: 2 } }],
      }),
    });
    assert.deepEqual(
      withDefault.changes.map((c) => (c as CreateUserChange).body.site_id),
      [1, 2],
    );
    const skipped = plan(dir, {
      connection: usersOnly({
        siteMappings: [{ type: 'matchField', siteField: 'emaildomain', userField: 'mail', noMatch: 'skip' }],
      }),
    });
    assert.deepEqual(
      skipped.changes.map((c) => c.oid),
      ['oid-alice'],
    );
    assert.match(
      skipped.log.find((e) => e.oid === 'oid-bob')?.outcome ?? '',
      /no site has emaildomain "elsewhere.com".*not imported/,
    );
  });

  it('user roles from groups and the no-manager role are added; existing roles are kept', () => {
    const dir = directory([dirUser('alice', {}, { managerId: 'oid-boss' }), dirUser('boss')], { Managers: ['boss'] });
    const result = plan(dir, {
      connection: usersOnly({
        groups: { userRoles: [{ group: 'Managers', roleId: 2 }] },
        roles: { noManagerUserRoleId: 3 },
      }),
      halo: halo({
        users: [haloUser(40, 'boss@bridgemsp.com', { azureoid: 'oid-boss', name: 'Boss Person', roleIds: [1] })],
      }),
    });
    const boss = result.changes.find((c): c is UserChange => c.oid === 'oid-boss');
    assert.deepEqual(boss?.body.roles, [{ id: 1 }, { id: 2 }, { id: 3 }]);
    assert.match(boss?.reason ?? '', /no manager in Entra/);
    const alice = result.changes.find((c): c is CreateUserChange => c.oid === 'oid-alice');
    assert.equal(alice?.body.roles, undefined, 'alice has a manager and no mapped group');
  });

  it('first import: matched by object id first, then the matching fields in order; a tie is reported and never matched', () => {
    const dir = directory([dirUser('alice'), dirUser('bob'), dirUser('carol', { employeeId: 'E7' })]);
    const result = plan(dir, {
      connection: usersOnly({
        matching: {
          users: [
            { entra: 'employeeId', halo: 'other1' },
            { entra: 'mail', halo: 'emailaddress' },
          ],
        },
      }),
      halo: halo({
        users: [
          haloUser(5, '', { name: 'General User', isGeneralUser: true }),
          haloUser(50, 'someone@else.com', { azureoid: 'oid-alice', name: 'Alice Person' }),
          haloUser(51, 'alice@bridgemsp.com', { name: 'Alice Duplicate' }),
          haloUser(60, 'bob@bridgemsp.com', { name: 'Bob One' }),
          haloUser(61, 'BOB@bridgemsp.com ', { name: 'Bob Two' }),
          haloUser(70, 'carol.old@bridgemsp.com', { name: 'Carol Person', fields: { other1: 'E7' } }),
        ],
      }),
    });
    const alice = result.log.find((e) => e.oid === 'oid-alice');
    assert.equal(alice?.user, 'user #50 (by azureoid)');
    const bob = result.log.find((e) => e.oid === 'oid-bob');
    assert.match(bob?.user ?? '', /^tie: mail = user emailaddress "bob@bridgemsp.com" matches #60, #61/);
    assert.equal(
      result.changes.filter((c) => c.oid === 'oid-bob').length,
      0,
      'a tie creates nothing and updates nothing',
    );
    assert.ok(result.problems.some((p) => /bob@bridgemsp.com: user not matched/.test(p)));
    const carol = result.changes.find((c): c is UserChange => c.oid === 'oid-carol');
    assert.equal(carol?.userId, 70, 'employeeId matched first');
    assert.equal(carol?.body.azureoid, 'oid-carol', 'linked by writing its object id');
    assert.equal(carol?.body.emailaddress, 'carol@bridgemsp.com');
  });

  it('accountEnabled = false: an existing user is made inactive, a new one is not created; the General User and keep-active users never', () => {
    const dir = directory([
      dirUser('alice', { accountEnabled: false }),
      dirUser('keep', { accountEnabled: false }),
      dirUser('new', { accountEnabled: false }),
    ]);
    const result = plan(dir, {
      connection: usersOnly({ deactivation: { keepActiveField: { name: 'CFKeepActive', value: 'Y' } } }),
      halo: halo({
        users: [
          haloUser(50, 'alice@bridgemsp.com', { azureoid: 'oid-alice', name: 'Alice Person' }),
          haloUser(51, 'keep@bridgemsp.com', { azureoid: 'oid-keep', name: 'Keep Person', keepActiveValue: 'y' }),
        ],
      }),
    });
    assert.deepEqual(
      result.changes.filter((c) => (c as UserChange).body.inactive !== undefined).map((c) => `${c.kind}:${c.oid}`),
      ['deactivateUser:oid-alice'],
    );
    assert.ok(!result.changes.some((c) => c.oid === 'oid-new'));
    assert.match(
      result.log.find((e) => e.oid === 'oid-keep')?.outcome ?? '',
      /kept active: its custom field CFKeepActive is "Y"/,
    );
    assert.match(result.log.find((e) => e.oid === 'oid-new')?.outcome ?? '', /disabled in Entra: no user is created/);
  });

  it('deactivation (opt-in): users deleted (soft or hard) or not found are made inactive, never the General User', () => {
    const gone = (local: string) => dirUser(local);
    const dir = directory([]);
    const users = [
      { id: 'oid-alice', event: 'softDeleted' as const, gone: gone('alice') },
      { id: 'oid-bob', event: 'notFound' as const, gone: gone('bob') },
      { id: 'oid-carol', event: 'deleted' as const, gone: gone('carol') },
    ];
    const snapshot = halo({
      users: [
        haloUser(5, 'general@bridgemsp.com', { name: 'General User', isGeneralUser: true, azureoid: 'oid-carol' }),
        haloUser(50, 'alice@bridgemsp.com', { azureoid: 'oid-alice' }),
        haloUser(51, 'bob@bridgemsp.com', { azureoid: 'oid-bob' }),
      ],
    });
    const off = plan(dir, { connection: usersOnly(), users, halo: snapshot });
    assert.deepEqual(kinds(off), [], 'opt-in: off by default');
    assert.match(off.log[0]!.outcome, /deactivation.users is off/);
    const on = plan(dir, { connection: usersOnly({ deactivation: { users: true } }), users, halo: snapshot });
    assert.deepEqual(
      on.changes.map((c) => `${c.kind}:${(c as UserChange).userId}`),
      ['deactivateUser:50', 'deactivateUser:51'],
    );
    assert.match(on.changes[0]!.reason, /deleted in Entra \(in its deleted users, restorable\)/);
    assert.match(on.changes[1]!.reason, /not found by a full read/);
    assert.deepEqual(on.forgetAgentLinks, ['oid-carol'], 'a hard delete forgets the agent link');
  });

  it('a soft-deleted user that comes back is reactivated', () => {
    const dir = directory([dirUser('alice')]);
    const result = plan(dir, {
      connection: usersOnly(),
      previous: directory([dirUser('alice', {}, { goneSince: '2026-01-01T00:00:00Z' })]),
      users: [{ id: 'oid-alice', event: 'restored' }],
      halo: halo({
        users: [haloUser(50, 'alice@bridgemsp.com', { azureoid: 'oid-alice', name: 'Alice Person', inactive: true })],
      }),
    });
    assert.deepEqual(kinds(result), ['reactivateUser']);
    assert.match(result.changes[0]!.reason, /restored in Entra/);
  });

  it('updates only fields that differ; fields Halo did not show compare with the previous Entra value', () => {
    const before = directory([dirUser('alice', { jobTitle: 'Engineer' })]);
    const now = directory([dirUser('alice', { jobTitle: 'Lead Engineer', mobilePhone: '+44 1' })]);
    const snapshot = halo({
      users: [
        haloUser(50, 'alice@bridgemsp.com', {
          azureoid: 'oid-alice',
          name: 'Alice Person',
          fields: { firstname: 'alice', surname: 'Person', mobilenumber: '+44 1' },
        }),
      ],
    });
    const result = plan(now, { connection: usersOnly(), previous: before, halo: snapshot });
    const change = result.changes[0] as UserChange;
    assert.deepEqual(
      change.fields.map((f) => f.field),
      ['title'],
    );
    assert.deepEqual(change.body, { id: 50, title: 'Lead Engineer' });
    const quiet = plan(now, { connection: usersOnly(), previous: now, halo: snapshot });
    assert.deepEqual(kinds(quiet), []);
    assert.match(quiet.log[0]!.outcome, /no change: Halo already matches Entra/);
  });
});
