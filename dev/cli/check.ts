// `npm run cli -- check`: what works and what does not, each with its fix; exit code 0 only if nothing failed.
// Against the deployment (--settings <file>, the azd environment, or local.settings.json with a real Halo), or the
// demo stack when none is configured.
import { DefaultAzureCredential } from '@azure/identity';
import { buildContainer } from '../../shared/app/buildContainer';
import type { Container } from '../../shared/app/container';
import { integrationConfigFor } from '../../shared/app/integrationConfigFor';
import { type CheckRow, formatCheckTable, runSystemCheck } from '../../shared/app/systemCheck';
import { loadAppSettings } from '../../shared/config/appSettings';
import { DEFAULT_CONFIG_BLOB } from '../../shared/storage';
import { type Stack, startStack } from '../stack';
import { type CliCommand, parseCommandArgs, say } from './command';
import { type Deployment, resolveDeployment } from './deployment';
import { logSink, ROOT, readLocalSettings } from './services';
import { azdEnvironment } from './target';

/** Key Vault secret name → the app setting that holds its value, and how to add it. */
const SECRETS = [
  { name: 'halo-client-secret', setting: 'HALO_CLIENT_SECRET', always: true },
  { name: 'halo-webhook-password', setting: 'HALO_WEBHOOK_PASSWORD', always: true },
  { name: 'graph-client-secret', setting: 'GRAPH_CLIENT_SECRET', always: false },
] as const;

const addSecret = (name: string) =>
  `az keyvault secret set --vault-name <KEY_VAULT_NAME> -n ${name} --value '<value>' (the app picks it up within a minute: the post-provision hook sets a short Key Vault reference refresh)`;

/** The secrets a Container's deployment needs: the job-signing key through its secret store, the rest from settings. */
export async function secretsOf(container: Container): Promise<{ name: string; present: boolean; fix: string }[]> {
  const signing = container.settings.JOB_SIGNING_KEY_SECRET_NAME;
  const present = await container.secrets.get(signing).then(
    (value) => value.length > 0,
    () => false,
  );
  return [
    ...SECRETS.filter((s) => s.always || container.settings.GRAPH_CLIENT_ID).map((s) => ({
      name: s.name,
      present: Boolean(container.settings[s.setting]),
      fix: addSecret(s.name),
    })),
    { name: signing, present, fix: 'run the post-provision hook again: azd hooks run postprovision' },
  ];
}

export const checkCommands: CliCommand[] = [
  {
    name: 'check',
    usage: 'check [--settings <file>] [--demo] [--verbose]',
    run: async (argv) => {
      const { values } = parseCommandArgs(argv, {
        settings: { type: 'string' },
        demo: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
      });
      const sink = logSink(values.verbose);
      const useDemo = values.demo || (!values.settings && !azdEnvironment() && !readLocalSettings()?.HALO_BASE_URL);
      let rows: CheckRow[];
      if (useDemo) {
        const stack = await startStack({ sink, configFromBlob: true });
        scopeDemoMail(stack);
        say('halo-bridge check: demo stack (simulators, Azurite)');
        try {
          rows = await runSystemCheck(stack.container, { secrets: await secretsOf(stack.container) });
        } finally {
          await stack.stop();
        }
      } else {
        const deployment = resolveDeployment(values.settings);
        say(`halo-bridge check: ${deployment.where}`);
        const { container, secrets } = await deploymentContainer(deployment, sink);
        rows = await runSystemCheck(container, { secrets });
      }
      for (const line of formatCheckTable(rows)) say(line);
      return rows.some((row) => row.status === 'fail') ? 1 : 0;
    },
  },
];

/**
 * The demo as the README sets a tenant up: the app's permissions granted by app role assignment, mail scoped to the
 * support mailboxes with Exchange RBAC for Applications (no tenant-wide Mail.* grant).
 */
export function scopeDemoMail(stack: Stack, mailboxes?: readonly string[]): void {
  const home = stack.settings.GRAPH_HOME_TENANT_ID!;
  stack.graph.consent.setup(home, {
    servicePrincipal: true,
    granted: ['DelegatedAdminRelationship.Read.All', 'Directory.Read.All', 'User.Read.All', 'Organization.Read.All'],
    mailScope: mailboxes ?? stack.container.config.mailboxes.filter((m) => m.tenantId === home).map((m) => m.address),
  });
}

/** A Container for the deployment, as the app would build it, with secrets from its Key Vault (or settings file). */
async function deploymentContainer(deployment: Deployment, sink: ReturnType<typeof logSink>) {
  const values: Record<string, string> = { ...deployment.values };
  const found: { name: string; present: boolean; fix: string }[] = [];
  for (const secret of SECRETS) {
    if (!secret.always && !values.GRAPH_CLIENT_ID) continue;
    const value = await deployment.secret(secret.name, secret.setting).catch(() => undefined);
    found.push({ name: secret.name, present: Boolean(value), fix: addSecret(secret.name) });
    // A placeholder keeps the settings loadable, so every other row is still checked; the secret row says missing.
    values[secret.setting] = value ?? `missing-${secret.name}-placeholder`;
  }
  if (values.STORAGE_ACCOUNT_NAME && !values.AzureWebJobsStorage) {
    values.AzureWebJobsStorage__accountName = values.STORAGE_ACCOUNT_NAME;
    values.INTEGRATION_CONFIG_BLOB ??= DEFAULT_CONFIG_BLOB;
  }
  values.HALO_WEBHOOK_USERNAME ??= 'halo-webhook';
  const settings = loadAppSettings(values);
  const credential = new DefaultAzureCredential();
  let container: Container | undefined;
  const config = integrationConfigFor(settings, () => container!, ROOT);
  container = buildContainer(settings, config, { sink, azureCredential: () => credential });
  await config.refreshIfDue();
  const signing = await container.secrets.get(settings.JOB_SIGNING_KEY_SECRET_NAME).then(
    () => true,
    () => false,
  );
  found.push({
    name: settings.JOB_SIGNING_KEY_SECRET_NAME,
    present: signing,
    fix: 'run the post-provision hook again: azd hooks run postprovision',
  });
  return { container, secrets: found };
}
