import { z } from 'zod';
import { ConfigError } from './zodIssues';

const KEY_VAULT_REFERENCE = '@Microsoft.KeyVault(';

const url = z.url({ message: 'must be an absolute URL' }).transform((value) => value.replace(/\/+$/, ''));
const httpsUrl = z
  .url({ protocol: /^https$/, message: 'must be an https:// URL' })
  .transform((v) => v.replace(/\/+$/, ''));
const text = z.string().trim().min(1, { message: 'must not be empty' });
const positiveInt = z.coerce.number().int().positive();
const guidOrDomain = text.regex(/^[0-9a-zA-Z.-]+$/, { message: 'must be a tenant id (GUID) or a tenant domain' });

/** Names of the settings that hold secrets: their values are masked in logs and never echoed in errors. */
export const SECRET_SETTINGS = [
  'AzureWebJobsStorage',
  'HALO_CLIENT_SECRET',
  'GRAPH_CLIENT_SECRET',
  'GRAPH_CERTIFICATE_PEM',
  'HALO_WEBHOOK_PASSWORD',
] as const;

/**
 * The app settings as Azure Functions (or local.settings.json) provides them. Key names follow the deployed app's
 * settings one to one, so that `infra/` and this schema can be checked against each other.
 */
export const appSettingsSchema = z.object({
  AzureWebJobsStorage: text.optional(),
  AzureWebJobsStorage__accountName: text.optional(),
  AzureWebJobsStorage__clientId: text.optional(),
  AzureWebJobsStorage__credential: z.literal('managedidentity').optional(),
  AzureWebJobsStorage__queueServiceUri: url.optional(),
  AzureWebJobsStorage__tableServiceUri: url.optional(),
  AzureWebJobsStorage__blobServiceUri: url.optional(),

  HALO_BASE_URL: url,
  HALO_AUTH_URL: url.optional(),
  HALO_TENANT: text.optional(),
  HALO_CLIENT_ID: text,
  HALO_CLIENT_SECRET: text,
  HALO_SCOPE: text.default('all'),
  HALO_RATE_LIMIT_REQUESTS: positiveInt.default(300),
  HALO_RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(300),
  /** A Halo request with no answer after this long is abandoned (a create then has an unknown outcome). */
  HALO_REQUEST_TIMEOUT_SECONDS: positiveInt.default(100),
  /** After a create's answer is lost: how long to wait before looking the record up in Halo. */
  HALO_LOOKUP_SETTLE_MS: z.coerce.number().int().min(0).default(2000),
  /**
   * Our share of Halo's limit (HALO_RATE_LIMIT_REQUESTS per window): leave room for Halo's own Integrator and other
   * tools that use the same API application limit.
   */
  HALO_BUDGET_SHARE: z.coerce.number().gt(0).max(1).default(0.8),
  /** Share of our budget that bulk syncs leave free while interactive work (mail, scripts, webhooks) is active. */
  HALO_BUDGET_INTERACTIVE_RESERVE: z.coerce.number().min(0).max(0.5).default(0.1),
  /** The most requests one instance leases from the shared budget at a time. */
  HALO_BUDGET_MAX_LEASE: positiveInt.default(10),
  /** `deployment`: one budget in Table storage for every instance and the CLI; `process`: this process only. */
  HALO_BUDGET_SCOPE: z.enum(['deployment', 'process']).default('deployment'),

  GRAPH_CLIENT_ID: text.optional(),
  GRAPH_CLIENT_SECRET: text.optional(),
  GRAPH_CERTIFICATE_PEM: text.optional(),
  GRAPH_HOME_TENANT_ID: guidOrDomain.optional(),
  GRAPH_BASE_URL: httpsUrl.default('https://graph.microsoft.com'),
  GRAPH_AUTHORITY_HOST: httpsUrl.default('https://login.microsoftonline.com'),
  /** Use the Function App's managed identity for the home tenant instead of a secret or certificate. */
  GRAPH_USE_MANAGED_IDENTITY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),

  KEY_VAULT_URL: httpsUrl.optional(),
  /** Local development only: a JSON file of secret name → value used when no Key Vault is configured. */
  LOCAL_SECRETS_FILE: text.optional(),
  AZURE_CLIENT_ID: text.optional(),

  HALO_WEBHOOK_USERNAME: text,
  HALO_WEBHOOK_PASSWORD: text.min(12, { message: 'must be at least 12 characters' }),

  JOB_SIGNING_KEY_SECRET_NAME: text.default('job-signing-key'),

  INTEGRATION_CONFIG: text.optional(),
  INTEGRATION_CONFIG_PATH: text.optional(),
  /** `<container>/<blob>` in the app's storage account: the config the deployed app reads (and re-reads on change). */
  INTEGRATION_CONFIG_BLOB: text
    .regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]\/.+$/, {
      message: 'must be <container>/<blob>, e.g. config/integration.json',
    })
    .optional(),
  /** How often the app checks the config blob for a change (one conditional request). */
  INTEGRATION_CONFIG_REFRESH_SECONDS: positiveInt.max(3600).default(30),

  /**
   * How long one mailbox scan may run before it saves its place and queues its own continuation: well inside the
   * host's functionTimeout (host.json: 10 minutes), leaving room for the message in hand.
   */
  MAIL_SCAN_BUDGET_SECONDS: positiveInt.max(3600).default(300),
  /** `Prefer: odata.maxpagesize` of the inbox delta: messages per page (Graph's default is 10). */
  MAIL_SCAN_PAGE_SIZE: positiveInt.max(1000).default(50),

  /** The public https base of the Function App, used for Graph notification URLs; defaults from WEBSITE_HOSTNAME. */
  PUBLIC_BASE_URL: url.optional(),
  WEBSITE_HOSTNAME: text.optional(),
  /**
   * Set to `True` by App Service when its Authentication (infra/app/auth.bicep) is enabled: only then does the
   * platform strip the `X-MS-CLIENT-PRINCIPAL` headers from incoming requests, so only then does the console trust
   * them. The local runner sets it because it does the same (dev/runner/easyAuth.ts).
   */
  WEBSITE_AUTH_ENABLED: z
    .string()
    .optional()
    .transform((v) => v?.trim().toLowerCase() === 'true'),
});
/**
 * A value still holding local.settings.sample.json's `<...>` text. A secret only when the whole value is one (a
 * generated secret may contain `<` and `>`); any other setting when it contains one (`https://<your-vault>...`).
 */
