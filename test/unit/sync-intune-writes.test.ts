import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIntegrationConfig } from '../../shared/config/integration';
import type { ConfigError } from '../../shared/config/zodIssues';
import { buildIntuneReport, toIntuneWrites } from '../../shared/sync/intune';
import { intuneSync } from '../../shared/sync/intune/definition';
import { device, intuneConfig, plan } from './intune-fixtures';

describe('intune sync (8): writes, reports, configuration', () => {
  it('writes types, then licences, then assets, at most 100 per POST', () => {
    const devices = Array.from({ length: 230 }, (_, i) =>
      device({ model: i % 2 === 0 ? 'Surface Pro 9' : 'Mobile Phone' }),
    );
    const p = plan({
      devices,
      config: intuneConfig({ assetType: { from: 'field', field: 'model', assetGroupId: 2 } }),
    });
    const batches = toIntuneWrites(p, { batchSize: 100 });
    assert.deepEqual(
      batches.map((b) => [b.resource, b.bodies.length]),
      [
        ['/AssetType', 1],
        ['/Asset', 100],
        ['/Asset', 100],
        ['/Asset', 30],
      ],
    );
    assert.equal(
      batches.reduce((n, b) => n + b.changeCount, 0),
      p.changes.length,
    );
    assert.equal(toIntuneWrites(p, { batchSize: 50 }).filter((b) => b.resource === '/Asset').length, 5);
  });

  it('the report: JSON with every plan and a reason per change, CSVs for tenants, changes and skipped devices', () => {
    const ok = device({ deviceName: 'PC-OK' });
    const sensor = device({ deviceName: 'SENSOR', managementAgent: 'msSense' });
    const p = plan({ devices: [ok, sensor] });
    const files = buildIntuneReport('run-1', [p], {
      mode: 'plan',
      startedAt: 'a',
      finishedAt: 'b',
      outcomes: [{ tenantId: p.tenantId, status: 'planned' }],
    });
    const json = files.json as { summary: { changes: Record<string, number>; excludedDefender: number } };
    assert.equal(json.summary.changes.createAsset, 1);
    assert.equal(json.summary.excludedDefender, 1);
    const changes = files.csv.changes!.trim().split('\r\n');
    assert.equal(changes.length, 2);
    assert.match(
      changes[1]!,
      /^Contoso Ltd,Contoso Ltd,createAsset,PC-OK,.*,"new in Intune: no asset of Contoso Ltd has its .*",type: one type/,
    );
    assert.match(files.csv.skipped!, /SENSOR,.*,excluded,managed by Microsoft Defender/);
    assert.match(
      files.csv.tenants!,
      /Contoso Ltd,11111111-1111-4111-8111-111111111111,Contoso Ltd,tenantId,2,1,1,allowed/,
    );
  });

  it('an unmatched tenant plans nothing and says how to fix it', () => {
    const p = plan({
      devices: [device()],
      company: { unmatched: 'no active Halo company matches tenant "Tailspin"', instruction: 'Set the website …' },
    });
    assert.deepEqual(p.changes, []);
    assert.match(
      intuneSync.describeSource({
        tenantId: p.tenantId,
        displayName: 'Tailspin',
        source: 'gdap',
        mode: 'plan',
        phase: 'done',
        attempts: 1,
        ...intuneSync.sourceDetails(p),
      }),
      /^unmatched: no active Halo company/,
    );
  });

  it('configuration: daily by default; off until configured; clear errors for what cannot work', () => {
    const defaults = parseIntegrationConfig({ mailboxes: [] }).intuneSync;
    assert.equal(defaults.enabled, false);
    assert.equal(defaults.schedule, '0 30 3 * * *');
    assert.equal(defaults.software.endpoint, 'auto');
    assert.equal(defaults.devices.excludeDefenderManaged, true);
    const problems = (doc: unknown) => {
      try {
        parseIntegrationConfig({ mailboxes: [], intuneSync: doc });
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    assert.deepEqual(problems({ enabled: true }), [
      '$.intuneSync.assetType: is required when the Intune sync is enabled: {"from": "single", "typeId": <Halo asset type id>}',
    ]);
    assert.deepEqual(problems({ matching: ['serialNumber'] }), [
      '$.intuneSync.matching[0]: matching by serialNumber needs a field mapping from "serialNumber" (it names the asset field to compare with)',
    ]);
    assert.match(
      problems({ fields: [{ from: 'activationLockBypassCode', to: { property: 'key_field' } }] })[0]!,
      /^\$\.intuneSync\.fields\[0\]\.from: /,
      'a secret is not a mappable field',
    );
    assert.match(
      problems({ fields: [{ from: 'model', to: { property: 'notes' } }] })[0]!,
      /^\$\.intuneSync\.fields\[0\]\.to/,
    );
    assert.match(
      problems({
        fields: [
          { from: 'model', to: { property: 'key_field' } },
          { from: 'osVersion', to: { property: 'key_field' } },
        ],
      })[0]!,
      /fields\[1\]\.to: writes the same target as fields\[0\]/,
    );
    assert.match(
      problems({
        assetType: { from: 'rules', rules: [{ when: [{ field: 'model', op: 'matches', value: '(' }], typeId: 1 }] },
      })[0]!,
      /rules\[0\]\.when\[0\]\.value: is not a regular expression/,
    );
  });
});
