import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateSyncDataset, mutateUsers } from '../../shared/sync/contacts/dataset';
import { isMatched } from '../../shared/sync/contacts/matchCompany';
import { planTenant, summarisePlan } from '../../shared/sync/contacts/plan';
import { config } from './sync-fixtures';

describe('sync dataset', () => {
  const options = { tenants: 12, usersPerTenant: 30, seed: 99 };
  const data = generateSyncDataset(options);

  it('is deterministic for a seed and differs for another', () => {
    assert.deepEqual(generateSyncDataset(options), data);
    assert.notDeepEqual(generateSyncDataset({ ...options, seed: 100 }).tenants[0]!.users, data.tenants[0]!.users);
    assert.notEqual(generateSyncDataset({ ...options, seed: 100 }).tenants[0]!.tenantId, data.tenants[0]!.tenantId);
  });

  it('has the requested size and every tenant matches by the rule it was built for', () => {
    assert.equal(data.tenants.length, 12);
    assert.ok(data.tenants.every((t) => t.users.length === 30));
    const by = data.tenants.map((t) => {
      const match = planTenant(t, data.halo, config()).match;
      return isMatched(match) ? match.by : 'unmatched';
    });
    assert.deepEqual(
      by,
      data.tenants.map((t) => data.expectedMatch[t.tenantId]),
    );
    assert.deepEqual(new Set(by), new Set(['tenantId', 'name', 'website', 'domain', 'contactDomain', 'unmatched']));
  });

  it('mutateUsers changes exactly that fraction of users, deterministically, without touching the input', () => {
    const before = JSON.stringify(data);
    const mutated = mutateUsers(data, 0.1);
    assert.equal(JSON.stringify(data), before);
    assert.deepEqual(mutateUsers(data, 0.1), mutated);
    const changed = mutated.tenants.flatMap((t, i) =>
      t.users.filter((u, j) => u.jobTitle !== data.tenants[i]!.users[j]!.jobTitle),
    );
    assert.equal(changed.length, Math.round(12 * 30 * 0.1));
  });

  it('after one sync, a 10% change plans updates only for changed users that are present', () => {
    const cfg = config();
    const base = data.tenants.map((t) => planTenant(t, data.halo, cfg));
    const changedUsers = mutateUsers(data, 0.1);
    const basePlan = summarisePlan(base);
    const mutatedPlan = summarisePlan(changedUsers.tenants.map((t) => planTenant(t, data.halo, cfg)));
    assert.ok(mutatedPlan.changes.updateContact > basePlan.changes.updateContact);
    assert.equal(mutatedPlan.changes.createContact, basePlan.changes.createContact);
    assert.equal(mutatedPlan.changes.deactivateContact, basePlan.changes.deactivateContact);
  });
});
