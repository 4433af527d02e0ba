import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CabMemberChange, ReassignTicketChange } from '../../shared/sync/entra/changes';
import { entraWrites } from '../../shared/sync/entra/writes';
import { agent, connection, directory, dirUser, halo, haloUser, kinds, plan, ROLES } from './entra-fixtures';

describe('Entra ID planner: CABs, ticket reassignment, and the writes', () => {
  it('CAB mapping: agents join as agents (new ones by reference), users as users, with the CAB role; members already there are left', () => {
    const dir = directory([dirUser('alice'), dirUser('bob'), dirUser('carol')], {
      'Halo Agents': ['alice'],
      'Change Board': ['alice', 'bob', 'carol'],
    });
    const result = plan(dir, {
      connection: connection({ groups: { cabs: [{ group: 'Change Board', cabId: 7, cabRoleId: 2 }] } }),
      halo: halo({
        users: [
          haloUser(60, 'bob@bridgemsp.com', { azureoid: 'oid-bob', name: 'Bob Person' }),
          haloUser(61, 'carol@bridgemsp.com', { azureoid: 'oid-carol' }),
        ],
        cabs: [{ id: 7, name: 'Change Board', members: [{ user_id: 61 }] }],
      }),
    });
    const cab = result.changes.filter((c): c is CabMemberChange => c.kind === 'addCabMember');
    assert.deepEqual(
      cab.map((c) => c.member),
      [
        { agent_id: { $ref: 'agent', oid: 'oid-alice', email: 'alice@bridgemsp.com' }, role_id: 2 },
        { user_id: 60, role_id: 2 },
      ],
    );
    assert.match(cab[0]!.reason, /group "Change Board" → CAB "Change Board" \(CAB role #2\)/);
    assert.ok(result.log.find((e) => e.oid === 'oid-alice')?.changes.includes('addCabMember CAB "Change Board"'));
  });

  it("a deactivated agent's open tickets go to Halo's Unassigned agent (read after the first plan, then planned again)", () => {
    const dir = directory([dirUser('alice', { accountEnabled: false })], { 'Halo Agents': ['alice'] });
    const options = {
      connection: connection({ syncs: { users: false }, deactivation: { reassignOpenTickets: true } }),
      halo: halo({
        agents: [agent(90, 'x@system', { name: 'Unassigned', isUnassigned: true }), agent(11, 'alice@bridgemsp.com')],
        agentLinks: { 'oid-alice': 11 },
      }),
    };
    const first = plan(dir, options);
    assert.deepEqual(first.needsOpenTickets, [11]);
    const second = plan(dir, { ...options, halo: { ...options.halo, openTickets: { '11': [1001, 1002] } } });
    assert.deepEqual(second.needsOpenTickets, []);
    const tickets = second.changes.filter((c): c is ReassignTicketChange => c.kind === 'reassignTicket');
    assert.deepEqual(
      tickets.map((t) => t.body),
      [
        { id: 1001, agent_id: 90 },
        { id: 1002, agent_id: 90 },
      ],
    );
    assert.match(tickets[0]!.reason, /agent #11 is made inactive.*reassigned to Unassigned/);
  });

  it('writes go in phases (sites, new agents, agent updates, users, CABs, tickets), ≤ batch size, one body per record', () => {
    const users = Array.from({ length: 205 }, (_, i) =>
      dirUser(`u${i}`, { officeLocation: i < 3 ? 'Paris' : 'London' }),
    );
    const dir = directory([...users, dirUser('boss'), dirUser('alice', {}, { managerId: 'oid-boss' })], {
      'Halo Agents': ['boss', 'alice'],
      'Change Board': ['alice'],
    });
    const result = plan(dir, {
      connection: connection({
        fields: {
          agents: [
            { entra: 'displayName', halo: 'name' },
            { entra: 'mail', halo: 'email' },
            { entra: 'manager', halo: 'linemanager' },
          ],
        },
        siteMappings: [
          { type: 'existingSite', siteId: 'agent', group: 'Halo Agents' },
          { type: 'organisation', clientId: 1, field: 'officeLocation' },
        ],
        groups: {
          agentRoles: [{ group: 'Halo Agents', roleId: ROLES.tech }],
          cabs: [{ group: 'Change Board', cabId: 7 }],
        },
      }),
    });
    const batches = entraWrites(result, { batchSize: 100 });
    assert.deepEqual(
      batches.map((b) => `${b.resource}:${b.bodies.length}`),
      ['/Site:1', '/Agent:2', '/Agent:1', '/Users:100', '/Users:100', '/Users:5', '/CAB:1'],
    );
    assert.ok(batches.every((b) => b.bodies.length <= 100));
    assert.equal(
      batches.reduce((n, b) => n + b.changeCount, 0),
      result.changes.length,
    );
    assert.equal(
      kinds(result).filter((k) => k === 'createUser').length,
      205,
      'boss and alice have no officeLocation: agents only',
    );
  });

  it('several changes to one agent merge into one body (later fields win)', () => {
    const batches = entraWrites({
      changes: [
        {
          kind: 'updateAgent',
          resource: '/Agent',
          oid: 'a',
          upn: 'a',
          agentId: 11,
          body: { id: 11, name: 'A', jobtitle: 'x' },
          fields: [],
          reason: 'r1',
        },
        {
          kind: 'deactivateAgent',
          resource: '/Agent',
          oid: 'a',
          upn: 'a',
          agentId: 11,
          body: { id: 11, isdisabled: true, jobtitle: 'y' },
          fields: [],
          reason: 'r2',
        },
      ],
    });
    assert.deepEqual(batches, [
      { resource: '/Agent', bodies: [{ id: 11, name: 'A', jobtitle: 'y', isdisabled: true }], changeCount: 2 },
    ]);
  });
});
