import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, formatIssues } from '../shared/config/zodIssues';

const nonEmpty = z.string().trim().min(1);
const sha256 = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, { message: 'must be a SHA-256 in hex (64 hex digits)' })
  .transform((v) => v.toLowerCase());

/**
 * An Entra identity for queue access where the storage account refuses shared keys (and so SAS): the managed
 * identity of an Azure VM or an Azure Arc-enabled server, or an app registration with a certificate.
 */
const identitySchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('managedIdentity'),
      /** A user-assigned identity's client id; without it the system-assigned identity (Arc servers have that one). */
      clientId: nonEmpty.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('clientCertificate'),
      tenantId: nonEmpty,
      clientId: nonEmpty,
      /** PEM file holding the certificate and its private key (relative to the config file). */
      certificatePath: nonEmpty,
    })
    .strict(),
]);

const queueSchema = z.union([
  z.object({ connectionString: nonEmpty }).strict(),
  z
    .object({
      /** e.g. https://account.queue.core.windows.net */
      serviceUrl: z.url(),
      /** A SAS scoped to this group's jobs queue (read, process) and job-results (add). */
      sasToken: nonEmpty,
    })
    .strict(),
  z.object({ serviceUrl: z.url(), identity: identitySchema }).strict(),
]);

const interpretersSchema = z
  .object({
    pwsh: nonEmpty.default('pwsh'),
    windowsPowerShell: nonEmpty.default('powershell.exe'),
    bash: nonEmpty.default('bash'),
    node: nonEmpty.default('node'),
    python3: nonEmpty.default('python3'),
  })
  .strict()
  .prefault({});

const scriptOptionsSchema = z
  .object({
    /** The script runs only if its SHA-256 matches. */
    sha256: sha256.optional(),
    /** For .ps1: PowerShell 7 (pwsh, the default) or Windows PowerShell 5.1. */
    powershell: z.enum(['pwsh', 'windowsPowerShell']).default('pwsh'),
  })
  .strict();

export const workerConfigSchema = z
  .object({
    workerId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
      message: 'must be 1-128 letters, digits, dots, dashes or underscores',
    }),
    workerGroup: z.string().regex(/^[a-z0-9](?:[a-z0-9]|-(?!-)){0,56}[a-z0-9]$/, {
      message: 'must be 2-58 lowercase letters, digits or single dashes (it becomes the queue name jobs-<group>)',
    }),
    queue: queueSchema,
    scriptFolder: nonEmpty,
    /** Keyed by the script's path relative to scriptFolder, with forward slashes. */
    scripts: z.record(z.string().min(1), scriptOptionsSchema).default({}),
    /** Refuse scripts that have no sha256 pin in `scripts`. */
    requirePins: z.boolean().default(false),
    /** The cloud's job-signing public keys (PEM or raw base64); several during a key rotation. */
    cloudPublicKeys: z.array(nonEmpty).min(1),
    /** File holding this worker's Ed25519 private key (PEM or raw base64), made by `worker keygen`. */
    privateKeyFile: nonEmpty,
    stateDirectory: nonEmpty,
    concurrency: z.number().int().min(1).max(32).default(2),
    interpreters: interpretersSchema,
    /** Per stream, in bytes of UTF-8; the tail is kept. Results must fit in a 64 KB queue message. */
    outputCapBytes: z.number().int().min(256).max(20_000).default(16_000),
    poll: z
      .object({
        /** How soon to poll again after a job arrived or finished. */
        busyMs: z.number().int().min(0).max(1000).default(250),
        /** Idle polling backs off (doubling) up to this. */
        idleMaxMs: z.number().int().min(100).max(300_000).default(30_000),
      })
      .strict()
      .prefault({}),
    /** How long a received job stays invisible to other workers; renewed at half of it while the script runs. */
    leaseSeconds: z.number().int().min(1).max(600).default(60),
    clockSkewSeconds: z.number().int().min(0).max(3600).default(60),
  })
  .strict();

export type WorkerConfig = z.infer<typeof workerConfigSchema>;
export type QueueIdentity = z.infer<typeof identitySchema>;

/**
 * Validates a parsed config file. Relative paths (scriptFolder, stateDirectory, privateKeyFile) are taken relative
 * to `baseDir`, the config file's folder. Errors name the JSON path of every problem.
 */
export function parseWorkerConfig(value: unknown, baseDir: string, source = 'worker config'): WorkerConfig {
  const parsed = workerConfigSchema.safeParse(value);
  if (!parsed.success) throw new ConfigError(source, formatIssues(parsed.error));
  const config = parsed.data;
  const from = (path: string) => (isAbsolute(path) ? path : resolve(baseDir, path));
  return {
    ...config,
    scriptFolder: from(config.scriptFolder),
    stateDirectory: from(config.stateDirectory),
    privateKeyFile: from(config.privateKeyFile),
    queue:
      'identity' in config.queue && config.queue.identity.kind === 'clientCertificate'
        ? {
            ...config.queue,
            identity: { ...config.queue.identity, certificatePath: from(config.queue.identity.certificatePath) },
          }
        : config.queue,
  };
}
