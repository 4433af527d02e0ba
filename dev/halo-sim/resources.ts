import { ASSET_RESOURCES } from './assets';
import { type ActionOutcome, addAction } from './automation';
import { denormaliseUserRoles, directoryResources, handleRoles, validateSite, validateUserRoles } from './directory';
import { denormaliseUserSoftware, licenceResources, validateUserSoftware } from './licences';
import { runReportSql } from './reportSql';
import { notFound, SimError, validationError } from './simError';
import {
  applyPatch,
  denormaliseSite,
  denormaliseTicket,
  denormaliseUser,
  type HaloSimStore,
  type TableName,
} from './store';
import { actionView, assertNumericTypes, listRow } from './strictness';
import type { Rec } from './types';
import { haloTimestamp } from './webhooks';

/** Query parameters with lower-cased names (Halo is case-insensitive about them). */
export type Params = Map<string, string>;

export interface ApiContext {
  store: HaloSimStore;
  now: Date;
  /** The API agent the token belongs to. */
  agent: Rec;
  /** Called for each action added through the API (the server fires webhooks for status changes). */
  onAction(outcome: ActionOutcome): void;
}

const flag = (q: Params, name: string) => ['true', '1'].includes((q.get(name) ?? '').toLowerCase());
const num = (q: Params, name: string) => (q.has(name) ? Number(q.get(name)) : undefined);
const contains = (value: unknown, needle: string) =>
  String(value ?? '')
    .toLowerCase()
    .includes(needle.toLowerCase());

interface Resource {
  table: TableName;
  /** Envelope key of list answers; none = bare array (config lookups). */
  envelope?: string;
  filter?: (rows: Rec[], q: Params, store: HaloSimStore) => Rec[];
  view?: (row: Rec, q: Params) => Rec;
  /** A list row after it was cut down to the resource's `_List` schema (`row` is the whole record). */
  listView?: (listRow: Rec, row: Rec, q: Params) => Rec;
  /** Checks an item before it is created or updated (a SimError refuses the whole request). */
  validate?: (item: Record<string, unknown>, ctx: ApiContext) => void;
  /** How a POST answers the written record (default: whole). */
  writeView?: (row: Rec) => Rec;
  create?: (item: Record<string, unknown>, ctx: ApiContext) => Rec;
  afterWrite?: (row: Rec, ctx: ApiContext) => void;
  /** Refuses an update before anything changes (the record as it would be after the patch). */
  checkUpdate?: (merged: Rec, ctx: ApiContext) => void;
  readOnly?: boolean;
  updateOnly?: boolean;
  /** False for endpoints without documented paging: Halo ignores the page parameters and returns everything. */
  paging?: false;
}

function byParam(rows: Rec[], q: Params, names: string[]): Rec[] {
  let out = rows;
  for (const name of names) {
    const value = num(q, name);
    if (value !== undefined) out = out.filter((row) => Number(row[name]) === value);
  }
  return out;
}

function activeOnly(rows: Rec[], q: Params): Rec[] {
  return flag(q, 'includeinactive') ? rows : rows.filter((row) => row.inactive !== true);
}

function advancedSearch(rows: Rec[], q: Params): Rec[] {
  const raw = q.get('advanced_search');
  if (!raw) return rows;
  let filters: { filter_name?: string; filter_type?: number; filter_value?: unknown }[];
  try {
    filters = JSON.parse(raw);
  } catch {
    throw validationError('Invalid advanced search parameter');
  }
  if (!Array.isArray(filters)) throw validationError('Invalid advanced search parameter');
  let out = rows;
  for (const f of filters) {
    if (!['azureoid', 'emailaddress'].includes(String(f.filter_name).toLowerCase()) || f.filter_type !== 2) {
      throw validationError('Invalid advanced search parameter');
    }
    const key = String(f.filter_name).toLowerCase();
    out = out.filter((row) => String(row[key] ?? '').toLowerCase() === String(f.filter_value ?? '').toLowerCase());
  }
  return out;
}

function createWithId(table: TableName, ctx: ApiContext, item: Record<string, unknown>): Rec {
  const row: Rec = { id: ctx.store.nextId(table) };
  applyPatch(row, item);
  return row;
}

