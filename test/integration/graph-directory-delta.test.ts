import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type GraphSimulator, startGraphSimulator } from '../../dev/graph-sim';
import {
  addMembers,
  createGroup,
  deleteUser,
  removeMembers,
  renameGroup,
  restoreUser,
  setManager,
  updateUser,
} from '../../dev/graph-sim/directory';
import { MEMBERS_PER_GROUP_ENTRY } from '../../dev/graph-sim/directoryDelta';
import { simulatorToken } from '../support/graph';

const TENANT = 'dddddddd-0000-4000-8000-000000000001';
const APP = { clientId: 'dddddddd-0000-4000-8000-0000000000ab', secrets: ['directory-test-secret-value'] };
const OWN_APP = { clientId: 'dddddddd-0000-4000-8000-0000000000cd', secrets: ['own-app-secret-value'] };
const OTHER = 'dddddddd-0000-4000-8000-000000000002';
const uid = (n: number) => `dddddddd-1111-4000-8000-${String(n).padStart(12, '0')}`;

type Page = { value: Record<string, unknown>[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };

describe('graph simulator: users and groups delta (as strict as Graph where it is documented)', () => {
  let sim: GraphSimulator;
  let token: string;
  before(async () => {
    const users = Array.from({ length: 130 }, (_, i) => ({
      id: uid(i + 1),
      displayName: `User ${i + 1}`,
      userPrincipalName: `user${i + 1}@dir.example`,
      mail: `user${i + 1}@dir.example`,
      accountEnabled: true,
      department: 'Sales',
      jobTitle: 'Rep',
      signInActivity: { lastSignInDateTime: '2026-01-01T00:00:00Z' },
      ...(i > 0 && i < 4 ? { managerId: uid(1) } : {}),
    }));
    sim = await startGraphSimulator({
      seed: {
        app: APP,
        tenants: [
          {
            id: TENANT,
            displayName: 'Directory Test',
            domains: [{ id: 'dir.example', isDefault: true }],
            users,
            groups: [
              { id: 'g-big', displayName: 'Everyone', members: users.map((u) => u.id) },
              { id: 'g-small', displayName: 'Admins', members: [uid(1)] },
            ],
            apps: [OWN_APP],
          },
          { id: OTHER, displayName: 'Another Tenant', domains: [{ id: 'other.example', isDefault: true }] },
        ],
      },
    });
    token = await simulatorToken(sim, TENANT);
  });
  after(async () => {
    await sim.stop();
  });

  const get = async (pathOrLink: string, headers: Record<string, string> = {}) => {
    const url = pathOrLink.startsWith('https://') ? pathOrLink : `${sim.url}/v1.0${pathOrLink}`;
    return fetch(url, { headers: { Authorization: `Bearer ${token}`, ...headers } });
  };
  const round = async (start: string) => {
    const values: Record<string, unknown>[] = [];
    let page = (await (await get(start)).json()) as Page;
    let pages = 1;
    for (;;) {
      values.push(...page.value);
      if (page['@odata.deltaLink']) return { values, deltaLink: page['@odata.deltaLink'], pages };
      page = (await (await get(page['@odata.nextLink']!)).json()) as Page;
      pages++;
    }
  };

  it('users: a full round in pages with the selected properties and manager@delta (ids only)', async () => {
    const { values, pages } = await round('/users/delta?$select=displayName,department,manager');
    assert.equal(values.length, 130);
    assert.ok(pages >= 1);
    const second = values.find((v) => v.id === uid(2))!;
    assert.deepEqual(Object.keys(second).sort(), ['department', 'displayName', 'id', 'manager@delta']);
    assert.deepEqual(second['manager@delta'], [{ '@odata.type': '#microsoft.graph.user', id: uid(1) }]);
    assert.equal('managerId' in second, false);
  });

  it('$select decides what is tracked: a change to an unselected property does not bring the user back', async () => {
    const { deltaLink } = await round('/users/delta?$select=displayName,manager');
    updateUser(sim.store, TENANT, { id: uid(5), jobTitle: 'Manager' });
    const quiet = await round(deltaLink);
    assert.deepEqual(quiet.values, []);
    updateUser(sim.store, TENANT, { id: uid(5), displayName: 'User Five' });
    const changed = await round(quiet.deltaLink);
    assert.deepEqual(
      changed.values,
      [{ id: uid(5), displayName: 'User Five' }],
      'no manager@delta: the manager did not change',
    );
    setManager(sim.store, TENANT, uid(5), uid(9));
    setManager(sim.store, TENANT, uid(2), null);
    const managers = await round(changed.deltaLink);
    assert.deepEqual(
      managers.values.map((v) => [v.id, v['manager@delta']]),
      [
        [uid(5), [{ '@odata.type': '#microsoft.graph.user', id: uid(9) }]],
        [uid(2), [{ '@odata.type': '#microsoft.graph.user', id: uid(1), '@removed': { reason: 'deleted' } }]],
      ],
    );
  });

  it('@removed: changed for a soft delete, deleted for a hard one; a restored user comes back whole', async () => {
    const { deltaLink } = await round('/users/delta?$select=displayName');
    deleteUser(sim.store, TENANT, uid(10), 'soft');
    deleteUser(sim.store, TENANT, uid(11), 'hard');
    const removed = await round(deltaLink);
    assert.deepEqual(removed.values, [
      { id: uid(10), '@removed': { reason: 'changed' } },
      { id: uid(11), '@removed': { reason: 'deleted' } },
    ]);
    restoreUser(sim.store, TENANT, uid(10));
    const back = await round(removed.deltaLink);
    assert.deepEqual(back.values, [{ id: uid(10), displayName: 'User 10' }]);
  });

  it('signInActivity (and other untrackable properties) are refused in a delta $select', async () => {
    const response = await get('/users/delta?$select=displayName,signInActivity');
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { message: string } };
    assert.match(body.error.message, /not supported for the following properties: signInActivity/);
    const plain = (await (await get(`/users/${uid(1)}?$select=id,signInActivity`)).json()) as Record<string, unknown>;
    assert.deepEqual(plain.signInActivity, { lastSignInDateTime: '2026-01-01T00:00:00Z' }, 'a plain GET can read it');
  });

  it('$deltatoken=latest answers a deltaLink and no data: only what changes afterwards is read', async () => {
    updateUser(sim.store, TENANT, { id: uid(20), displayName: 'Before Latest' });
    const latest = (await (await get('/users/delta?$deltatoken=latest&$select=displayName')).json()) as Page;
    assert.deepEqual(latest.value, []);
    assert.ok(latest['@odata.deltaLink']);
    updateUser(sim.store, TENANT, { id: uid(21), displayName: 'After Latest' });
    const after = await round(latest['@odata.deltaLink']!);
    assert.deepEqual(
      after.values.map((v) => v.id),
      [uid(21)],
    );
  });

  it('groups: a large group is split over copies of the group object with its members partitioned', async () => {
    const { values } = await round('/groups/delta?$select=displayName,members');
    const copies = values.filter((v) => v.id === 'g-big');
    const members = copies.flatMap((c) => (c['members@delta'] as { id: string }[]).map((m) => m.id));
    assert.ok(copies.length > 1);
    assert.equal(copies.length, Math.ceil(members.length / MEMBERS_PER_GROUP_ENTRY));
    assert.equal(new Set(members).size, members.length);
    assert.ok(members.length >= 120, 'every member of Everyone, across the copies (minus the deleted ones)');
    assert.ok(copies.every((c) => c.displayName === 'Everyone'));
  });

  it('groups delta: members added and removed (@removed), renames, new and deleted groups', async () => {
    const { deltaLink } = await round('/groups/delta?$select=displayName,members');
    addMembers(sim.store, TENANT, 'g-small', [uid(2)]);
    removeMembers(sim.store, TENANT, 'g-small', [uid(1)]);
    renameGroup(sim.store, TENANT, 'g-small', 'Administrators');
    createGroup(sim.store, TENANT, { id: 'g-new', displayName: 'New', members: [uid(3)] });
    const changes = await round(deltaLink);
    const small = changes.values.find((v) => v.id === 'g-small')!;
    assert.equal(small.displayName, 'Administrators');
    assert.deepEqual(small['members@delta'], [
      { '@odata.type': '#microsoft.graph.user', id: uid(2) },
      { '@odata.type': '#microsoft.graph.user', id: uid(1), '@removed': { reason: 'deleted' } },
    ]);
    assert.deepEqual(changes.values.find((v) => v.id === 'g-new')?.['members@delta'], [
      { '@odata.type': '#microsoft.graph.user', id: uid(3) },
    ]);
  });

  it('an expired token: 400 SyncStateNotFound, or 410 Gone with a Location to start over from', async () => {
    const { deltaLink } = await round('/users/delta?$select=displayName');
    sim.expireDeltaTokens({ status: 400, code: 'syncStateNotFound' });
    const refused = await get(deltaLink);
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'syncStateNotFound');
    const { deltaLink: fresh } = await round('/users/delta?$select=displayName');
    sim.expireDeltaTokens({ status: 410, code: 'syncStateNotFound' });
    const gone = await get(fresh);
    assert.equal(gone.status, 410);
    assert.match(gone.headers.get('location') ?? '', /\/users\/delta\?\$deltatoken=$/);
  });

  it("a tenant's own app registration gets tokens for that tenant only", async () => {
    const ask = (tenant: string) =>
      fetch(`${sim.authorityHost}/${tenant}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: OWN_APP.clientId,
          client_secret: OWN_APP.secrets[0]!,
          scope: 'https://graph.microsoft.com/.default',
        }),
      });
    assert.equal((await ask(TENANT)).status, 200);
    const elsewhere = await ask(OTHER);
    assert.equal(elsewhere.status, 400);
    assert.match(((await elsewhere.json()) as { error_description: string }).error_description, /^AADSTS700016/);
  });
});
