import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  integrationConfigJsonSchema,
  parseIntegrationConfig,
  readIntegrationConfig,
} from '../../shared/config/integration';
import { ConfigError } from '../../shared/config/zodIssues';

describe('integration config', () => {
  it('fills defaults for an empty document', () => {
    const config = parseIntegrationConfig({});
    assert.equal(config.tenantSync.mode, 'plan');
    assert.deepEqual(config.mailboxes, []);
  });

  it('points at the JSON path of each problem', () => {
    try {
      parseIntegrationConfig({
        mailboxes: [
          { id: 'Support', tenantId: 'x', address: 'nope', ticket: { ticketTypeId: 1, fallbackClientId: 1 } },
        ],
        schedules: [{ name: 's', cron: '* * *', script: 'missing' }],
      });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      const paths = error.problems.map((p) => p.split(':')[0]);
      assert.ok(paths.includes('$.mailboxes[0].id'), paths.join(','));
      assert.ok(paths.includes('$.mailboxes[0].tenantId'));
      assert.ok(paths.includes('$.mailboxes[0].address'));
      assert.ok(paths.includes('$.schedules[0].cron'));
    }
  });

  it('the committed JSON Schema matches the zod schema (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '../../shared/config/integration.schema.json'), 'utf8'));
    assert.deepEqual(committed, integrationConfigJsonSchema());
  });

  it('names the setting and the file when INTEGRATION_CONFIG_PATH cannot be read', () => {
    const path = join(__dirname, 'no-such-integration.json');
    assert.throws(
      () => readIntegrationConfig({ path }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message === `INTEGRATION_CONFIG_PATH ${path} is invalid:\n  - cannot be read (ENOENT)`,
    );
  });
});
