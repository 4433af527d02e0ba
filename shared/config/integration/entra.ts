import { z } from 'zod';
import { haloId, nonEmpty, tenantId } from './common';
import { isTrackedProperty, MANAGER, parseFieldExpression } from './entraFields';

/**
 * Entra ID users and agents → Halo (issue 11): one connection per Entra tenant, each with its own app registration
 * (or the bridge's shared multitenant app), its field, site, group and licence mappings. Mirrors Halo's own
 * integration (`AzureADConnection` / `AzureADMapping`, entra-intune.md §B9) where it has an equivalent.
 */

/** Halo user fields a mapping may write (schema `Users`). */
export const HALO_USER_FIELDS = [
  'name',
  'firstname',
  'surname',
  'emailaddress',
  'email2',
  'email3',
  'title',
  'login',
  'department',
  'phonenumber',
  'mobilenumber',
  'mobilenumber2',
  'homenumber',
  'fax',
  'other1',
  'other2',
  'other3',
  'other4',
  'other5',
  'notes',
  'azure_last_login_date',
] as const;

/** Halo agent fields a mapping may write (schema `Uname`); `team` and `linemanager` are special (see below). */
export const HALO_AGENT_FIELDS = [
  'name',
  'firstname',
  'surname',
  'email',
  'jobtitle',
  'department',
  'sms',
  'extensionnumber',
  'initials',
  'team',
  'linemanager',
] as const;

