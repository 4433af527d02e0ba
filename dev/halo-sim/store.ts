import type { HaloRole, HaloSeed, Rec, SimWebhook, WebhookDelivery } from './types';

export type TableName =
  | 'clients'
  | 'sites'
  | 'users'
  | 'agents'
  | 'teams'
  | 'statuses'
  | 'outcomes'
  | 'ticketTypes'
  | 'tickets'
  | 'assets'
  | 'assetTypes'
  | 'assetGroups'
  | 'assetFields'
  | 'assetStatuses'
  | 'softwareLicences'
  | 'scripts'
  | 'scriptRuns'
  | 'attachments'
  | 'approvalProcesses'
  | 'userRoles'
  | 'cabs';

/** The simulator's in-memory Halo. Tests read and change it directly. */
export interface HaloSimStore {
  tables: Record<TableName, Map<number, Rec>>;
  /** Agent roles (`NHD_Roles`): string ids, so not a table keyed by number. */
  roles: HaloRole[];
  /** Actions are numbered per ticket (Halo's key is ticket id + action number). */
  actions: Rec[];
  webhooks: Map<string, SimWebhook>;
  deliveries: WebhookDelivery[];
  nextId(table: TableName): number;
  /** The General User of a client (created with the client when missing). */
  generalUser(clientId: number): Rec | undefined;
}

const clone = <T>(value: T): T => structuredClone(value);

export function createStore(seed: HaloSeed): HaloSimStore {
  const table = (rows: Rec[] | undefined) => new Map((rows ?? []).map((row) => [row.id, clone(row)] as const));
  const tables: Record<TableName, Map<number, Rec>> = {
    clients: table(seed.clients),
    sites: table(seed.sites),
    users: table(seed.users),
    agents: table(seed.agents),
    teams: table(seed.teams),
    statuses: table(seed.statuses),
    outcomes: table(seed.outcomes),
    ticketTypes: table(seed.ticketTypes),
    tickets: table(seed.tickets),
    assets: table(seed.assets),
    assetTypes: table(seed.assetTypes),
    assetGroups: table(seed.assetGroups),
    assetFields: table(seed.assetFields),
    assetStatuses: table(seed.assetStatuses),
    softwareLicences: table(seed.softwareLicences),
    scripts: table(seed.scripts),
    scriptRuns: table(seed.scriptRuns),
    attachments: new Map(),
    approvalProcesses: table(seed.approvalProcesses),
    userRoles: table(seed.userRoles),
    cabs: table(seed.cabs),
  };
  const counters = new Map<TableName, number>();
  const store: HaloSimStore = {
    tables,
    roles: clone(seed.roles ?? []),
    actions: clone(seed.actions ?? []),
    webhooks: new Map(),
    deliveries: [],
    nextId(name) {
      const next = Math.max(counters.get(name) ?? 0, ...tables[name].keys(), 0) + 1;
      counters.set(name, next);
      return next;
    },
    generalUser(clientId) {
      for (const user of tables.users.values()) {
        if (user.client_id === clientId && user.isgeneraluser === true) return user;
      }
      return undefined;
    },
  };
  for (const site of tables.sites.values()) denormaliseSite(store, site);
  for (const user of tables.users.values()) denormaliseUser(store, user);
  for (const ticket of tables.tickets.values()) denormaliseTicket(store, ticket);
  return store;
}

/** Names Halo returns next to ids (client_name, site_name, …), refreshed after every write. */
export function denormaliseSite(store: HaloSimStore, site: Rec): void {
  const client = store.tables.clients.get(Number(site.client_id));
  if (client) site.client_name = client.name;
}

export function denormaliseUser(store: HaloSimStore, user: Rec): void {
  const site = store.tables.sites.get(Number(user.site_id));
  if (site) {
    user.site_name = site.name;
    user.client_id = site.client_id;
    const client = store.tables.clients.get(Number(site.client_id));
    if (client) user.client_name = client.name;
  }
  user.inactive ??= false;
}

export function denormaliseTicket(store: HaloSimStore, ticket: Rec): void {
  const client = store.tables.clients.get(Number(ticket.client_id));
  if (client) ticket.client_name = client.name;
  const site = store.tables.sites.get(Number(ticket.site_id));
  if (site) ticket.site_name = site.name;
  const user = store.tables.users.get(Number(ticket.user_id));
  if (user) {
    ticket.user_name = user.name;
    ticket.user_email = user.emailaddress ?? '';
  }
  const status = store.tables.statuses.get(Number(ticket.status_id));
  if (status) ticket.hasbeenclosed = status.type === 2 || /closed/i.test(String(status.name));
}

/**
 * Halo's partial update: only the fields sent change; `customfields` are merged by id (other arrays, like an
 * asset's `fields`, are replaced whole, as Halo does).
 */
export function applyPatch(target: Rec, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'id' || key.startsWith('_')) continue;
    if (key === 'customfields' && Array.isArray(value)) {
      const existing = Array.isArray(target.customfields) ? (target.customfields as Rec[]) : [];
      for (const field of value as Rec[]) {
        const found = existing.find((f) => f.id === field.id);
        if (found) Object.assign(found, field);
        else existing.push({ ...field });
      }
      target.customfields = existing;
    } else {
      target[key] = clone(value);
    }
  }
}
