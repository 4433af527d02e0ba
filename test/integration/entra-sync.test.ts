import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deleteUser, removeMembers, restoreUser, updateUser } from '../../dev/graph-sim/directory';
import { type Stack, startStack } from '../../dev/stack';
import type { AgentChange, CreateAgentChange } from '../../shared/sync/entra';
import { resetEntraDelta } from '../../shared/sync/entra/reset';
import { readState } from '../../shared/sync/entra/state';
import { GROUPS, graphRoutesSince, haloApi, PARTNER, ROLE, reportOf, runEntra, STAFF } from './entra-helpers';

const ids = { alex: STAFF(1), sam: STAFF(2), morgan: STAFF(5), riley: STAFF(6), jordan: STAFF(7) };

describe('Entra ID sync over the simulators: the demo connection end to end', () => {
  let stack: Stack;
  const agents = () => [...stack.halo.store.tables.agents.values()];
  const agentByEmail = (email: string) => agents().find((a) => a.email === email);
  const haloPosts = () =>
    Object.entries(haloApi(stack)).filter(([k]) => k.startsWith('POST') && k !== 'POST /api/report');

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack.stop();
  });

  it('plan mode reports every change and writes nothing; the delta state stays where it was', async () => {
    stack.halo.resetCounters();
    const before = agents().length;
    const status = await runEntra(stack, 'plan');
    assert.equal(status.run.status, 'succeeded');
    assert.equal(agents().length, before);
    assert.deepEqual(haloPosts(), []);
    const { connections } = await reportOf(stack, status.run.runId);
    assert.equal(connections[0]?.read.users, 'full');
    assert.ok(connections[0]!.changes.some((c) => c.kind === 'createAgent'));
    assert.equal((await readState(stack.container, PARTNER)).etag, null, 'no checkpoint from a plan');
  });

  it('apply: groups give agents roles and teams, a disabled account deactivates its agent, managers link, a CAB fills', async () => {
    const status = await runEntra(stack, 'apply');
    assert.equal(status.run.status, 'succeeded', JSON.stringify(status.tenants));
    const morgan = agentByEmail('morgan.lead@bridgemsp.com');
    const jordan = agentByEmail('jordan.ops@bridgemsp.com');
    const sam = agentByEmail('sam.tech@bridgemsp.com');
    assert.ok(morgan && jordan && sam, 'three agents created');
    assert.deepEqual(
      (morgan.roles as { id: string }[]).map((r) => r.id),
      [ROLE.tech, ROLE.admin],
    );
    assert.equal(morgan.licence_type, 1, 'Administrator gives a named licence');
    assert.equal(sam.licence_type, 0);
    assert.equal(sam.team, 'Service Desk', 'department names the default team');
    assert.deepEqual(
      (sam.teams as Record<string, unknown>[]).map((t) => [
        t.team_id,
        t.in_section,
        t.unassigned_access,
        t.otheragent_access,
      ]),
      [[1, true, true, true]],
    );
    assert.equal(jordan.team, 'Projects');
    const alex = agentByEmail('alex.agent@bridgemsp.com')!;
    assert.equal(alex.id, 2, 'the existing agent was matched by email, not duplicated');
    assert.equal(alex.linemanager, morgan.id, 'manager → line manager (a new agent, set once it existed)');
    assert.equal(sam.linemanager, morgan.id);
    const riley = stack.halo.store.tables.agents.get(3)!;
    assert.equal(riley.isdisabled, true, 'accountEnabled false → inactive');
    assert.equal(stack.halo.store.tables.tickets.get(1009)?.agent_id, 4, "Riley's open ticket → Unassigned");
    const cab = stack.halo.store.tables.cabs.get(1)!;
    assert.deepEqual(
      (cab.members as { agent_id?: number }[]).map((m) => m.agent_id),
      [morgan.id],
    );
    const users = [...stack.halo.store.tables.users.values()].filter(
      (u) => u.azureoid === ids.morgan || u.azureoid === ids.jordan,
    );
    assert.equal(users.length, 2);
    assert.ok(users.every((u) => u.site_id === 1));

    const report = await reportOf(stack, status.run.runId);
    const plan = report.connections[0]!;
    assert.equal(plan.log.length, 7, 'one inbound log record per user processed');
    const rileyLog = plan.log.find((e) => e.oid === ids.riley);
    assert.match(rileyLog?.outcome ?? '', /accountEnabled = false/);
    const csv = await stack.container.reports.get(`entra-sync/${status.run.runId}/changes.csv`);
    const rows = csv!.content.toString('utf8').trim().split('\r\n');
    assert.equal(rows.length - 1, plan.changes.length, 'one CSV row per change');
    assert.ok(rows.slice(1).every((row) => row.split(',').length >= 7));
    const state = await readState(stack.container, PARTNER);
    assert.equal(state.state.committedBy, status.run.runId, 'the delta links moved on once the plan was applied');
  });

  it('a delta run with no change: one Graph request per resource, no Halo request at all', async () => {
    stack.halo.resetCounters();
    const g = stack.graph.requests().length;
    const status = await runEntra(stack, 'apply');
    assert.equal(status.run.status, 'succeeded');
    assert.deepEqual(graphRoutesSince(stack, g), { 'users.delta': 1, 'groups.delta': 1 });
    assert.deepEqual(haloApi(stack), {});
    const plan = (await reportOf(stack, status.run.runId)).connections[0]!;
    assert.equal(plan.read.users, 'delta');
    assert.equal(plan.read.halo, 'notNeeded');
  });

  it('a delta run with changes: a department, a group membership, a soft delete; only those users are planned', async () => {
    const store = stack.graph.store;
    updateUser(store, PARTNER, { id: ids.sam, department: 'Projects' });
    removeMembers(store, PARTNER, GROUPS.admins, [ids.jordan]);
    deleteUser(store, PARTNER, ids.alex, 'soft');
    stack.halo.resetCounters();
    const g = stack.graph.requests().length;
    const status = await runEntra(stack, 'apply');
    assert.equal(status.run.status, 'succeeded', JSON.stringify(status.tenants));
    assert.deepEqual(graphRoutesSince(stack, g), { 'users.delta': 1, 'groups.delta': 1 });
    const plan = (await reportOf(stack, status.run.runId)).connections[0]!;
    assert.deepEqual(plan.log.map((e) => [e.upn, e.event]).sort(), [
      ['alex.agent@bridgemsp.com', 'softDeleted'],
      ['jordan.ops@bridgemsp.com', 'affected'],
      ['sam.tech@bridgemsp.com', 'changed'],
    ]);
    const jordan = agentByEmail('jordan.ops@bridgemsp.com')!;
    assert.deepEqual(
      (jordan.roles as { id: string }[]).map((r) => r.id),
      [ROLE.tech],
      'full role management: Administrator removed with the group',
    );
    assert.equal(jordan.licence_type, 0, 'no named role left: concurrent');
    assert.equal(agentByEmail('sam.tech@bridgemsp.com')?.team, 'Projects');
    assert.equal(stack.halo.store.tables.agents.get(2)?.isdisabled, true, 'soft-deleted in Entra → agent inactive');
    const change = plan.changes.find((c): c is AgentChange => c.kind === 'deactivateAgent');
    assert.match(change?.reason ?? '', /deleted in Entra \(in its deleted users, restorable\)/);
  });

  it('a soft-deleted user that comes back is reactivated', async () => {
    restoreUser(stack.graph.store, PARTNER, ids.alex);
    const status = await runEntra(stack, 'apply');
    const plan = (await reportOf(stack, status.run.runId)).connections[0]!;
    assert.equal(plan.log.find((e) => e.oid === ids.alex)?.event, 'restored');
    assert.equal(stack.halo.store.tables.agents.get(2)?.isdisabled, false);
    assert.ok(plan.changes.some((c) => c.kind === 'reactivateAgent'));
  });

  it('an expired token (400 SyncStateNotFound) and a reset (410 Gone with Location) fall back to a full read, reported', async () => {
    for (const answer of [
      { status: 400, code: 'syncStateNotFound' as const },
      { status: 410, code: 'syncStateNotFound' as const },
    ]) {
      stack.graph.expireDeltaTokens(answer);
      const status = await runEntra(stack, 'apply');
      assert.equal(status.run.status, 'succeeded');
      const plan = (await reportOf(stack, status.run.runId)).connections[0]!;
      assert.equal(plan.read.users, 'full');
      assert.ok(
        plan.read.why.some((w) => /users delta: .*expired or is unknown.*read in full instead/.test(w)),
        plan.read.why.join('; '),
      );
      assert.deepEqual(
        plan.changes.filter((c) => c.kind.startsWith('create')),
        [],
        'a full read after the token expired creates nothing twice',
      );
    }
  });

  it('reset latest starts from now (changes before it are skipped); reset clear makes the next run a full read', async () => {
    updateUser(stack.graph.store, PARTNER, { id: ids.jordan, jobTitle: 'Skipped Title' });
    const latest = await resetEntraDelta(stack.container, { tenantId: PARTNER, how: 'latest' });
    assert.equal(latest.ok, true, JSON.stringify(latest));
    const quiet = await runEntra(stack, 'apply');
    const quietPlan = (await reportOf(stack, quiet.run.runId)).connections[0]!;
    assert.equal(quietPlan.read.users, 'delta');
    assert.equal(quietPlan.read.usersInRound, 0, 'the change made before the reset is not read');
    const clear = await resetEntraDelta(stack.container, { tenantId: PARTNER, how: 'clear' });
    assert.equal(clear.ok, true);
    const full = await runEntra(stack, 'apply');
    const fullPlan = (await reportOf(stack, full.run.runId)).connections[0]!;
    assert.equal(fullPlan.read.users, 'full');
    assert.match(fullPlan.read.why.join(';'), /cleared \(reset at/);
    const jordan = fullPlan.changes.find((c): c is AgentChange => c.oid === ids.jordan && c.kind === 'updateAgent');
    assert.equal(jordan?.body.jobtitle, 'Skipped Title', 'the full read catches up');
  });

  it('no agent is ever created twice: the second create of the same people finds them by the link', async () => {
    const emails = agents()
      .map((a) => String(a.email).toLowerCase())
      .filter(Boolean);
    assert.equal(new Set(emails).size, emails.length);
    const created = (await reportOf(stack, (await runEntra(stack, 'apply')).run.runId)).connections[0]!.changes;
    assert.deepEqual(
      created.filter((c): c is CreateAgentChange => c.kind === 'createAgent'),
      [],
    );
  });
});
