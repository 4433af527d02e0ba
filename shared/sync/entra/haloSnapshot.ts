import { z } from 'zod';
import { haloFlag, haloInt, haloOptionalText, haloText, optionalHaloInt } from '../common/haloFields';

/**
 * What the Entra ID sync knows of Halo for one plan: agents, users, sites, teams, roles, user roles and CABs as
 * read in bulk (see readHalo.ts), plus our own agent links. Fields a read did not carry stay undefined and are
 * never compared with (the planner then compares the Entra value with the one it had before).
 */
export interface HaloTeamMembership {
  readonly team_id: number;
  readonly team_name?: string;
  /** The three memberships Halo's Entra integration grants for the default team (entra-intune.md §B1.3). */
  readonly in_section?: boolean;
  readonly unassigned_access?: boolean;
  readonly otheragent_access?: boolean;
  readonly fortickets?: boolean;
}

export interface HaloAgentRecord {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly isdisabled: boolean;
  readonly isUnassigned: boolean;
  /** Default team name ('' = not set). */
  readonly team?: string;
  readonly teams?: readonly HaloTeamMembership[];
  /** Role ids (strings); undefined when the read carried none. */
  readonly roleIds?: readonly string[];
  readonly linemanager?: number;
  readonly licence_type?: number;
  /** Other text fields the list row carried (firstname, jobtitle, …). */
  readonly fields: Readonly<Record<string, string | undefined>>;
}

export interface HaloUserRecord {
  readonly id: number;
  readonly name: string;
  readonly emailaddress: string;
  readonly site_id?: number;
  readonly client_id?: number;
  /** undefined: not known (the /Users list does not carry it); '' : none. */
  readonly azureoid?: string;
  readonly inactive: boolean;
  readonly isGeneralUser: boolean;
  /** The keep-active custom field's value, when it was read. */
  readonly keepActiveValue?: string;
  /** User role ids; undefined when not read. */
  readonly roleIds?: readonly number[];
  /** Text fields the read carried (title, login, other1, …). */
  readonly fields: Readonly<Record<string, string | undefined>>;
  /** Custom field values by id, when read. */
  readonly customfields?: Readonly<Record<string, string>>;
}

export interface HaloSiteRecord {
  readonly id: number;
  readonly name: string;
  readonly client_id: number;
  readonly inactive: boolean;
  readonly emaildomain?: string;
  readonly clientsite_name?: string;
}

export interface HaloCabRecord {
  readonly id: number;
  readonly name: string;
  readonly members: readonly { agent_id?: number; user_id?: number; role_id?: number }[];
}

export interface HaloEntraSnapshot {
  readonly agents: readonly HaloAgentRecord[];
  readonly users: readonly HaloUserRecord[];
  readonly sites: readonly HaloSiteRecord[];
  readonly teams: readonly { id: number; name: string; inactive: boolean }[];
  readonly roles: readonly { id: string; name: string }[];
  readonly userRoles: readonly { id: number; name: string }[];
  readonly cabs: readonly HaloCabRecord[];
  /** Entra object id → agent id: agents this sync created or matched (agents have no azureoid). */
  readonly agentLinks: Readonly<Record<string, number>>;
  /** Open tickets of agents the plan deactivates (read only when reassignment is on). */
  readonly openTickets?: Readonly<Record<string, readonly number[]>>;
  /** Rows of Halo's answers that could not be read: skipped, with the reason. */
  readonly skippedRows: readonly string[];
  readonly usersFrom: 'list' | 'list+report';
}

// ---- row schemas (loose: Halo sends strings for numbers in reports, null for empty) ----

const membership = z
  .looseObject({
    team_id: haloInt,
    team_name: haloOptionalText,
    in_section: z.boolean().nullish(),
    unassigned_access: z.boolean().nullish(),
    otheragent_access: z.boolean().nullish(),
    fortickets: z.boolean().nullish(),
  })
  .transform(
    (m): HaloTeamMembership =>
      dropUndefined({
        team_id: m.team_id,
        team_name: m.team_name,
        in_section: m.in_section ?? undefined,
        unassigned_access: m.unassigned_access ?? undefined,
        otheragent_access: m.otheragent_access ?? undefined,
        fortickets: m.fortickets ?? undefined,
      }),
  );

const AGENT_TEXT_FIELDS = ['firstname', 'surname', 'jobtitle', 'department', 'sms', 'extensionnumber', 'initials'];

