import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONSOLE_ROLES } from '../../shared/console/principal';

const infra = join(__dirname, '..', '..', 'infra');
const auth = readFileSync(join(infra, 'app', 'auth.bicep'), 'utf8');
const main = readFileSync(join(infra, 'main.bicep'), 'utf8');
const parameters = JSON.parse(readFileSync(join(infra, 'main.parameters.json'), 'utf8'));

describe('infra: App Service Authentication for the console', () => {
  it('signs people in with Entra ID without blocking the webhooks and Graph notifications', () => {
    assert.match(auth, /name: 'authsettingsV2'/);
    assert.match(auth, /requireAuthentication: false/);
    assert.match(auth, /unauthenticatedClientAction: 'AllowAnonymous'/);
    assert.match(auth, /azureActiveDirectory: \{\s+enabled: true/);
    assert.match(auth, /openIdIssuer: '\$\{environment\(\)\.authentication\.loginEndpoint\}\$\{tenantId\}\/v2\.0'/);
    assert.match(auth, /requireHttps: true/);
  });

  it('keeps no secret and no tokens (the console needs who, not their tokens)', () => {
    assert.doesNotMatch(auth, /clientSecretSettingName|clientSecret/);
    assert.match(auth, /tokenStore: \{\s+enabled: false/);
  });

  it('names the app roles the code checks', () => {
    for (const role of Object.values(CONSOLE_ROLES)) assert.ok(auth.includes(role), `auth.bicep documents ${role}`);
  });

  it('is wired into main.bicep only when a console app registration is given, and azd can pass it', () => {
    assert.match(main, /param consoleAuthClientId string = ''/);
    assert.match(main, /module consoleAuth 'app\/auth\.bicep' = if \(!empty\(consoleAuthClientId\)\)/);
    assert.match(main, /output CONSOLE_URL string = '\$\{functionApp\.outputs\.uri\}\/api\/console'/);
    assert.equal(parameters.parameters.consoleAuthClientId.value, ['$', '{CONSOLE_AUTH_CLIENT_ID=}'].join(''));
  });
});
