// `npm run cli -- consent [--apply]`: the app's service principal and exactly the Microsoft Graph application
// permissions the configured features need, in the partner tenant and every GDAP customer (and listed tenant), signed
// in once as a partner admin with a device code. Dry run unless --apply. Verified with an app-only call per permission.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { type IntegrationConfig, parseIntegrationConfig } from '../../shared/config/integration';
import { consentAllTenants, describeConsentRun } from '../../shared/consent/consentAll';
import { graphHttp } from '../../shared/consent/graphHttp';
import { type CliCommand, parseCommandArgs, say, UsageError } from './command';
import { resolveDeployment } from './deployment';
import { partnerAdminTokens } from './partnerAdmin';
import { configStoreOf, resolveStorageTarget, targetOptions } from './target';

/** Microsoft Graph Command Line Tools: a Microsoft public client present in every tenant, used for the sign-in. */
export const DEFAULT_SIGN_IN_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export const consentCommands: CliCommand[] = [
  {
    name: 'consent',
    usage:
      'consent [--apply] [--tenant <id>]... [--config <file>] [--settings <file>] [--client-id <public client>] [--account <storage>]',
    run: async (argv) => {
      const { values } = parseCommandArgs(argv, {
        ...targetOptions,
        apply: { type: 'boolean', default: false },
        tenant: { type: 'string', multiple: true },
        config: { type: 'string' },
        settings: { type: 'string' },
        'client-id': { type: 'string' },
      });
      const deployment = resolveDeployment(values.settings);
      const appId = deployment.values.GRAPH_CLIENT_ID;
      const partnerTenantId = deployment.values.GRAPH_HOME_TENANT_ID;
      if (!appId || !partnerTenantId) {
        throw new UsageError(`GRAPH_CLIENT_ID and GRAPH_HOME_TENANT_ID must be set in ${deployment.where}`);
      }
      const config = await loadConfig(values);
      const graphBase = deployment.values.GRAPH_BASE_URL ?? 'https://graph.microsoft.com';
      const authorityHost = deployment.values.GRAPH_AUTHORITY_HOST ?? 'https://login.microsoftonline.com';
      const local = !/^https:\/\/login\.microsoftonline\.com\/?$/.test(authorityHost);
      say(`halo-bridge consent: app ${appId}, partner tenant ${partnerTenantId} (${deployment.where})`);
      const partnerAdmin = partnerAdminTokens({
        partnerTenantId,
        clientId: values['client-id'] ?? DEFAULT_SIGN_IN_CLIENT_ID,
        authorityHost,
        prompt: (message) => process.stderr.write(`${message}\n`),
      });
      const secret = await deployment.secret('graph-client-secret', 'GRAPH_CLIENT_SECRET');
      if (!secret) say('no app secret available: permissions are granted but not verified with app-only calls');
      const tokenOf = (credential: TokenCredential) => async () => {
        const token = await credential.getToken(GRAPH_SCOPE);
        if (!token) throw new Error('no token');
        return token.token;
      };
      const run = await consentAllTenants({
        config,
        appId,
        partnerTenantId,
        extraTenants: values.tenant ?? [],
        apply: values.apply,
        delegated: (tenantId) => graphHttp(graphBase, () => partnerAdmin(tenantId)),
        appOnly: secret
          ? (tenantId) =>
              graphHttp(
                graphBase,
                tokenOf(
                  new ClientSecretCredential(tenantId, appId, secret, {
                    authorityHost,
                    ...(local ? { disableInstanceDiscovery: true } : {}),
                  }),
                ),
              )
          : undefined,
        retryVerify: local ? { attempts: 1, delayMs: 0 } : { attempts: 6, delayMs: 20_000 },
      });
      for (const line of describeConsentRun(run, values.apply)) say(line);
      return run.tenants.every((tenant) => tenant.status === 'consented') && !run.discoveryProblem ? 0 : 1;
    },
  },
];

async function loadConfig(values: {
  config?: string;
  account?: string;
  'config-blob'?: string;
}): Promise<IntegrationConfig> {
  if (values.config)
    return parseIntegrationConfig(JSON.parse(readFileSync(resolve(values.config), 'utf8')), values.config);
  const document = await configStoreOf(resolveStorageTarget(values)).read();
  if (!document || document === 'unchanged') {
    throw new UsageError(
      'no integration config deployed: push one first (config push <file>), or pass --config <file>',
    );
  }
  return parseIntegrationConfig(JSON.parse(document.text), 'the deployed integration config');
}
