import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyGroupsRound,
  applyUsersRound,
  type Directory,
  directReportsOf,
  EMPTY_DIRECTORY,
  groupNamesByUser,
} from '../../shared/sync/entra/directory';
import { fieldValue } from '../../shared/sync/entra/fieldValues';
import { selectionKey, userSelection } from '../../shared/sync/entra/selectFields';
import { connection } from './entra-fixtures';

const NOW = new Date('2026-03-01T10:00:00Z');
const user = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  displayName: id,
  accountEnabled: true,
  ...extra,
});
const ref = (id: string, removed = false) => ({
  '@odata.type': '#microsoft.graph.user',
  id,
  ...(removed ? { '@removed': { reason: 'deleted' } } : {}),
});

function firstRead(): Directory {
  const users = applyUsersRound(
    EMPTY_DIRECTORY,
    {
      items: [user('a', { 'manager@delta': [ref('m')] }), user('b'), user('m')],
      removed: [],
      full: true,
    },
    { now: NOW, managerSelected: true },
  );
  const groups = applyGroupsRound(EMPTY_DIRECTORY, {
    items: [
      { id: 'g1', displayName: 'Agents', 'members@delta': [ref('a')] },
      { id: 'g1', displayName: 'Agents', 'members@delta': [ref('b')] },
      { id: 'g2', displayName: 'Admins', 'members@delta': [] },
    ],
    removed: [],
    full: true,
  });
  return { users: users.users, groups: groups.groups };
}

describe('Entra ID directory copy: applying users and groups delta rounds', () => {
  it('a full read: users with their manager, a large group split over copies merged', () => {
    const dir = firstRead();
    assert.equal(dir.users.a?.managerId, 'm');
    assert.equal(dir.users.b?.managerId, undefined);
    assert.deepEqual(dir.groups.g1?.members, ['a', 'b']);
    assert.deepEqual([...(groupNamesByUser(dir).get('a') ?? [])], ['Agents']);
    assert.deepEqual(directReportsOf(dir, new Set(['m'])), ['a']);
  });

  it('manager@delta: absent keeps the manager (Graph leaves it out when other fields change); removed or [] clears it', () => {
    const dir = firstRead();
    const renamed = applyUsersRound(
      dir,
      { items: [user('a', { displayName: 'A2' })], removed: [], full: false },
      {
        now: NOW,
        managerSelected: true,
      },
    );
    assert.equal(renamed.users.a?.managerId, 'm');
    assert.deepEqual(renamed.managerChanged, []);
    const removed = applyUsersRound(
      dir,
      { items: [user('a', { 'manager@delta': [ref('m', true)] })], removed: [], full: false },
      {
        now: NOW,
        managerSelected: true,
      },
    );
    assert.equal(removed.users.a?.managerId, undefined);
    assert.deepEqual(removed.managerChanged, ['a']);
    const empty = applyUsersRound(
      dir,
      { items: [user('a', { 'manager@delta': [] })], removed: [], full: false },
      {
        now: NOW,
        managerSelected: true,
      },
    );
    assert.equal(empty.users.a?.managerId, undefined);
  });

  it('@removed changed (soft delete) keeps the user as gone; deleted forgets it; a full read reports who is not found', () => {
    const dir = firstRead();
    const soft = applyUsersRound(
      dir,
      { items: [], removed: [{ id: 'a', reason: 'changed' }], full: false },
      {
        now: NOW,
        managerSelected: true,
      },
    );
    assert.equal(soft.users.a?.goneSince, NOW.toISOString());
    assert.deepEqual(
      soft.gone.map((g) => [g.id, g.how]),
      [['a', 'changed']],
    );
    const back = applyUsersRound(
      { ...dir, users: soft.users },
      { items: [user('a')], removed: [], full: false },
      {
        now: NOW,
        managerSelected: true,
      },
    );
    assert.deepEqual(back.restored, ['a']);
    assert.equal(back.users.a?.goneSince, undefined);
    const hard = applyUsersRound(
      dir,
      { items: [], removed: [{ id: 'b', reason: 'deleted' }], full: false },
      {
        now: NOW,
        managerSelected: true,
      },
    );
    assert.equal(hard.users.b, undefined);
    assert.deepEqual(
      hard.gone.map((g) => [g.id, g.how]),
      [['b', 'deleted']],
    );
    const full = applyUsersRound(
      dir,
      { items: [user('a'), user('m')], removed: [], full: true },
      {
        now: NOW,
        managerSelected: true,
      },
    );
    assert.deepEqual(
      full.gone.map((g) => [g.id, g.how]),
      [['b', 'notFound']],
    );
    assert.equal(full.users.a?.managerId, undefined, 'a full read with manager selected: absent = none');
  });

  it('a replayed user (Graph may send one twice in a round) counts once', () => {
    const result = applyUsersRound(
      firstRead(),
      { items: [user('a'), user('a', { jobTitle: 'x' })], removed: [], full: false },
      {
        now: NOW,
        managerSelected: true,
      },
    );
    assert.deepEqual(result.changed, ['a']);
    assert.equal(result.users.a?.props.jobTitle, 'x');
  });

  it('groups delta: members added and removed, renamed and deleted groups affect their members', () => {
    const dir = firstRead();
    const round = applyGroupsRound(dir, {
      items: [
        { id: 'g1', 'members@delta': [ref('b', true)] },
        { id: 'g2', displayName: 'Admins', 'members@delta': [ref('m')] },
      ],
      removed: [],
      full: false,
    });
    assert.deepEqual(round.groups.g1?.members, ['a']);
    assert.equal(round.groups.g1?.displayName, 'Agents', 'a copy without displayName keeps the name');
    assert.deepEqual(round.groups.g2?.members, ['m']);
    assert.deepEqual(round.affectedUsers.sort(), ['b', 'm']);
    const renamed = applyGroupsRound(dir, { items: [{ id: 'g1', displayName: 'Helpdesk' }], removed: [], full: false });
    assert.deepEqual(renamed.affectedUsers.sort(), ['a', 'b']);
    const deleted = applyGroupsRound(dir, { items: [], removed: [{ id: 'g1', reason: 'deleted' }], full: false });
    assert.equal(deleted.groups.g1, undefined);
    assert.deepEqual(deleted.affectedUsers.sort(), ['a', 'b']);
  });

  it('field expressions: alternatives, collections, members of objects, the manager', () => {
    const dir = firstRead();
    const a = {
      ...dir.users.a!,
      props: {
        ...dir.users.a!.props,
        mail: '',
        userPrincipalName: 'a@x.com',
        businessPhones: ['', '+1 2'],
        proxyAddresses: ['smtp:alias@x.com', 'SMTP:Primary@x.com'],
        onPremisesExtensionAttributes: { extensionAttribute3: 'E3' },
        accountEnabled: false,
      },
    };
    const withMail = { ...dir, users: { ...dir.users, a, m: { ...dir.users.m!, props: { mail: 'boss@x.com' } } } };
    assert.equal(fieldValue(a, 'mail|userPrincipalName', withMail), 'a@x.com');
    assert.equal(fieldValue(a, 'businessPhones', withMail), '+1 2');
    assert.equal(fieldValue(a, 'proxyAddresses', withMail), 'Primary@x.com');
    assert.equal(fieldValue(a, 'onPremisesExtensionAttributes.extensionAttribute3', withMail), 'E3');
    assert.equal(fieldValue(a, 'accountEnabled', withMail), 'false');
    assert.equal(fieldValue(a, 'manager', withMail), 'm');
    assert.equal(fieldValue(a, 'manager.mail', withMail), 'boss@x.com');
  });
});