const RESOURCES: Record<string, Resource> = {
  tickets: {
    table: 'tickets',
    envelope: 'tickets',
    filter: (rows, q, store) => {
      let out = byParam(rows, q, ['client_id', 'site_id', 'user_id', 'agent_id', 'status_id', 'tickettype_id']);
      if (flag(q, 'open_only')) out = out.filter((t) => t.hasbeenclosed !== true);
      if (flag(q, 'closed_only')) out = out.filter((t) => t.hasbeenclosed === true);
      const search = q.get('search');
      if (search) out = out.filter((t) => contains(t.summary, search) || contains(t.details, search));
      void store;
      return out;
    },
    create: (item, ctx) => {
      if (typeof item.summary !== 'string' || item.summary.trim() === '')
        throw validationError('Please enter a Summary');
      const clientId = Number(item.client_id);
      if (!ctx.store.tables.clients.has(clientId)) throw validationError(`Invalid client_id ${item.client_id}`);
      if (item.user_id !== undefined && item.site_id === undefined) {
        throw validationError('A Site must be selected when a User is selected');
      }
      const ticket = createWithId('tickets', ctx, { status_id: 1, ...item });
      ticket.dateoccurred = haloTimestamp(ctx.now);
      if (ticket.user_id === undefined) {
        const general = ctx.store.generalUser(clientId);
        if (general) Object.assign(ticket, { user_id: general.id, site_id: ticket.site_id ?? general.site_id });
      }
      ctx.store.actions.push({
        id: 1,
        ticket_id: ticket.id,
        outcome: 'Logged',
        note: String(item.details ?? ''),
        who: ctx.agent.name,
        who_agentid: ctx.agent.id,
        datetime: ticket.dateoccurred,
      });
      return ticket;
    },
    afterWrite: (row, ctx) => denormaliseTicket(ctx.store, row),
  },
  users: {
    table: 'users',
    envelope: 'users',
    filter: (rows, q) => {
      let out = advancedSearch(activeOnly(byParam(rows, q, ['client_id', 'site_id']), q), q);
      if (flag(q, 'exclude_generaluser')) out = out.filter((u) => u.isgeneraluser !== true);
      const search = q.get('search');
      if (search) out = out.filter((u) => contains(u.name, search) || contains(u.emailaddress, search));
      return out;
    },
    create: (item, ctx) => {
      if (typeof item.name !== 'string' || item.name.trim() === '') throw validationError('Please enter a Name');
      if (!ctx.store.tables.sites.has(Number(item.site_id))) throw validationError('Please select a valid Site');
      return createWithId('users', ctx, item);
    },
    validate: (item, ctx) => {
      validateUserRoles(item, ctx.store);
      validateUserSoftware(item, ctx.store);
    },
    afterWrite: (row, ctx) => {
      denormaliseUser(ctx.store, row);
      denormaliseUserRoles(row, ctx.store);
      denormaliseUserSoftware(row, ctx.store);
    },
  },
  client: {
    table: 'clients',
    envelope: 'clients',
    filter: (rows, q) => {
      const search = q.get('search');
      const out = activeOnly(rows, q);
      return search ? out.filter((c) => contains(c.name, search)) : out;
    },
    view: (row, q) => {
      if (flag(q, 'includeazuretenants')) return { ...row, azure_tenants: row.azure_tenants ?? [] };
      const { azure_tenants: _omit, ...rest } = row;
      return rest as Rec;
    },
    create: (item, ctx) => {
      if (typeof item.name !== 'string' || item.name.trim() === '') throw validationError('Please enter a Name');
      return createWithId('clients', ctx, item);
    },
    afterWrite: (row, ctx) => {
      if (Array.isArray(row.azure_tenants)) {
        let next = 1 + Math.max(0, ...[...ctx.store.tables.clients.values()].flatMap(tenantLinkIds));
        row.azure_tenants = (row.azure_tenants as Rec[]).map((link) => ({
          ...link,
          id: link.id || next++,
          client_id: row.id,
          client_name: row.name,
        }));
      }
    },
  },
  site: {
    table: 'sites',
    envelope: 'sites',
    filter: (rows, q) => activeOnly(byParam(rows, q, ['client_id']), q),
    validate: (item, ctx) => validateSite(item, ctx.store),
    afterWrite: (row, ctx) => denormaliseSite(ctx.store, row),
  },
  // Agents, teams, user roles and CABs: directory.ts.
  ...directoryResources(),
  // Software licences and users' licence rows: licences.ts.
  ...licenceResources(),
  outcome: { table: 'outcomes', readOnly: true },
  tickettype: { table: 'ticketTypes', readOnly: true },
  powershellscript: { table: 'scripts' },
  powershellscriptprocessing: {
    table: 'scriptRuns',
    updateOnly: true,
    filter: (rows, q) => {
      let out = rows;
      if (flag(q, 'outstandingonly')) out = out.filter((r) => r.processed !== true);
      const scriptId = num(q, 'script_id');
      if (scriptId !== undefined) out = out.filter((r) => r.pssid === scriptId);
      const ticketId = num(q, 'ticket_id');
      if (ticketId !== undefined) out = out.filter((r) => r.faultid === ticketId);
      return out;
    },
    view: (row, q) => {
      if (flag(q, 'includeparameters')) return row;
      const { execution_parameters: _omit, ...rest } = row;
      return rest as Rec;
    },
  },
  attachment: {
    table: 'attachments',
    envelope: 'attachments',
    filter: (rows, q) => byParam(rows, q, ['ticket_id', 'action_id']),
    view: (row) => withoutData(row),
    writeView: (row) => withoutData(row),
    create: (item, ctx) => {
      if (!ctx.store.tables.tickets.has(Number(item.ticket_id))) throw notFound(`Ticket ${item.ticket_id}`);
      if (typeof item.filename !== 'string' || !item.filename) throw validationError('Please enter a File Name');
      const data = typeof item.data_base64 === 'string' ? item.data_base64 : '';
      const row = createWithId('attachments', ctx, item);
      row.filesize = Buffer.from(data, 'base64').length;
      row.datecreated = haloTimestamp(ctx.now);
      return row;
    },
  },
  ...ASSET_RESOURCES,
};

