import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { haloRequestValidator } from '../support/haloOpenApi';
import { runEntra } from './entra-helpers';

describe("Entra ID sync: every Halo write is valid for Halo's OpenAPI spec", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      // An organisation mapping as well, so that a site is created too.
      config: (demo) => {
        const entra = demo.entraSync as { connections: (Record<string, unknown> & { siteMappings: unknown[] })[] };
        // Licences too: their creates, and users' licence links.
        entra.connections[0]!.syncs = { users: true, agents: true, licences: true };
        entra.connections[0]!.softwareLicences = { clientId: 1 };
        entra.connections[0]!.siteMappings.push({
          type: 'organisation',
          clientId: 1,
          field: 'department',
          group: 'Halo Agents',
          sequence: -1,
        });
        return demo;
      },
    });
  });
  after(async () => {
    await stack.stop();
  });

  it('agents, users, CABs, sites, tickets and licences: the bodies the demo runs post', async () => {
    const status = await runEntra(stack, 'apply');
    assert.equal(status.run.status, 'succeeded', JSON.stringify(status.tenants));
    // The second run links the users created by the first to their licences.
    assert.equal((await runEntra(stack, 'apply')).run.status, 'succeeded');
    const writes = stack.halo
      .requests()
      .filter((r) => r.method === 'POST' && /^\/api\/(agent|users|cab|site|tickets|softwarelicence)$/i.test(r.path));
    const seen = new Set<string>();
    for (const write of writes) {
      const name = write.path.split('/')[2]!;
      const key = `POST /${{ agent: 'Agent', users: 'Users', cab: 'CAB', site: 'Site', tickets: 'Tickets', softwarelicence: 'SoftwareLicence' }[name.toLowerCase()]}`;
      seen.add(key);
      const validate = haloRequestValidator(key);
      assert.equal(
        validate(write.body),
        true,
        `${key}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(write.body)}`,
      );
    }
    assert.deepEqual([...seen].sort(), [
      'POST /Agent',
      'POST /CAB',
      'POST /Site',
      'POST /SoftwareLicence',
      'POST /Tickets',
      'POST /Users',
    ]);
    const linked = writes.filter((w) => (w.body as { software?: unknown }[]).some((b) => Array.isArray(b.software)));
    assert.ok(linked.length > 0, 'a user was linked to its licences');
    const sites = [...stack.halo.store.tables.sites.values()].filter((s) => s.client_id === 1).map((s) => s.name);
    assert.ok(sites.includes('Service Desk') && sites.includes('Projects'), sites.join());
  });
});