describe('Entra ID delta $select', () => {
  it('mappedFields selects only what the mappings, filters and matching use (plus what the sync needs); untracked fields apart', () => {
    const selection = userSelection(
      connection({
        syncMethod: 'mappedFields',
        syncs: { agents: false },
        fields: {
          users: [
            { entra: 'department', halo: 'department' },
            { entra: 'signInActivity.lastSignInDateTime', halo: 'azure_last_login_date' },
          ],
          agents: [{ entra: 'manager', halo: 'linemanager' }],
        },
        siteMappings: [
          {
            type: 'existingSite',
            siteId: 1,
            filters: [{ field: 'city', value: 'London' }],
            externalUsers: 'licensedOnly',
          },
        ],
      }),
    );
    assert.deepEqual(selection.select, [
      'accountEnabled',
      'assignedLicenses',
      'city',
      'department',
      'displayName',
      'mail',
      'manager',
      'userPrincipalName',
      'userType',
    ]);
    assert.deepEqual(selection.untracked, ['signInActivity']);
    assert.ok(!selection.select.includes('signInActivity'), 'never in the delta $select (Graph refuses it)');
  });

  it('allChanges selects every trackable property; a different selection has a different key', () => {
    const all = userSelection(connection());
    assert.ok(all.select.includes('onPremisesExtensionAttributes'));
    assert.ok(all.select.includes('manager'));
    const mapped = userSelection(connection({ syncMethod: 'mappedFields' }));
    assert.notEqual(selectionKey(all), selectionKey(mapped));
  });
});