function withoutData(row: Rec): Rec {
  const { data_base64: _omit, ...rest } = row;
  return rest as Rec;
}

function tenantLinkIds(client: Rec): number[] {
  return Array.isArray(client.azure_tenants) ? (client.azure_tenants as Rec[]).map((l) => Number(l.id) || 0) : [];
}

/** Applies paging (`pageinate`, `page_size` capped at 100, `page_no`) or `count`. */
function page(rows: Rec[], q: Params): { rows: Rec[]; paged: { page_no: number; page_size: number } | undefined } {
  if (flag(q, 'pageinate')) {
    const size = Math.min(Math.max(1, num(q, 'page_size') ?? 50), 100);
    const pageNo = Math.max(1, num(q, 'page_no') ?? 1);
    return { rows: rows.slice((pageNo - 1) * size, pageNo * size), paged: { page_no: pageNo, page_size: size } };
  }
  const count = num(q, 'count');
  return { rows: count === undefined ? rows : rows.slice(0, count), paged: undefined };
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** Serves `/api/<Resource>[/<id>]` for the simulator's resources (Actions, Report and Webhook are special). */
export function handleResource(
  ctx: ApiContext,
  method: string,
  segments: string[],
  q: Params,
  body: unknown,
): ApiAnswer {
  const name = (segments[0] ?? '').toLowerCase();
  if (name === 'actions') return handleActions(ctx, method, segments, q, body);
  if (name === 'report') return handleReport(ctx, method, body);
  if (name === 'roles') return handleRoles(ctx.store, method, segments);
  const resource = RESOURCES[name];
  if (!resource)
    throw new SimError(404, { Message: `No HTTP resource was found that matches /api/${segments.join('/')}` });
  const table = ctx.store.tables[resource.table];
  const view = (row: Rec) => (resource.view ? resource.view(row, q) : row);

  if (method === 'GET' && segments.length === 2) {
    const row = table.get(Number(segments[1]));
    if (!row) throw notFound(`${segments[0]} ${segments[1]}`);
    return { status: 200, body: view(row) };
  }
  if (method === 'GET' && segments.length === 1) {
    const all = [...table.values()];
    const filtered = resource.filter ? resource.filter(all, q, ctx.store) : all;
    const { rows, paged } = resource.paging === false ? { rows: filtered, paged: undefined } : page(filtered, q);
    const viewed = rows.map((row) => {
      const cut = listRow(name, view(row));
      return resource.listView ? resource.listView(cut, row, q) : cut;
    });
    if (!resource.envelope) return { status: 200, body: viewed };
    return { status: 200, body: { ...paged, record_count: filtered.length, [resource.envelope]: viewed } };
  }
  if (method === 'POST' && segments.length === 1) {
    if (resource.readOnly)
      throw new SimError(405, { Message: 'The requested resource does not support http method POST' });
    if (Array.isArray(body)) assertNumericTypes(name, body);
    // The whole array is checked before anything is saved.
    if (Array.isArray(body) && resource.validate) {
      for (const item of body) if (item !== null && typeof item === 'object') resource.validate(item, ctx);
    }
    const written = writeItems(body, (item) => {
      const id = Number(item.id ?? 0);
      let row: Rec;
      if (id > 0) {
        const existing = table.get(id);
        if (!existing) throw notFound(`${segments[0]} ${id}`);
        resource.checkUpdate?.({ ...existing, ...item, id }, ctx);
        applyPatch(existing, item);
        row = existing;
      } else {
        if (resource.updateOnly) throw validationError('Records can only be updated here');
        row = resource.create ? resource.create(item, ctx) : createWithId(resource.table, ctx, item);
        table.set(row.id, row);
      }
      resource.afterWrite?.(row, ctx);
      return resource.writeView ? resource.writeView(row) : row;
    });
    return { status: 200, body: written };
  }
  throw new SimError(405, { Message: `The requested resource does not support http method ${method}` });
}

/** Halo takes arrays on POST; one item answers the object, several an array. */
function writeItems(body: unknown, write: (item: Record<string, unknown>) => Rec): unknown {
  if (!Array.isArray(body)) throw validationError('The request body must be a JSON array');
  const out = body.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      throw validationError(`Item ${i} is not an object`);
    return write(item as Record<string, unknown>);
  });
  return out.length === 1 ? out[0] : out;
}

