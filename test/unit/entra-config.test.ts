import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIntegrationConfig } from '../../shared/config/integration';
import { scheduleEvery, untrackedFieldUses } from '../../shared/config/integration/entra';
import { ConfigError } from '../../shared/config/zodIssues';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';

function problemsOf(entraSync: unknown): string[] {
  try {
    parseIntegrationConfig({ entraSync });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const agentSite = { type: 'existingSite', siteId: 'agent', group: 'Halo Agents' };

describe('Entra ID sync config', () => {
  it('is off by default; a connection gets Halo-like defaults (shared app, users and agents, all changes)', () => {
    const config = parseIntegrationConfig({ entraSync: { connections: [{ name: 'Main', tenantId: T1 }] } });
    assert.equal(config.entraSync.enabled, false);
    assert.equal(config.entraSync.everyMinutes, 15);
    const [connection] = config.entraSync.connections;
    assert.deepEqual(connection?.app, { kind: 'shared' });
    assert.deepEqual(connection?.syncs, { users: true, agents: true, licences: false });
    assert.equal(connection?.syncMethod, 'allChanges');
    assert.equal(connection?.deactivation.users, false, 'deactivation is opt-in');
    assert.ok(connection?.fields.agents.some((m) => m.halo === 'email'));
  });

  it('several tenants, each with its own app (secret or certificate from Key Vault), each enabled or not', () => {
    const config = parseIntegrationConfig({
      entraSync: {
        connections: [
          { name: 'A', tenantId: T1, app: { kind: 'clientSecret', clientId: T2, secretName: 'entra-a-secret' } },
          {
            name: 'B',
            tenantId: T2,
            enabled: false,
            app: { kind: 'certificate', clientId: T1, certificateSecretName: 'entra-b-cert' },
            syncs: { agents: false },
          },
        ],
      },
    });
    assert.equal(config.entraSync.connections.length, 2);
    assert.equal(config.entraSync.connections[1]?.enabled, false);
  });

  it('names the JSON path of each problem', () => {
    const problems = problemsOf({
      everyMinutes: 7,
      connections: [
        { name: 'A', tenantId: T1, siteMappings: [agentSite] },
        {
          name: 'B',
          tenantId: T1.toUpperCase(),
          siteMappings: [agentSite, { type: 'existingSite', siteId: 3, licenceType: 'named' }],
          fields: {
            agents: [
              { entra: 'department', halo: 'linemanager' },
              { entra: 'mail', halo: 'email' },
              { entra: 'userPrincipalName', halo: 'email' },
            ],
            users: [{ entra: 'favouriteColour', halo: 'other1' }],
          },
          groups: { agentRoles: [{ group: 'Admins', roleId: 5 }] },
        },
      ],
    });
    const expected = [
      '$.entraSync.everyMinutes: must be one of',
      '$.entraSync.connections[1].fields.users[0].entra: "favouriteColour" is not a Microsoft Graph user property',
      '$.entraSync.connections[1].fields.agents[0].entra: the Halo field "linemanager" can only be mapped from "manager"',
      '$.entraSync.connections[1].groups.agentRoles[0].roleId:',
    ];
    for (const start of expected)
      assert.ok(
        problems.some((p) => p.startsWith(start)),
        `${start}\n${problems.join('\n')}`,
      );
    const agents = problemsOf({
      connections: [
        {
          name: 'B',
          tenantId: T1,
          siteMappings: [agentSite, { type: 'existingSite', siteId: 3, licenceType: 'named' }],
          fields: {
            agents: [
              { entra: 'mail', halo: 'email' },
              { entra: 'userPrincipalName', halo: 'email' },
            ],
          },
        },
      ],
    });
    assert.ok(
      agents.some((p) =>
        p.startsWith('$.entraSync.connections[0].siteMappings[1].licenceType: only applies to the "agent" site'),
      ),
    );
    assert.ok(
      agents.some((p) => p.startsWith('$.entraSync.connections[0].fields.agents[1].halo: email is already mapped')),
    );
  });

  it('one connection per Entra tenant (syncs are keyed by tenant), case-insensitive', () => {
    const problems = problemsOf({
      connections: [
        { name: 'A', tenantId: T1 },
        { name: 'B', tenantId: T1.toUpperCase() },
      ],
    });
    assert.ok(
      problems.some((p) => p.startsWith('$.entraSync.connections[1].tenantId: is the tenant of connections[0] too')),
    );
  });

  it('agents on with no agent site mapping is refused (no user would become an agent)', () => {
    const problems = problemsOf({
      connections: [{ name: 'A', tenantId: T1, siteMappings: [{ type: 'existingSite', siteId: 1 }] }],
    });
    assert.ok(
      problems.some((p) =>
        /connections\[0\]\.siteMappings: syncs.agents is on but no site mapping has siteId "agent"/.test(p),
      ),
    );
  });

  it('flags fields delta cannot track, with where they are used (Halo highlights its "incompatible fields")', () => {
    const config = parseIntegrationConfig({
      entraSync: {
        connections: [
          {
            name: 'A',
            tenantId: T1,
            fields: { users: [{ entra: 'signInActivity.lastSignInDateTime', halo: 'azure_last_login_date' }] },
            siteMappings: [
              agentSite,
              { type: 'existingSite', siteId: 1, filters: [{ field: 'manager.birthday', operator: 'isNotEmpty' }] },
            ],
          },
        ],
      },
    });
    assert.deepEqual(untrackedFieldUses(config.entraSync), [
      { path: '$.entraSync.connections[0].fields.users[0].entra', property: 'signInActivity' },
      { path: '$.entraSync.connections[0].siteMappings[1].filters[0].field', property: 'birthday' },
    ]);
  });

  it('licences: a client is required; managing them from Halo needs them imported and users linked', () => {
    assert.deepEqual(problemsOf({ connections: [{ name: 'A', tenantId: T1, syncs: { licences: true } }] }), [
      '$.entraSync.connections[0].softwareLicences.clientId: syncs.licences is on: name the Halo client the licences belong to',
    ]);
    const problems = problemsOf({
      connections: [{ name: 'A', tenantId: T1, softwareLicences: { manageFromHalo: true, linkUsers: false } }],
    });
    assert.ok(problems.some((p) => p.startsWith('$.entraSync.connections[0].softwareLicences.manageFromHalo:')));
    assert.ok(problems.some((p) => p.startsWith('$.entraSync.connections[0].softwareLicences.linkUsers:')));
    const config = parseIntegrationConfig({
      entraSync: {
        connections: [
          {
            name: 'A',
            tenantId: T1,
            syncs: { licences: true },
            softwareLicences: { clientId: 12, names: { SPB: 'Business Premium' } },
          },
        ],
      },
    });
    assert.deepEqual(config.entraSync.connections[0]?.softwareLicences, {
      clientId: 12,
      names: { SPB: 'Business Premium' },
      linkUsers: true,
      manageFromHalo: false,
    });
  });

  it('a run every N minutes as NCRONTAB', () => {
    assert.equal(scheduleEvery(15), '0 */15 * * * *');
    assert.equal(scheduleEvery(120), '0 0 */2 * * *');
    assert.equal(scheduleEvery(1440), '0 0 0 * * *');
  });
});