const entraField = nonEmpty.superRefine((value, ctx) => {
  const parsed = parseFieldExpression(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
});

const customField = z.object({ customFieldId: haloId }).strict();

/** Halo's `newrecords` / `dontupdate` / `populateemptyvalue` options of a mapping, in words. */
const mappingOptions = {
  /** Only written when the sync creates the record (Halo's "new records only"). */
  onCreateOnly: z.boolean().default(false),
  /** An empty Entra value clears the Halo field; by default an empty value leaves it as it is. */
  clearWhenEmpty: z.boolean().default(false),
};

const userFieldMapping = z
  .object({ entra: entraField, halo: z.union([z.enum(HALO_USER_FIELDS), customField]), ...mappingOptions })
  .strict();
const agentFieldMapping = z
  .object({ entra: entraField, halo: z.union([z.enum(HALO_AGENT_FIELDS), customField]), ...mappingOptions })
  .strict()
  .superRefine((mapping, ctx) => {
    if (mapping.halo === 'linemanager' && mapping.entra !== MANAGER) {
      ctx.addIssue({
        code: 'custom',
        path: ['entra'],
        message:
          'the Halo field "linemanager" can only be mapped from "manager" (the manager must be an agent this sync imports)',
      });
    }
    if (mapping.entra === MANAGER && mapping.halo !== 'linemanager') {
      ctx.addIssue({
        code: 'custom',
        path: ['halo'],
        message:
          '"manager" maps to the agent\'s "linemanager"; map a manager\'s property (e.g. "manager.mail") to a text field',
      });
    }
  });

const DEFAULT_USER_FIELDS = [
  { entra: 'displayName', halo: 'name' },
  { entra: 'givenName', halo: 'firstname' },
  { entra: 'surname', halo: 'surname' },
  { entra: 'mail|userPrincipalName', halo: 'emailaddress' },
  { entra: 'jobTitle', halo: 'title' },
  { entra: 'businessPhones', halo: 'phonenumber' },
  { entra: 'mobilePhone', halo: 'mobilenumber' },
];
const DEFAULT_AGENT_FIELDS = [
  { entra: 'displayName', halo: 'name' },
  { entra: 'givenName', halo: 'firstname' },
  { entra: 'surname', halo: 'surname' },
  { entra: 'mail|userPrincipalName', halo: 'email' },
  { entra: 'jobTitle', halo: 'jobtitle' },
];

/** Which Halo field a matching Entra field is compared with (case-insensitive, trimmed). */
const userMatchField = z.enum([
  'emailaddress',
  'email2',
  'email3',
  'login',
  'name',
  'other1',
  'other2',
  'other3',
  'other4',
  'other5',
]);
const agentMatchField = z.enum(['email', 'name', 'ad']);

/** Site- and group-mapping filters on user fields, all of which must hold. */
export const FILTER_OPERATORS = [
  'equals',
  'notEquals',
  'contains',
  'startsWith',
  'endsWith',
  'isEmpty',
  'isNotEmpty',
] as const;
const fieldFilter = z
  .object({ field: entraField, operator: z.enum(FILTER_OPERATORS).default('equals'), value: z.string().default('') })
  .strict();

const mappingScope = {
  /** The exact display name of an Entra group whose (direct) members this mapping covers. */
  group: nonEmpty.optional(),
  filters: z.array(fieldFilter).default([]),
  /** Guests (userType Guest): all, only those with a licence, or none. */
  externalUsers: z.enum(['all', 'licensedOnly', 'none']).default('none'),
  /** The user role users placed by this mapping get (Halo `UserRoles` id). */
  userRoleId: haloId.optional(),
};

/**
 * Site mappings, tried in order (`sequence`, then their order in the list); the first that places a user decides
 * its site. (a) an existing site, or `"agent"`: the user becomes an agent (and is placed as a user by the other
 * mappings); (b) a site per value of an Entra field under a client, created when missing; (c) the existing site
 * whose field equals a user field, else a default site or no placement.
 */
const existingSiteMapping = z
  .object({
    type: z.literal('existingSite'),
    sequence: z.number().int().optional(),
    /** A Halo site id, or "agent" (Halo's *agent* site): import the covered users as agents. */
    siteId: z.union([haloId, z.literal('agent')]),
    /** Agents only: `named` or `concurrent` licence; `noChange` makes new agents concurrent and keeps others. */
    licenceType: z.enum(['named', 'concurrent', 'noChange']).default('noChange'),
    ...mappingScope,
  })
  .strict();
const organisationMapping = z
  .object({
    type: z.literal('organisation'),
    sequence: z.number().int().optional(),
    clientId: haloId,
    /** Users are grouped by this field's value: the site of that name under the client (created when missing). */
    field: entraField,
    ...mappingScope,
  })
  .strict();
const matchFieldMapping = z
  .object({
    type: z.literal('matchField'),
    sequence: z.number().int().optional(),
    /** The Halo site field compared (case-insensitive). */
    siteField: z.enum(['name', 'emaildomain', 'clientsite_name']),
    /** The user field it is compared with (`@` and what precedes it are dropped for emaildomain). */
    userField: entraField,
    /** No site matches: a default site, or `skip` (this mapping does not place the user). */
    noMatch: z.union([z.object({ siteId: haloId }).strict(), z.literal('skip')]).default('skip'),
    ...mappingScope,
  })
  .strict();
export const siteMappingSchema = z.discriminatedUnion('type', [
  existingSiteMapping,
  organisationMapping,
  matchFieldMapping,
]);

const groupName = nonEmpty;
const groupMappingsSchema = z
  .object({
    /** Halo agent roles: ids are strings (`NHD_Roles.id`, often a GUID). */
    agentRoles: z.array(z.object({ group: groupName, roleId: nonEmpty }).strict()).default([]),
    userRoles: z.array(z.object({ group: groupName, roleId: haloId }).strict()).default([]),
    agentTeams: z.array(z.object({ group: groupName, teamId: haloId }).strict()).default([]),
    /** Members become members of the CAB (agents as agents, others as users), with the CAB role when given. */
    cabs: z.array(z.object({ group: groupName, cabId: haloId, cabRoleId: haloId.optional() }).strict()).default([]),
  })
  .strict();

const appSchema = z.discriminatedUnion('kind', [
  /** The bridge's own multitenant app (GRAPH_CLIENT_ID), consented in this tenant. */
  z.object({ kind: z.literal('shared') }).strict(),
  /** An app registration in this tenant with a client secret held in Key Vault under `secretName`. */
  z.object({ kind: z.literal('clientSecret'), clientId: tenantId, secretName: nonEmpty }).strict(),
  /** An app registration in this tenant with a certificate (PEM with its private key) held in Key Vault. */
  z.object({ kind: z.literal('certificate'), clientId: tenantId, certificateSecretName: nonEmpty }).strict(),
]);

export const entraConnectionSchema = z
  .object({
    /** A name for people (status, reports, the inbound log). */
    name: nonEmpty,
    tenantId,
    enabled: z.boolean().default(true),
    app: appSchema.default({ kind: 'shared' }),
    /** What this connection syncs: users, agents, and its subscriptions as Halo software licences. */
    syncs: z
      .object({
        users: z.boolean().default(true),
        agents: z.boolean().default(true),
        licences: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /**
     * `allChanges`: the delta query selects every user property the sync knows (any change brings the user back);
     * `mappedFields`: only those the mappings, filters and matching use (Halo's "listen to mapped fields only").
     */
    syncMethod: z.enum(['allChanges', 'mappedFields']).default('allChanges'),
    fields: z
      .object({
        users: z.array(userFieldMapping).default(DEFAULT_USER_FIELDS as never),
        agents: z.array(agentFieldMapping).default(DEFAULT_AGENT_FIELDS as never),
      })
      .strict()
      .prefault({}),
    /**
     * First import without duplicates: a record is matched by its Entra object id first, then by these fields in
     * order; a field that matches two Halo records is a tie (reported, never a match).
     */
    matching: z
      .object({
        users: z.array(z.object({ entra: entraField, halo: userMatchField }).strict()).default([
          { entra: 'mail', halo: 'emailaddress' },
          { entra: 'userPrincipalName', halo: 'emailaddress' },
        ]),
        agents: z.array(z.object({ entra: entraField, halo: agentMatchField }).strict()).default([
          { entra: 'mail', halo: 'email' },
          { entra: 'userPrincipalName', halo: 'email' },
        ]),
      })
      .strict()
      .prefault({}),
    siteMappings: z.array(siteMappingSchema).default([]),
    groups: groupMappingsSchema.prefault({}),
    roles: z
      .object({
        /** An agent's roles become exactly those its groups map to; an agent left with none is made inactive. */
        fullRoleManagement: z.boolean().default(false),
        /** The user role of users who have no manager in Entra. */
        noManagerUserRoleId: haloId.optional(),
      })
      .strict()
      .prefault({}),
    /** Agents' licences follow their roles (Halo's licence management). */
    licences: z
      .object({
        manage: z.boolean().default(false),
        /** Agents with one of these roles are made inactive. */
        inactiveRoleIds: z.array(nonEmpty).default([]),
        /** Agents with one of these roles get a named licence; the others a concurrent one. */
        namedRoleIds: z.array(nonEmpty).default([]),
      })
      .strict()
      .prefault({}),
    /**
     * Entra subscriptions → Halo software licences of one client (`syncs.licences`), users linked to the licences
     * they hold; optionally managed from Halo: a licence added to or removed from a Halo user is assigned or
     * removed in Entra (assignLicense; needs `LicenseAssignment.ReadWrite.All`).
     */
    softwareLicences: z
      .object({
        /** The Halo client the licences belong to (Halo's integration requires one too). */
        clientId: haloId.optional(),
        /** Names by `skuPartNumber`, over Microsoft's friendly names shipped with the bridge. */
        names: z.record(nonEmpty, nonEmpty).default({}),
        linkUsers: z.boolean().default(true),
        manageFromHalo: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    deactivation: z
      .object({
        /** Users not found by a full read, or removed in a delta round, are made inactive (opt-in). */
        users: z.boolean().default(false),
        /** The same for agents. */
        agents: z.boolean().default(false),
        /** A user whose custom field has this value is never made inactive. */
        keepActiveField: z
          .object({ name: nonEmpty, value: z.union([nonEmpty, z.number().int()]).transform(String) })
          .strict()
          .optional(),
        /** A deactivated agent's open tickets are assigned to Halo's Unassigned agent. */
        reassignOpenTickets: z.boolean().default(false),
        /** An agent no longer covered by the agent mappings is taken out of the teams the groups map to. */
        removeFromMappedTeams: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((connection, ctx) => {
    const agentMappings = connection.siteMappings.filter((m) => m.type === 'existingSite' && m.siteId === 'agent');
    if (connection.syncs.agents && agentMappings.length === 0 && connection.siteMappings.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['siteMappings'],
        message: 'syncs.agents is on but no site mapping has siteId "agent": no user would become an agent',
      });
    }
    const licences = connection.softwareLicences;
    if (connection.syncs.licences && licences.clientId === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['softwareLicences', 'clientId'],
        message: 'syncs.licences is on: name the Halo client the licences belong to',
      });
    }
    if (licences.manageFromHalo && !connection.syncs.licences) {
      ctx.addIssue({
        code: 'custom',
        path: ['softwareLicences', 'manageFromHalo'],
        message: 'licences can only be managed from Halo when they are imported (syncs.licences)',
      });
    }
    if (licences.manageFromHalo && !licences.linkUsers) {
      ctx.addIssue({
        code: 'custom',
        path: ['softwareLicences', 'linkUsers'],
        message: 'managing licences from Halo needs users linked to their licences',
      });
    }
    connection.siteMappings.forEach((mapping, i) => {
      if (mapping.type === 'existingSite' && mapping.siteId !== 'agent' && mapping.licenceType !== 'noChange') {
        ctx.addIssue({
          code: 'custom',
          path: ['siteMappings', i, 'licenceType'],
          message: 'only applies to the "agent" site (agents get licences, users do not)',
        });
      }
    });
    duplicates(
      connection.fields.users.map((m) => haloKey(m.halo)),
      ['fields', 'users'],
      'halo',
      ctx,
    );
    duplicates(
      connection.fields.agents.map((m) => haloKey(m.halo)),
      ['fields', 'agents'],
      'halo',
      ctx,
    );
  });

function haloKey(halo: string | { customFieldId: number }): string {
  return typeof halo === 'string' ? halo : `customfield ${halo.customFieldId}`;
}

/** Each Halo field is written by one mapping only (as in Halo: "each field can only be used once"). */
function duplicates(keys: string[], path: (string | number)[], member: string, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  keys.forEach((key, i) => {
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, i, member],
        message: `${key} is already mapped by ${path.join('.')}[${first}]`,
      });
    }
    seen.set(key, i);
  });
}

/** Minutes between runs that give a regular NCRONTAB schedule: divisors of 60, or whole hours dividing a day. */
const EVERY_MINUTES = [5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440];

export const entraSyncConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** A run every this many minutes (the engine's timer checks every 5). */
    everyMinutes: z
      .number()
      .int()
      .refine((n) => EVERY_MINUTES.includes(n), { message: `must be one of ${EVERY_MINUTES.join(', ')}` })
      .default(15),
    /** plan: report what would change; apply: change Halo. */
    mode: z.enum(['plan', 'apply']).default('plan'),
    /**
     * Every this many hours a run reads the whole directory instead of a delta round: users not found are then
     * known, drift in Halo is corrected, and properties delta cannot track (signInActivity) are refreshed.
     */
    fullReadEveryHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 6)
      .default(24),
    connections: z.array(entraConnectionSchema).default([]),
    halo: z
      .object({
        /** Read users' Entra object ids and identities with one SQL report (else the paged /Users list). */
        useReports: z.boolean().default(true),
        /** `Uname.licence_type` values (Halo documents no enum: assumption, see the README). */
        licenceTypes: z
          .object({ named: z.number().int().default(1), concurrent: z.number().int().default(0) })
          .strict()
          .prefault({}),
        /** The name of Halo's system agent that unassigned tickets belong to (`GET /Agent?includeunassigned=true`). */
        unassignedAgentName: nonEmpty.default('Unassigned'),
        writeBatchSize: z.number().int().min(1).max(100).default(100),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.connections.forEach((connection, i) => {
      const key = connection.tenantId.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['connections', i, 'tenantId'],
          message: `is the tenant of connections[${first}] too: one connection per Entra tenant (its syncs are keyed by tenant)`,
        });
      }
      seen.set(key, i);
    });
  });