/**
 * `/Actions`: per-ticket ids, no paging (every page is the whole list), nothing without `ticket_id`, and the cut-down
 * rows of `actionView`.
 */
function handleActions(ctx: ApiContext, method: string, segments: string[], q: Params, body: unknown): ApiAnswer {
  const ticketId = num(q, 'ticket_id');
  const has = (name: string) => flag(q, name);
  if (method === 'GET') {
    const rows = ticketId === undefined ? [] : ctx.store.actions.filter((a) => a.ticket_id === ticketId);
    if (segments.length === 2) {
      if (ticketId === undefined) throw validationError('ticket_id is required');
      const row = rows.find((a) => a.id === Number(segments[1]));
      if (!row) throw notFound(`Action ${segments[1]}`);
      return { status: 200, body: actionView(row, { single: true, has }) };
    }
    const viewed = rows.map((row) => actionView(row, { single: false, has }));
    return { status: 200, body: { record_count: rows.length, actions: viewed } };
  }
  if (method === 'POST') {
    if (Array.isArray(body)) assertNumericTypes('actions', body);
    const written = writeItems(body, (item) => {
      const id = Number(item.id ?? 0);
      if (id > 0) {
        const existing = ctx.store.actions.find((a) => a.ticket_id === Number(item.ticket_id) && a.id === id);
        if (!existing) throw notFound(`Action ${id} of ticket ${item.ticket_id}`);
        applyPatch(existing, item);
        return existing;
      }
      const outcome = addAction(ctx.store, item, ctx.agent, ctx.now);
      ctx.onAction(outcome);
      return outcome.action;
    });
    return { status: 200, body: written };
  }
  throw new SimError(405, { Message: `The requested resource does not support http method ${method}` });
}

function handleReport(ctx: ApiContext, method: string, body: unknown): ApiAnswer {
  if (method !== 'POST') throw new SimError(405, { Message: 'Saved reports are not simulated; POST ad-hoc SQL' });
  const written = writeItems(body, (item) => {
    if (item._loadreportonly !== true) throw validationError('Only ad-hoc reports (_loadreportonly) are simulated');
    const result = runReportSql(ctx.store, String(item.sql ?? ''));
    const report =
      'rows' in result
        ? { loaded: true, load_error: '', rows: result.rows }
        : { loaded: false, load_error: result.loadError, rows: [] };
    return { id: 0, name: String(item.name ?? ''), sql: item.sql, report };
  });
  return { status: 200, body: written };
}