export const agentRowSchema = z
  .looseObject({
    id: haloInt,
    name: haloText,
    email: haloText,
    isdisabled: haloFlag,
    isunassigned: haloFlag,
    team: haloOptionalText,
    teams: z.array(membership).nullish(),
    roles: z.array(z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) })).nullish(),
    role_list: haloOptionalText,
    linemanager: optionalHaloInt,
    licence_type: z.number().int().nullish(),
  })
  .transform((row): HaloAgentRecord & { roleList?: string } =>
    dropUndefined({
      id: row.id,
      name: row.name,
      email: row.email,
      isdisabled: row.isdisabled,
      isUnassigned: row.isunassigned,
      team: row.team,
      teams: row.teams ?? undefined,
      roleIds: row.roles ? row.roles.map((r) => r.id) : undefined,
      linemanager: row.linemanager,
      licence_type: row.licence_type ?? undefined,
      fields: textFields(row, AGENT_TEXT_FIELDS),
      roleList: row.role_list,
    }),
  );

const USER_TEXT_FIELDS = [
  'firstname',
  'surname',
  'title',
  'login',
  'department',
  'phonenumber',
  'mobilenumber',
  'mobilenumber2',
  'homenumber',
  'fax',
  'email2',
  'email3',
  'other1',
  'other2',
  'other3',
  'other4',
  'other5',
  'notes',
  'linked_agent_id',
];

const customFieldRow = z.looseObject({
  id: haloInt,
  name: z.string().nullish(),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
});

export const userRowSchema = z
  .looseObject({
    id: haloInt,
    name: haloText,
    emailaddress: haloText,
    site_id: optionalHaloInt,
    client_id: optionalHaloInt,
    inactive: haloFlag,
    isgeneraluser: haloFlag,
    role_list: haloOptionalText,
    customfields: z.array(customFieldRow).nullish(),
  })
  .transform((row) => ({
    id: row.id,
    name: row.name,
    emailaddress: row.emailaddress,
    site_id: row.site_id,
    client_id: row.client_id,
    inactive: row.inactive,
    isGeneralUser: row.isgeneraluser || row.name.replace(/\s+/g, '').toLowerCase() === 'generaluser',
    roleList: row.role_list,
    fields: textFields(row, USER_TEXT_FIELDS),
    customfields: row.customfields
      ? Object.fromEntries(row.customfields.map((f) => [String(f.id), f.value == null ? '' : String(f.value)]))
      : undefined,
    customfieldNames: row.customfields
      ? Object.fromEntries(
          row.customfields.map((f) => [String(f.name ?? '').toLowerCase(), f.value == null ? '' : String(f.value)]),
        )
      : undefined,
  }));

/** The report's identity rows: the one place Halo shows a user's Entra object id in bulk. */
export const userIdentityRowSchema = z.looseObject({
  id: haloInt,
  azureoid: haloText,
});

export const siteRowSchema = z
  .looseObject({
    id: haloInt,
    name: haloText,
    client_id: haloInt,
    inactive: haloFlag,
    emaildomain: haloOptionalText,
    clientsite_name: haloOptionalText,
  })
  .transform(
    (row): HaloSiteRecord =>
      dropUndefined({
        id: row.id,
        name: row.name,
        client_id: row.client_id,
        inactive: row.inactive,
        emaildomain: row.emaildomain,
        clientsite_name: row.clientsite_name,
      }),
  );

export const teamRowSchema = z.looseObject({ id: haloInt, name: haloText, inactive: haloFlag });
export const roleRowSchema = z.looseObject({ id: z.union([z.string(), z.number()]).transform(String), name: haloText });
export const userRoleRowSchema = z.looseObject({ id: haloInt, name: haloText });
export const cabRowSchema = z.looseObject({
  id: haloInt,
  name: haloText,
  members: z
    .array(
      z.looseObject({
        agent_id: optionalHaloInt,
        user_id: optionalHaloInt,
        role_id: optionalHaloInt,
      }),
    )
    .nullish(),
});

function textFields(row: Record<string, unknown>, names: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of names) {
    if (!(name in row)) continue;
    const value = row[name];
    out[name] = value === null || value === undefined ? '' : String(value).trim();
  }
  return out;
}

export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Parses rows one by one: a row that does not read is skipped and named (one bad row never fails the read).
 */
export function parseRows<S extends z.ZodType>(
  schema: S,
  rows: readonly unknown[],
  where: string,
  skipped: string[],
): z.output<S>[] {
  const out: z.output<S>[] = [];
  rows.forEach((row, index) => {
    const parsed = schema.safeParse(row);
    if (parsed.success) out.push(parsed.data);
    else {
      const id = (row as { id?: unknown } | null)?.id;
      skipped.push(
        `${where}[${index}]${id === undefined ? '' : ` (id ${String(id)})`}: ${parsed.error.issues[0]?.message ?? 'unreadable'}`,
      );
    }
  });
  return out;
}
