import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, formatIssues } from '../zodIssues';
import { nonEmpty, workerGroup } from './common';
import { entraSyncConfigSchema } from './entra';
import { intuneSyncConfigSchema } from './intune';
import { mailboxesConfigSchema } from './mailboxes';
import { retentionConfigSchema } from './retention';
import { haloScriptQueueConfigSchema, scheduleConfigSchema, scriptConfigSchema, triggersConfigSchema } from './scripts';
import { syncEngineConfigSchema } from './syncEngine';
import { tenantSyncConfigSchema } from './tenants';

/** The integration config: one JSON document (tenants, mailboxes, scripts, triggers, schedules). */
export const integrationConfigSchema = z
  .object({
    $schema: z.string().optional(),
    tenantSync: tenantSyncConfigSchema.prefault({}),
    /** Entra ID users and agents → Halo (one connection per Entra tenant). */
    entraSync: entraSyncConfigSchema.prefault({}),
    /** Intune managed devices → Halo assets. */
    intuneSync: intuneSyncConfigSchema.prefault({}),
    /** Run leases shared by every sync (contacts, Entra ID, Intune). */
    syncEngine: syncEngineConfigSchema.prefault({}),
    mailboxes: mailboxesConfigSchema,
    scripts: z.array(scriptConfigSchema).default([]),
    triggers: triggersConfigSchema,
    schedules: z.array(scheduleConfigSchema).default([]),
    haloScriptQueue: haloScriptQueueConfigSchema,
    /** Registered hybrid workers: the cloud accepts job results only when signed by one of these keys. */
    workers: z
      .array(
        z
          .object({
            id: nonEmpty.regex(/^[A-Za-z0-9._-]{1,64}$/, {
              message: 'must be 1-64 letters, digits, dots, dashes or underscores',
            }),
            group: workerGroup.default('default'),
            publicKey: nonEmpty,
          })
          .strict(),
      )
      .default([]),
    /** How long the state tables keep rows (see retention.ts). */
    retention: retentionConfigSchema.prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const scriptNames = new Set(config.scripts.map((s) => s.name));
    const check = (name: string, path: (string | number)[]) => {
      if (!scriptNames.has(name)) ctx.addIssue({ code: 'custom', path, message: `names unknown script "${name}"` });
    };
    config.triggers.actions.forEach((t, i) => {
      check(t.script, ['triggers', 'actions', i, 'script']);
    });
    config.triggers.approvals.forEach((t, i) => {
      check(t.script, ['triggers', 'approvals', i, 'script']);
    });
    config.schedules.forEach((s, i) => {
      check(s.script, ['schedules', i, 'script']);
    });
    const seen = new Map<string, number>();
    config.mailboxes.forEach((m, i) => {
      const first = seen.get(m.id);
      if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: ['mailboxes', i, 'id'], message: `duplicates mailboxes[${first}].id` });
      seen.set(m.id, i);
    });
  });

export type IntegrationConfig = z.infer<typeof integrationConfigSchema>;

/** Validates an integration config document; errors name the JSON path of each problem. */
export function parseIntegrationConfig(document: unknown, source = 'Integration config'): IntegrationConfig {
  const parsed = integrationConfigSchema.safeParse(document);
  if (!parsed.success) throw new ConfigError(source, formatIssues(parsed.error, '$'));
  return parsed.data;
}

export function readIntegrationConfig(options: { inline?: string; path?: string }): IntegrationConfig {
  if (options.inline !== undefined) return parseIntegrationConfig(parseJson(options.inline, 'INTEGRATION_CONFIG'));
  if (options.path !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.path, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ConfigError(`INTEGRATION_CONFIG_PATH ${options.path}`, [`cannot be read (${reason})`]);
    }
    return parseIntegrationConfig(parseJson(text, options.path), options.path);
  }
  return parseIntegrationConfig({});
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(source, [`is not valid JSON: ${(error as Error).message}`]);
  }
}

export function integrationConfigJsonSchema(): unknown {
  return z.toJSONSchema(integrationConfigSchema, { io: 'input', unrepresentable: 'any' });
}
