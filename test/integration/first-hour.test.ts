// The first hour on Azure, on the local stack: the app provisioned with the starter config in its config blob, an
// invalid config refused by `config push` (the running config unchanged), a valid one picked up without a restart,
// `consent --apply` across the GDAP customers (one refusing, reported with its fix), `check` green, then red with the
// right fix when a secret and a permission are missing.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scopeDemoMail, secretsOf } from '../../dev/cli/check';
import { GDAP_ROLES } from '../../dev/graph-sim/consent';
import { type Stack, startStack } from '../../dev/stack';
import { runSystemCheck } from '../../shared/app/systemCheck';
import { runCli } from '../support/cli';

const root = join(__dirname, '..', '..');
const CONTOSO = '11111111-1111-4111-8111-111111111111';
const FABRIKAM = '22222222-2222-4222-8222-222222222222';
const NORTHWIND = '33333333-3333-4333-8333-333333333333';
const TAILSPIN = '44444444-4444-4444-8444-444444444444';
let stack: Stack;
let dir: string;
let demoWorkers: unknown;

const cli = (args: string[]) => runCli(args, { HALO_BRIDGE_STORAGE_CONNECTION_STRING: stack.storage.connectionString });

async function health() {
  const response = await fetch(`${stack.settings.PUBLIC_BASE_URL}/api/health`);
  return {
    status: response.status,
    body: (await response.json()) as { config: { etag?: string; features: string[]; state: string } },
  };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'first-hour-'));
  const starter = JSON.parse(readFileSync(join(root, 'infra', 'starter-config.json'), 'utf8'));
  stack = await startStack({
    configFromBlob: true,
    config: (demo) => {
      demoWorkers = demo.workers;
      return starter;
    },
    settings: { INTEGRATION_CONFIG_REFRESH_SECONDS: '1' },
  });
  // As a new partner finds its tenants: the app registered at home, nothing in the customers yet; Northwind's GDAP
  // relationship lacks Privileged Role Administrator.
  scopeDemoMail(stack, ['support@bridgemsp.com']);
  for (const tenant of [CONTOSO, FABRIKAM, TAILSPIN]) stack.graph.consent.setup(tenant);
  stack.graph.consent.setup(NORTHWIND, { partnerRoles: [GDAP_ROLES.cloudApplicationAdministrator] });
});
after(async () => {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the first hour on Azure (local stack)', () => {
  let firstEtag: string | undefined;

  it('starts on the starter config from its blob, and says what it turns on', async () => {
    const { status, body } = await health();
    assert.equal(status, 200);
    assert.deepEqual(body.config.features, ['tenant sync (plan mode)']);
    firstEtag = body.config.etag;
    assert.ok(firstEtag);
  });

  it('config push refuses an invalid document with JSON paths, and the running config is unchanged', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ mailboxes: [{ id: 'support', tenantId: CONTOSO, address: 'support' }] }));
    const pushed = await cli(['config', 'push', bad]);
    assert.equal(pushed.code, 1, pushed.stdout);
    assert.match(pushed.stderr, /\$\.mailboxes\[0\]\.address: must be an email address/);
    assert.match(pushed.stderr, /\$\.mailboxes\[0\]\.ticket: /);
    assert.match(pushed.stderr, /nothing was pushed: the running config is unchanged/);
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal((await health()).body.config.etag, firstEtag);
  });

  it('config push of a valid document takes effect without a restart, and keeps the previous version', async () => {
    const mine = join(dir, 'config.json');
    const demo = JSON.parse(readFileSync(join(root, 'dev', 'demo-data', 'integration.json'), 'utf8'));
    writeFileSync(mine, JSON.stringify({ ...demo, workers: demoWorkers }, null, 2));
    const pushed = await cli(['config', 'push', mine]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /pushed \d+ change\(s\)/);
    assert.match(pushed.stdout, /previous version kept as history\/integration-/);
    let after = await health();
    for (let i = 0; i < 20 && after.body.config.etag === firstEtag; i++) {
      await new Promise((r) => setTimeout(r, 500));
      after = await health();
    }
    assert.notEqual(after.body.config.etag, firstEtag);
    assert.ok(after.body.config.features.includes('1 mailbox(es)'), after.body.config.features.join());
  });

  it('consent --apply grants every GDAP customer; the one whose relationship lacks a role is reported with its fix', async () => {
    const settings = join(dir, 'settings.json');
    writeFileSync(settings, JSON.stringify({ Values: stack.settings }));
    const applied = await cli(['consent', '--apply', '--settings', settings]);
    assert.equal(applied.code, 1, 'one tenant failed');
    assert.match(applied.stderr, /To sign in, use a web browser to open the page .+ and enter the code/);
    for (const name of ['Contoso Ltd', 'Fabrikam Inc', 'Tailspin Toys']) {
      assert.match(applied.stdout, new RegExp(`${name} \\([0-9a-f-]+\\)\\s+CONSENTED`));
    }
    assert.match(
      applied.stdout,
      /Northwind Traders \([0-9a-f-]+\)\s+FAILED: granting User\.Read\.All: 403 Authorization_RequestDenied/,
    );
    assert.match(applied.stdout, /fix:\s+give the GDAP relationship .*Privileged Role Administrator/);
    assert.match(applied.stdout, /5 tenant\(s\): 4 consented, 0 missing permissions, 1 failed/);
    assert.deepEqual(stack.graph.consent.granted(CONTOSO).sort(), [
      'DeviceManagementManagedDevices.Read.All',
      'Domain.Read.All',
      'Organization.Read.All',
      'User.Read.All',
    ]);
  });

  it('check is green once Northwind is fixed', async () => {
    stack.graph.consent.setup(NORTHWIND, {
      servicePrincipal: true,
      granted: ['User.Read.All', 'Domain.Read.All', 'Organization.Read.All', 'DeviceManagementManagedDevices.Read.All'],
    });
    const rows = await runSystemCheck(stack.container, { secrets: await secretsOf(stack.container) });
    assert.deepEqual(
      rows.filter((row) => row.status === 'fail').map((row) => `${row.item}: ${row.detail}`),
      [],
    );
    assert.ok(rows.some((row) => row.item === 'Contoso Ltd: Domain.Read.All' && row.status === 'ok'));
    assert.ok(rows.some((row) => row.item === 'support@bridgemsp.com: scope' && row.status === 'ok'));
  });

  it('check is red, with the right fix, when a secret and a permission are missing', async () => {
    stack.graph.consent.setup(CONTOSO, { servicePrincipal: true, granted: ['User.Read.All', 'Organization.Read.All'] });
    const { HALO_CLIENT_SECRET: _secret, KEY_VAULT_URL: _vault, ...rest } = stack.settings;
    const settings = join(dir, 'settings-missing.json');
    writeFileSync(settings, JSON.stringify({ Values: rest }));
    const checked = await cli(['check', '--settings', settings]);
    assert.equal(checked.code, 1, checked.stdout);
    assert.match(
      checked.stdout,
      /FAIL\s+secrets halo-client-secret\s+missing\n\s+fix: az keyvault secret set --vault-name <KEY_VAULT_NAME> -n halo-client-secret/,
    );
    assert.match(
      checked.stdout,
      /FAIL\s+graph Contoso Ltd: Domain\.Read\.All\s+.*\n\s+fix: npm run cli -- consent --apply/,
    );
    assert.match(checked.stdout, /ok\s+graph Contoso Ltd: User\.Read\.All/);
    assert.doesNotMatch(checked.stdout + checked.stderr, new RegExp(stack.settings.GRAPH_CLIENT_SECRET!));
  });
});