export type EntraSyncConfig = z.infer<typeof entraSyncConfigSchema>;
export type EntraConnection = z.infer<typeof entraConnectionSchema>;
export type SiteMapping = z.infer<typeof siteMappingSchema>;
export type UserFieldMapping = z.infer<typeof userFieldMapping>;
export type AgentFieldMapping = z.infer<typeof agentFieldMapping>;
export type FieldFilter = z.infer<typeof fieldFilter>;

/** The six-field NCRONTAB of a run every `minutes` minutes (UTC). */
export function scheduleEvery(minutes: number): string {
  if (minutes < 60) return `0 */${minutes} * * * *`;
  const hours = minutes / 60;
  return hours === 24 ? '0 0 0 * * *' : `0 0 */${hours} * * *`;
}

/** A field that `users/delta` cannot track, where it is used: Halo highlights these ("incompatible fields"). */
export interface UntrackedFieldUse {
  readonly path: string;
  readonly property: string;
}

/**
 * Every use of a property delta cannot track (JSON paths into the config): these are read by a plain GET instead,
 * for every user on a full read and for the changed users on a delta round, so a change to one of them alone is
 * only seen by the next full read (every `fullReadEveryHours`).
 */
export function untrackedFieldUses(config: EntraSyncConfig): UntrackedFieldUse[] {
  const uses: UntrackedFieldUse[] = [];
  config.connections.forEach((connection, c) => {
    for (const [path, expression] of fieldExpressionsOf(connection)) {
      const parsed = parseFieldExpression(expression);
      if (!parsed.ok) continue;
      for (const ref of parsed.refs) {
        const property = ref.viaManager ? ref.member : ref.property;
        if (property && !isTrackedProperty(property)) {
          uses.push({ path: `$.entraSync.connections[${c}].${path}`, property });
        }
      }
    }
  });
  return uses;
}

/** Every field expression of a connection with its JSON path (relative to the connection). */
export function fieldExpressionsOf(connection: EntraConnection): [string, string][] {
  const out: [string, string][] = [];
  const add = (path: string, expression: string) => {
    out.push([path, expression]);
  };
  for (const [i, m] of connection.fields.users.entries()) add(`fields.users[${i}].entra`, m.entra);
  for (const [i, m] of connection.fields.agents.entries()) add(`fields.agents[${i}].entra`, m.entra);
  for (const [i, m] of connection.matching.users.entries()) add(`matching.users[${i}].entra`, m.entra);
  for (const [i, m] of connection.matching.agents.entries()) add(`matching.agents[${i}].entra`, m.entra);
  for (const [i, m] of connection.siteMappings.entries()) {
    for (const [j, f] of m.filters.entries()) add(`siteMappings[${i}].filters[${j}].field`, f.field);
    if (m.type === 'organisation') add(`siteMappings[${i}].field`, m.field);
    if (m.type === 'matchField') add(`siteMappings[${i}].userField`, m.userField);
  }
  return out;
}
