import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentChange, CreateAgentChange } from '../../shared/sync/entra/changes';
import { agent, connection, directory, dirUser, halo, kinds, plan, ROLES } from './entra-fixtures';

/** Agents only: the fixture's user site mapping stays out of these tests. */
const agentsOnly = (overrides: Record<string, unknown> = {}) => connection({ syncs: { users: false }, ...overrides });
const withGroups = (groups: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  agentsOnly({ groups, ...extra });

describe('Entra ID planner: agents (field mappings, teams, roles, licences, manager)', () => {
  it('creates an agent for a user in the agent group, with the default fields, roles and teams its groups map to', () => {
    const dir = directory([dirUser('alice')], { 'Halo Agents': ['alice'], 'Halo Admins': ['alice'] });
    const result = plan(dir, {
      connection: withGroups({
        agentRoles: [{ group: 'Halo Admins', roleId: ROLES.admin }],
        agentTeams: [{ group: 'Halo Admins', teamId: 2 }],
      }),
    });
    const create = result.changes.find((c): c is CreateAgentChange => c.kind === 'createAgent');
    assert.ok(create, kinds(result).join());
    assert.equal(create.body.name, 'Alice Person');
    assert.equal(create.body.email, 'alice@bridgemsp.com');
    assert.equal(create.body.jobtitle, 'Engineer');
    assert.deepEqual(create.body.roles, [{ id: ROLES.admin }]);
    assert.deepEqual(create.body.teams, [{ team_id: 2, in_section: true, fortickets: true }]);
    assert.equal(create.body.isdisabled, false);
    assert.equal(create.body.licence_type, 0, 'no change: a new agent is concurrent');
    assert.match(create.reason, /agent mapping #1/);
  });

  it('agent roles are sent as string ids (Halo NHD_Roles.id is a string)', () => {
    const dir = directory([dirUser('alice')], { 'Halo Agents': ['alice'] });
    const result = plan(dir, {
      connection: withGroups({ agentRoles: [{ group: 'Halo Agents', roleId: ROLES.tech }] }),
    });
    const body = (result.changes[0] as CreateAgentChange).body;
    assert.equal(typeof body.roles?.[0]?.id, 'string');
  });

  it('an Entra field names the default team: the agent gets it with the three memberships; an unknown name is reported and changes nothing', () => {
    const dir = directory(
      [dirUser('alice', { department: 'service desk' }), dirUser('bob', { department: 'Nowhere' })],
      {
        'Halo Agents': ['alice', 'bob'],
      },
    );
    const mapping = agentsOnly({
      fields: {
        agents: [
          { entra: 'displayName', halo: 'name' },
          { entra: 'mail', halo: 'email' },
          { entra: 'department', halo: 'team' },
        ],
      },
    });
    const existingBob = agent(21, 'bob@bridgemsp.com', {
      name: 'Bob Person',
      team: 'Projects',
      teams: [{ team_id: 2 }],
    });
    const result = plan(dir, {
      connection: mapping,
      halo: halo({ agents: [existingBob], agentLinks: { 'oid-bob': 21 } }),
    });
    const alice = result.changes.find((c): c is CreateAgentChange => c.kind === 'createAgent');
    assert.equal(alice?.body.team, 'Service Desk');
    assert.deepEqual(alice?.body.teams, [
      { team_id: 1, in_section: true, unassigned_access: true, otheragent_access: true, fortickets: true },
    ]);
    assert.equal(result.changes.filter((c) => c.oid === 'oid-bob').length, 0, 'bob: nothing to change');
    assert.ok(result.problems.some((p) => /bob@.*no Halo team is named "Nowhere"/.test(p)));
    const log = result.log.find((e) => e.oid === 'oid-bob');
    assert.ok(log?.problems?.some((p) => /Nowhere/.test(p)));
  });

  it('full role management: roles become exactly the mapped ones; an agent left without one is made inactive', () => {
    const dir = directory([dirUser('alice'), dirUser('bob')], {
      'Halo Agents': ['alice', 'bob'],
      'Halo Admins': ['alice'],
    });
    const agents = [
      agent(11, 'alice@bridgemsp.com', {
        name: 'Alice Person',
        roleIds: [ROLES.tech],
        fields: { firstname: 'alice', surname: 'Person', jobtitle: 'Engineer' },
      }),
      agent(12, 'bob@bridgemsp.com', {
        name: 'Bob Person',
        roleIds: [ROLES.tech],
        fields: { firstname: 'bob', surname: 'Person', jobtitle: 'Engineer' },
      }),
    ];
    const result = plan(dir, {
      connection: withGroups(
        { agentRoles: [{ group: 'Halo Admins', roleId: ROLES.admin }] },
        { roles: { fullRoleManagement: true } },
      ),
      halo: halo({ agents, agentLinks: { 'oid-alice': 11, 'oid-bob': 12 } }),
    });
    const alice = result.changes.find((c): c is AgentChange => c.oid === 'oid-alice');
    assert.equal(alice?.kind, 'updateAgent');
    assert.deepEqual(alice?.body.roles, [{ id: ROLES.admin }], 'the manual Technician role is removed');
    const bob = result.changes.find((c): c is AgentChange => c.oid === 'oid-bob');
    assert.equal(bob?.kind, 'deactivateAgent');
    assert.deepEqual(bob?.body.roles, []);
    assert.equal(bob?.body.isdisabled, true);
    assert.match(bob?.reason ?? '', /full role management/);
  });

  it('without full role management mapped roles are added and manual ones kept', () => {
    const dir = directory([dirUser('alice')], { 'Halo Agents': ['alice'], 'Halo Admins': ['alice'] });
    const result = plan(dir, {
      connection: withGroups({ agentRoles: [{ group: 'Halo Admins', roleId: ROLES.admin }] }),
      halo: halo({
        agents: [
          agent(11, 'alice@bridgemsp.com', {
            name: 'Alice Person',
            roleIds: [ROLES.tech],
            fields: { firstname: 'alice', surname: 'Person', jobtitle: 'Engineer' },
          }),
        ],
        agentLinks: { 'oid-alice': 11 },
      }),
    });
    assert.deepEqual((result.changes[0] as AgentChange).body.roles, [{ id: ROLES.tech }, { id: ROLES.admin }]);
  });

  it('licence management: an inactive role deactivates; a named role gives a named licence, others concurrent', () => {
    const dir = directory([dirUser('alice'), dirUser('bob'), dirUser('carol')], {
      'Halo Agents': ['alice', 'bob', 'carol'],
      'Halo Admins': ['alice'],
      'No Licence': ['bob'],
      Techs: ['carol'],
    });
    const base = { fields: { firstname: '', surname: 'Person', jobtitle: 'Engineer' } };
    const agents = [
      agent(11, 'alice@bridgemsp.com', { name: 'Alice Person', licence_type: 0, ...base }),
      agent(12, 'bob@bridgemsp.com', { name: 'Bob Person', licence_type: 0, ...base }),
      agent(13, 'carol@bridgemsp.com', { name: 'Carol Person', licence_type: 1, ...base }),
    ];
    const result = plan(dir, {
      connection: withGroups(
        {
          agentRoles: [
            { group: 'Halo Admins', roleId: ROLES.admin },
            { group: 'No Licence', roleId: ROLES.inactive },
            { group: 'Techs', roleId: ROLES.tech },
          ],
        },
        { licences: { manage: true, inactiveRoleIds: [ROLES.inactive], namedRoleIds: [ROLES.admin] } },
      ),
      halo: halo({ agents, agentLinks: { 'oid-alice': 11, 'oid-bob': 12, 'oid-carol': 13 } }),
    });
    const by = (oid: string) => result.changes.find((c): c is AgentChange => c.oid === oid);
    assert.equal(by('oid-alice')?.body.licence_type, 1);
    assert.equal(by('oid-bob')?.kind, 'deactivateAgent');
    assert.match(by('oid-bob')?.reason ?? '', /role "No Licence" makes agents inactive/);
    assert.equal(by('oid-carol')?.body.licence_type, 0, 'no named role: concurrent');
  });

  it('accountEnabled = false deactivates an existing agent and never creates one', () => {
    const dir = directory([dirUser('alice', { accountEnabled: false }), dirUser('dave', { accountEnabled: false })], {
      'Halo Agents': ['alice', 'dave'],
    });
    const result = plan(dir, {
      connection: agentsOnly(),
      halo: halo({
        agents: [
          agent(11, 'alice@bridgemsp.com', {
            name: 'Alice Person',
            fields: { firstname: 'alice', surname: 'Person', jobtitle: 'Engineer' },
          }),
        ],
        agentLinks: { 'oid-alice': 11 },
      }),
    });
    assert.deepEqual(kinds(result), ['deactivateAgent']);
    assert.match(result.changes[0]!.reason, /accountEnabled = false/);
    assert.match(result.log.find((e) => e.oid === 'oid-dave')?.outcome ?? '', /no agent is created/);
  });

  it('an agent is reactivated only when Entra changes: enabled again', () => {
    const prev = directory([dirUser('alice', { accountEnabled: false })], { 'Halo Agents': ['alice'] });
    const dir = directory([dirUser('alice')], { 'Halo Agents': ['alice'] });
    const agents = [
      agent(11, 'alice@bridgemsp.com', {
        name: 'Alice Person',
        isdisabled: true,
        fields: { firstname: 'alice', surname: 'Person', jobtitle: 'Engineer' },
      }),
    ];
    const again = plan(dir, {
      connection: agentsOnly(),
      previous: prev,
      halo: halo({ agents, agentLinks: { 'oid-alice': 11 } }),
    });
    assert.deepEqual(kinds(again), ['reactivateAgent']);
    const manual = plan(dir, {
      connection: agentsOnly(),
      previous: dir,
      halo: halo({ agents, agentLinks: { 'oid-alice': 11 } }),
    });
    assert.deepEqual(kinds(manual), [], 'inactive in Halo for another reason: left inactive');
    assert.match(manual.log[0]!.outcome, /only a change in Entra reactivates/);
  });

  it('manager → linemanager: an existing agent of this import, or a new one (set once both exist); never a stranger', () => {
    const field = agentsOnly({
      fields: {
        agents: [
          { entra: 'displayName', halo: 'name' },
          { entra: 'mail', halo: 'email' },
          { entra: 'manager', halo: 'linemanager' },
        ],
      },
    });
    const boss = dirUser('boss');
    const alice = dirUser('alice', {}, { managerId: 'oid-boss' });
    const newBoss = dirUser('nina');
    const bob = dirUser('bob', {}, { managerId: 'oid-nina' });
    const carol = dirUser('carol', {}, { managerId: 'oid-stranger' });
    const stranger = dirUser('stranger');
    const dir = directory([boss, alice, newBoss, bob, carol, stranger], {
      'Halo Agents': ['boss', 'alice', 'nina', 'bob', 'carol'],
    });
    const result = plan(dir, {
      connection: field,
      users: ['oid-alice', 'oid-nina', 'oid-bob', 'oid-carol'].map((id) => ({ id, event: 'changed' as const })),
      halo: halo({
        agents: [
          agent(30, 'boss@bridgemsp.com', { name: 'Boss Person' }),
          agent(31, 'stranger@bridgemsp.com', { name: 'Stranger Person' }),
        ],
        agentLinks: { 'oid-boss': 30 },
      }),
    });
    const aliceCreate = result.changes.find(
      (c): c is CreateAgentChange => c.kind === 'createAgent' && c.oid === 'oid-alice',
    );
    assert.equal(aliceCreate?.body.linemanager, 30, 'the manager is an agent this import linked');
    const bobCreate = result.changes.find(
      (c): c is CreateAgentChange => c.kind === 'createAgent' && c.oid === 'oid-bob',
    );
    assert.equal(bobCreate?.body.linemanager, undefined, 'both new: not in the create');
    const bobLink = result.changes.find((c): c is AgentChange => c.kind === 'updateAgent' && c.oid === 'oid-bob');
    assert.deepEqual(bobLink?.body, {
      id: { $ref: 'agent', oid: 'oid-bob', email: 'bob@bridgemsp.com' },
      linemanager: { $ref: 'agent', oid: 'oid-nina', email: 'nina@bridgemsp.com' },
    });
    const carolCreate = result.changes.find(
      (c): c is CreateAgentChange => c.kind === 'createAgent' && c.oid === 'oid-carol',
    );
    assert.equal(carolCreate?.body.linemanager, undefined);
    assert.match(
      result.log.find((e) => e.oid === 'oid-carol')?.outcome ?? '',
      /not an agent this import created or matched/,
    );
    assert.ok(
      result.changes.indexOf(bobLink!) >
        result.changes.findIndex((c) => c.kind === 'createAgent' && c.oid === 'oid-nina'),
    );
  });

  it('custom fields are written by id, only when the value changes (a field Halo does not show compares with the previous Entra value)', () => {
    const mapping = agentsOnly({
      fields: { agents: [{ entra: 'employeeId', halo: { customFieldId: 44 } }] },
    });
    const before = directory([dirUser('alice', { employeeId: 'E1' })], { 'Halo Agents': ['alice'] });
    const now = directory([dirUser('alice', { employeeId: 'E2' })], { 'Halo Agents': ['alice'] });
    const snapshot = halo({ agents: [agent(11, 'alice@bridgemsp.com')], agentLinks: { 'oid-alice': 11 } });
    const changed = plan(now, { connection: mapping, previous: before, halo: snapshot });
    assert.deepEqual((changed.changes[0] as AgentChange).body.customfields, [{ id: 44, value: 'E2' }]);
    const same = plan(now, { connection: mapping, previous: now, halo: snapshot });
    assert.deepEqual(kinds(same), []);
  });

  it('removeFromMappedTeams: an agent no longer covered leaves the mapped teams, keeps the others', () => {
    const dir = directory([dirUser('alice')], { Staff: ['alice'] });
    const result = plan(dir, {
      connection: agentsOnly({
        groups: { agentTeams: [{ group: 'Halo Agents', teamId: 2 }] },
        deactivation: { removeFromMappedTeams: true },
      }),
      halo: halo({
        agents: [agent(11, 'alice@bridgemsp.com', { teams: [{ team_id: 1 }, { team_id: 2 }] })],
        agentLinks: { 'oid-alice': 11 },
      }),
    });
    const change = result.changes.find((c): c is AgentChange => c.kind === 'updateAgent');
    assert.deepEqual(change?.body.teams, [{ team_id: 1 }]);
    assert.match(change?.reason ?? '', /no longer covered/);
  });
});
