import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type HaloSimulator, startHaloSimulator } from '../../dev/halo-sim';
import { createHaloClient, HaloApiError, type HaloClient } from '../../shared/halo';
import { silentLogger } from '../../shared/runtime/logger';
import { haloOpenApiSubset } from '../support/haloOpenApi';

const TECH = '2f6a1c55-8d1e-4f0b-9a57-7e1c0c0a0002';

describe('Halo simulator: agents, teams, roles, user roles, CABs and sites (as strict as Halo where known)', () => {
  let sim: HaloSimulator;
  let halo: HaloClient;
  before(async () => {
    sim = await startHaloSimulator({ rateLimit: false });
    halo = createHaloClient({
      baseUrl: sim.url,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      log: silentLogger,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    });
  });
  after(async () => {
    await sim.stop();
  });

  const refused = async (call: Promise<unknown>, message: RegExp) => {
    await assert.rejects(call, (error: unknown) => {
      assert.ok(error instanceof HaloApiError, String(error));
      assert.equal(error.status, 400);
      assert.match(error.message, message);
      return true;
    });
  };

  it('/Agent ignores paging (every agent on one page) and its rows are Uname_List rows: roles only with includeroles', async () => {
    const page = (await halo.get('/Agent', { pageinate: true, page_size: 1, page_no: 1 })) as Record<string, unknown>[];
    assert.ok(Array.isArray(page) && page.length > 1, 'the page size is ignored');
    const allowed = new Set(
      Object.keys((haloOpenApiSubset.components.schemas.Uname_List as { properties: object }).properties),
    );
    for (const row of page)
      assert.deepEqual(
        Object.keys(row).filter((k) => !allowed.has(k)),
        [],
      );
    assert.ok(page.every((row) => !('roles' in row)));
    const withRoles = (await halo.get('/Agent', { includeroles: true })) as Record<string, unknown>[];
    assert.deepEqual(withRoles.find((r) => r.id === 2)?.roles, [{ id: TECH, name: 'Technician' }]);
    assert.equal(withRoles.find((r) => r.id === 2)?.role_list, 'Technician');
  });

  it("Halo's Unassigned agent and disabled agents are only listed when asked for", async () => {
    const ids = async (query: Record<string, boolean>) =>
      ((await halo.get('/Agent', query)) as { id: number }[]).map((a) => a.id).sort();
    await halo.post('/Agent', [{ id: 3, isdisabled: true }]);
    assert.deepEqual(await ids({}), [1, 2]);
    assert.deepEqual(await ids({ includedisabled: true }), [1, 2, 3]);
    assert.deepEqual(await ids({ includedisabled: true, includeunassigned: true }), [1, 2, 3, 4]);
    await halo.post('/Agent', [{ id: 3, isdisabled: false }]);
  });

  it('an agent needs a name; role ids are strings (a number fails model binding); unknown roles, teams and managers are refused', async () => {
    await refused(halo.post('/Agent', [{ email: 'x@y.com' }]), /Please enter a Name/);
    await refused(halo.post('/Agent', [{ name: 'X', roles: [{ id: 2 }] }]), /could not be converted to System.String/);
    await refused(halo.post('/Agent', [{ name: 'X', roles: [{ id: 'nope' }] }]), /Role nope does not exist/);
    await refused(halo.post('/Agent', [{ name: 'X', teams: [{ team_id: 99 }] }]), /Team 99 does not exist/);
    await refused(halo.post('/Agent', [{ name: 'X', team: 'Nowhere' }]), /Team 'Nowhere' does not exist/);
    await refused(halo.post('/Agent', [{ name: 'X', linemanager: 999 }]), /Line manager 999 does not exist/);
    await assert.rejects(halo.post('/Agent', [{ name: 'X', licence_type: '1' }]), (e: unknown) => {
      assert.ok(e instanceof HaloApiError && e.status === 400, 'licence_type is an integer (model binding)');
      return true;
    });
    const before = sim.store.tables.agents.size;
    await refused(halo.post('/Agent', [{ name: 'Valid' }, { email: 'no-name@x' }]), /Please enter a Name/);
    assert.equal(sim.store.tables.agents.size, before, 'nothing of a refused array is saved');
  });

  it('posting roles and teams replaces them (the assumption the README names); the default team by name', async () => {
    const [created] = (await halo.post('/Agent', [
      {
        name: 'Temp Agent',
        email: 'temp@x',
        team: 'service desk',
        roles: [{ id: TECH }],
        teams: [{ team_id: 1, in_section: true }],
      },
    ])) as Record<string, unknown>[];
    const id = Number(created!.id);
    assert.equal(created!.team, 'Service Desk');
    assert.equal(created!.team_id, 1);
    await halo.post('/Agent', [{ id, roles: [], teams: [{ team_id: 2, in_section: true }] }]);
    const agent = sim.store.tables.agents.get(id)!;
    assert.deepEqual(agent.roles, []);
    assert.deepEqual(
      (agent.teams as { team_id: number }[]).map((t) => t.team_id),
      [2],
    );
  });

  it('/Team ignores paging; /Roles and /UserRoles are bare arrays; /CAB lists members only with includemembers', async () => {
    const teams = (await halo.get('/Team', { pageinate: true, page_size: 1 })) as unknown[];
    assert.equal(teams.length, 2);
    const roles = (await halo.get('/Roles')) as { id: unknown }[];
    assert.ok(roles.every((r) => typeof r.id === 'string'));
    const userRoles = (await halo.get('/UserRoles')) as { id: unknown }[];
    assert.ok(userRoles.every((r) => typeof r.id === 'number'));
    await halo.post('/CAB', [{ id: 1, members: [{ agent_id: 2, role_id: 1 }] }]);
    const plain = (await halo.get('/CAB')) as Record<string, unknown>[];
    assert.equal('members' in plain[0]!, false);
    const full = (await halo.get('/CAB', { includemembers: true })) as { members: Record<string, unknown>[] }[];
    assert.deepEqual(
      full[0]!.members.map((m) => [m.agent_id, m.member_name]),
      [[2, 'Alex Agent']],
    );
    await refused(halo.post('/CAB', [{ id: 1, members: [{ agent_id: 999 }] }]), /Agent 999 does not exist/);
  });

  it('user roles on users must exist and show as role_list; a new site needs a name and an existing client', async () => {
    await refused(halo.post('/Users', [{ id: 101, roles: [{ id: 99 }] }]), /User role 99 does not exist/);
    await halo.post('/Users', [{ id: 101, roles: [{ id: 2 }] }]);
    const user = sim.store.tables.users.get(101)!;
    assert.equal(user.role_list, 'Senior Staff');
    await refused(halo.post('/Site', [{ client_id: 1 }]), /Please enter a Name/);
    await refused(halo.post('/Site', [{ name: 'Paris', client_id: 999 }]), /Invalid client_id 999/);
    const [site] = (await halo.post('/Site', [{ name: 'Paris', client_id: 1 }])) as {
      id: number;
      client_name: string;
    }[];
    assert.equal(site!.client_name, 'Bridge MSP');
  });
});