function isPlaceholder(name: string, raw: string): boolean {
  const secret = (SECRET_SETTINGS as readonly string[]).includes(name);
  return secret ? /^<[^<>]+>$/.test(raw.trim()) : /<[^<>\s][^<>]*>/.test(raw);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rules across settings, run on the raw values so that they are reported together with the per-setting ones. */
function crossSettingProblems(s: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  if (!s.AzureWebJobsStorage && !s.AzureWebJobsStorage__accountName && !s.AzureWebJobsStorage__queueServiceUri) {
    problems.push(
      'AzureWebJobsStorage: is required (a connection string), or AzureWebJobsStorage__accountName for identity-based access',
    );
  }
  if (s.GRAPH_CLIENT_ID || s.GRAPH_HOME_TENANT_ID) {
    if (!s.GRAPH_CLIENT_ID) problems.push('GRAPH_CLIENT_ID: is required when GRAPH_HOME_TENANT_ID is set');
    if (!s.GRAPH_HOME_TENANT_ID) problems.push('GRAPH_HOME_TENANT_ID: is required when GRAPH_CLIENT_ID is set');
    if (!s.GRAPH_CLIENT_SECRET && !s.GRAPH_CERTIFICATE_PEM && s.GRAPH_USE_MANAGED_IDENTITY !== 'true') {
      problems.push('GRAPH_CLIENT_SECRET: is required, or GRAPH_CERTIFICATE_PEM, or GRAPH_USE_MANAGED_IDENTITY=true');
    }
  }
  if (s.GRAPH_CLIENT_SECRET && GUID.test(s.GRAPH_CLIENT_SECRET.trim())) {
    problems.push(
      "GRAPH_CLIENT_SECRET: looks like a GUID, which is the secret's ID; paste the secret's Value (shown once when it is created)",
    );
  }
  const configSources = ['INTEGRATION_CONFIG', 'INTEGRATION_CONFIG_PATH', 'INTEGRATION_CONFIG_BLOB'].filter(
    (n) => s[n],
  );
  if (configSources.length > 1) {
    problems.push(`INTEGRATION_CONFIG: set one of ${configSources.join(', ')}, not ${configSources.length}`);
  }
  return problems;
}

export type AppSettingsInput = z.input<typeof appSettingsSchema>;
type ParsedSettings = z.output<typeof appSettingsSchema>;

export interface AppSettings extends ParsedSettings {
  /** Every secret value found in the settings, for log masking. */
  readonly secretValues: readonly string[];
  /** Where Graph should deliver notifications, when the app has a public URL. */
  readonly publicBaseUrl: string | undefined;
}

/**
 * Reads the app settings once. Fails with every problem listed by setting name, including values that are still
 * an unresolved `@Microsoft.KeyVault(...)` reference. Values are never echoed: they may be secrets.
 */
export function loadAppSettings(env: Readonly<Record<string, string | undefined>>): AppSettings {
  const known = Object.keys(appSettingsSchema.shape);
  const values: Record<string, string> = {};
  const problems: string[] = [];
  const unresolved = new Set<string>();
  for (const name of known) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    if (raw.trimStart().startsWith(KEY_VAULT_REFERENCE)) {
      problems.push(
        `${name}: is an unresolved Key Vault reference; check that the app's identity has 'Key Vault Secrets User' on the vault and that the secret exists`,
      );
      unresolved.add(name);
      continue;
    }
    if (isPlaceholder(name, raw)) {
      problems.push(`${name}: is still the <...> placeholder from local.settings.sample.json; fill in the real value`);
      unresolved.add(name);
      continue;
    }
    values[name] = raw;
  }
  const parsed = appSettingsSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '(settings)');
      if (unresolved.has(name)) continue;
      const message = issue.code === 'invalid_type' && values[name] === undefined ? 'is required' : issue.message;
      problems.push(`${name}: ${message}`);
    }
  }
  problems.push(...crossSettingProblems(values).filter((p) => !unresolved.has(p.split(':')[0] ?? '')));
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigError('App settings', [...new Set(problems)].sort());
  }
  const settings = parsed.data;
  const secretValues = SECRET_SETTINGS.map((name) => settings[name]).filter((v): v is string => Boolean(v));
  const publicBaseUrl =
    settings.PUBLIC_BASE_URL ?? (settings.WEBSITE_HOSTNAME ? `https://${settings.WEBSITE_HOSTNAME}` : undefined);
  return { ...settings, secretValues, publicBaseUrl };
}
