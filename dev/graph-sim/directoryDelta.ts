import type { SimContext } from './context';
import { type Directory, directoryOf, type GroupChange, groupMembers, type UserChange } from './directory';
import {
  badRequest,
  graphError,
  json,
  preferences,
  type Route,
  route,
  type SimRequest,
  type SimResponse,
} from './http';
import { decodeCursor, encodeCursor } from './odata';
import { linkTo } from './paging';
import type { Json, SimTenant } from './store';

/**
 * `users/delta` and `groups/delta` as Graph serves them (entra-intune.md §A1–A2): rounds of pages linked by
 * `$skiptoken` ending in a `$deltatoken`, query options given once and carried in the tokens; `$select` decides
 * what is tracked (a change to an unselected property does not bring a user back); `manager@delta` and
 * `members@delta` carry ids only (a member removal with `@removed`); a large group's members are split over
 * several copies of the group object; `@removed` `changed` for a soft delete, `deleted` for a hard one;
 * `$deltatoken=latest` answers a deltaLink only; properties delta cannot track are refused in `$select` (400); an
 * expired token is refused the way ctx.deltaExpiry says (400 SyncStateNotFound, or 410 with a Location).
 */

/** What `users/delta` returns without `$select` (the v1.0 default user properties). */
const DEFAULT_USER_PROPS = [
  'displayName',
  'givenName',
  'surname',
  'userPrincipalName',
  'mail',
  'jobTitle',
  'mobilePhone',
  'businessPhones',
  'officeLocation',
  'preferredLanguage',
];
/** Refused in a delta `$select` (microsoft-graph-explorer-v4#3189, microsoft-graph-docs#14141, MIM#198). */
const UNSUPPORTED_IN_DELTA = [
  'signInActivity',
  'birthday',
  'aboutMe',
  'skills',
  'interests',
  'pastProjects',
  'responsibilities',
  'schools',
  'mySite',
  'preferredName',
  'hireDate',
  'mailboxSettings',
  'deviceEnrollmentLimit',
  'licenseAssignmentStates',
];
const DEFAULT_GROUP_PROPS = ['displayName', 'description', 'mail', 'mailEnabled', 'securityEnabled', 'groupTypes'];
/** Members of one group per copy of the group object in a page: larger groups are split. */
export const MEMBERS_PER_GROUP_ENTRY = 50;
const USER_PAGE = 200;
const GROUP_PAGE = 50;

type Resource = 'users' | 'groups';

interface RoundState {
  resource: Resource;
  mode: 'initial' | 'changes';
  since: number;
  until: number;
  epoch: number;
  select: string[] | null;
  /** Initial rounds: position in the id-ordered list (stable if objects come and go mid-round). */
  after?: string;
  /** Changes rounds: offset into the round's change list. */
  offset?: number;
}

const userRef = (id: string): Json => ({ '@odata.type': '#microsoft.graph.user', id });
const removedRef = (id: string): Json => ({ ...userRef(id), '@removed': { reason: 'deleted' } });

export function directoryDeltaRoutes(ctx: SimContext): Route[] {
  return [
    route('GET', '/users/delta', 'users.delta', (request) => serve(ctx, request, 'users')),
    route('GET', '/groups/delta', 'groups.delta', (request) => serve(ctx, request, 'groups')),
  ];
}

function serve(ctx: SimContext, request: SimRequest, resource: Resource): SimResponse {
  const tenant = ctx.tenantOf(request.tenantId);
  const directory = directoryOf(tenant);
  const list = `${tenant.id}/${resource}/delta`;
  const skiptoken = request.query.get('$skiptoken');
  const deltatoken = request.query.get('$deltatoken');
  const now = ctx.store.currentSeq();
  let state: RoundState;
  if (deltatoken === 'latest') {
    const select = selectOf(request, resource);
    if ('problem' in select) return select.problem;
    const latest: RoundState = {
      resource,
      mode: 'changes',
      since: now,
      until: now,
      epoch: ctx.store.deltaEpoch,
      select: select.fields,
    };
    return json(200, { value: [], '@odata.deltaLink': tokenLink(ctx, request, list, latest, '$deltatoken') });
  }
  const token = skiptoken ?? deltatoken;
  if (token) {
    const decoded = decodeCursor(token);
    const carried = decoded?.extra as RoundState | undefined;
    if (!decoded || decoded.list !== list || !carried || carried.resource !== resource) {
      return badRequest('The delta token is not valid for this resource; start a full sync.', 'resyncRequired');
    }
    if (carried.epoch < ctx.store.deltaEpoch) return expired(ctx, request);
    state = deltatoken
      ? { ...carried, mode: 'changes', since: carried.until, until: now, offset: 0, after: undefined }
      : carried;
  } else {
    const select = selectOf(request, resource);
    if ('problem' in select) return select.problem;
    state = { resource, mode: 'initial', since: 0, until: now, epoch: ctx.store.deltaEpoch, select: select.fields };
  }
  const size = pageSize(request, resource === 'users' ? USER_PAGE : GROUP_PAGE);
  const page =
    resource === 'users' ? userPage(tenant, directory, state, size) : groupPage(tenant, directory, state, size);
  const body: Json = { '@odata.context': `${ctx.baseUrl()}/v1.0/$metadata#${resource}`, value: page.values };
  if (page.next) body['@odata.nextLink'] = tokenLink(ctx, request, list, page.next, '$skiptoken');
  else
    body['@odata.deltaLink'] = tokenLink(
      ctx,
      request,
      list,
      { ...state, mode: 'changes', since: state.until },
      '$deltatoken',
    );
  return json(200, body);
}

function selectOf(request: SimRequest, resource: Resource): { fields: string[] | null } | { problem: SimResponse } {
  const raw = request.query.get('$select');
  if (request.query.get('$orderby')) return { problem: badRequest('$orderby is not supported with delta queries.') };
  if (!raw) return { fields: null };
  const fields = raw
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (resource === 'users') {
    const refused = fields.filter((f) => UNSUPPORTED_IN_DELTA.some((u) => u.toLowerCase() === f.toLowerCase()));
    if (refused.length > 0) {
      return {
        problem: badRequest(
          `Request_UnsupportedQuery: $expand/$select is not supported for the following properties: ${refused.join(', ')}`,
          'Request_UnsupportedQuery',
        ),
      };
    }
  }
  return { fields };
}

function pageSize(request: SimRequest, fallback: number): number {
  const preferred = Number(preferences(request.headers).get('odata.maxpagesize'));
  return Number.isInteger(preferred) && preferred > 0 ? Math.min(preferred, fallback) : fallback;
}

function tokenLink(ctx: SimContext, request: SimRequest, list: string, state: RoundState, param: string): string {
  return linkTo(ctx.baseUrl(), request, { [param]: encodeCursor({ list, offset: 0, size: 0, extra: { ...state } }) });
}

/** A token Graph no longer knows: 410 Gone with a Location to start over from, or a 400 (as ctx.deltaExpiry says). */
function expired(ctx: SimContext, request: SimRequest): SimResponse {
  const { status, code } = ctx.deltaExpiry;
  const headers: Record<string, string> =
    status === 410 ? { Location: linkTo(ctx.baseUrl(), request, { $deltatoken: '' }) } : {};
  return graphError(status, code, 'The sync state generation is not found. Start a full sync.', headers);
}

interface Page {
  values: Json[];
  next?: RoundState;
}

// ---- users ----

function shapeUser(user: Json, select: string[] | null, manager: string | undefined, withManager: boolean): Json {
  const fields = select ?? DEFAULT_USER_PROPS;
  const out: Json = { id: user.id };
  for (const field of fields) {
    if (field === 'manager' || field === 'id') continue;
    out[field] = user[field] ?? null;
  }
  if (withManager && fields.includes('manager') && manager) out['manager@delta'] = [userRef(manager)];
  return out;
}

function userPage(tenant: SimTenant, directory: Directory, state: RoundState, size: number): Page {
  if (state.mode === 'initial') {
    const ids = [...tenant.users.keys()].sort();
    const rest = state.after === undefined ? ids : ids.filter((id) => id > state.after!);
    const taken = rest.slice(0, size);
    const values = taken.map((id) => shapeUser(tenant.users.get(id)!, state.select, directory.managers.get(id), true));
    return rest.length > size ? { values, next: { ...state, after: taken.at(-1)! } } : { values };
  }
  const entries = userChanges(tenant, directory, state);
  const offset = state.offset ?? 0;
  const values = entries.slice(offset, offset + size);
  return offset + size < entries.length ? { values, next: { ...state, offset: offset + size } } : { values };
}

function userChanges(tenant: SimTenant, directory: Directory, state: RoundState): Json[] {
  const merged = new Map<
    string,
    { props: Set<string> | 'all'; removed?: UserChange['removed']; managerWas?: string }
  >();
  for (const change of directory.users) {
    if (change.seq <= state.since || change.seq > state.until) continue;
    const entry = merged.get(change.id) ?? { props: new Set<string>() };
    if (change.props === 'all' || entry.props === 'all') entry.props = 'all';
    else for (const p of change.props) entry.props.add(p);
    entry.removed = change.removed;
    entry.managerWas ??= change.previousManager;
    merged.set(change.id, entry);
  }
  const tracked = new Set(state.select ?? DEFAULT_USER_PROPS);
  const out: Json[] = [];
  for (const [id, entry] of merged) {
    const user = tenant.users.get(id);
    if (!user) {
      out.push({ id, '@removed': { reason: entry.removed ?? 'deleted' } });
      continue;
    }
    const props = entry.props;
    const changed = props === 'all' ? true : [...props].some((p) => tracked.has(p));
    if (!changed) continue;
    const manager = directory.managers.get(id);
    const managerChanged = props === 'all' || props.has('manager');
    const shaped = shapeUser(user, state.select, manager, managerChanged);
    if (managerChanged && tracked.has('manager') && !manager && entry.managerWas) {
      // The manager was removed. Graph's shape is not documented (entra-intune.md §C1): the form served here is
      // the relationship entry marked removed; clients must also accept an empty array.
      shaped['manager@delta'] = [removedRef(entry.managerWas)];
    }
    out.push(shaped);
  }
  return out;
}

// ---- groups ----

function shapeGroup(group: Json, select: string[] | null): Json {
  const out: Json = { id: group.id };
  for (const field of select ?? DEFAULT_GROUP_PROPS) {
    if (field === 'members' || field === 'id') continue;
    out[field] = group[field] ?? null;
  }
  return out;
}

/** A group object per slice of its members (a large group comes as several copies, members partitioned). */
function splitMembers(shaped: Json, refs: Json[], withMembers: boolean): Json[] {
  if (!withMembers) return [shaped];
  if (refs.length === 0) return [{ ...shaped, 'members@delta': [] }];
  const out: Json[] = [];
  for (let i = 0; i < refs.length; i += MEMBERS_PER_GROUP_ENTRY) {
    out.push({ ...shaped, 'members@delta': refs.slice(i, i + MEMBERS_PER_GROUP_ENTRY) });
  }
  return out;
}

function groupPage(tenant: SimTenant, directory: Directory, state: RoundState, size: number): Page {
  const withMembers = (state.select ?? []).includes('members');
  let entries: Json[];
  if (state.mode === 'initial') {
    entries = [...tenant.groups]
      .sort((a, b) => String(a.id).localeCompare(String(b.id)))
      .flatMap((group) => splitMembers(shapeGroup(group, state.select), groupMembers(group).map(userRef), withMembers));
  } else {
    entries = groupChanges(tenant, directory, state, withMembers);
  }
  const offset = state.offset ?? 0;
  const values = entries.slice(offset, offset + size);
  return offset + size < entries.length ? { values, next: { ...state, offset: offset + size } } : { values };
}

function groupChanges(tenant: SimTenant, directory: Directory, state: RoundState, withMembers: boolean): Json[] {
  const merged = new Map<
    string,
    { renamed: boolean; created: boolean; deleted: boolean; members: Map<string, boolean> }
  >();
  for (const change of directory.groups as GroupChange[]) {
    if (change.seq <= state.since || change.seq > state.until) continue;
    const entry = merged.get(change.id) ?? { renamed: false, created: false, deleted: false, members: new Map() };
    entry.renamed ||= change.renamed === true;
    entry.created ||= change.created === true;
    entry.deleted = change.deleted === true;
    for (const member of change.members ?? []) entry.members.set(member.id, member.removed);
    merged.set(change.id, entry);
  }
  const tracked = new Set(state.select ?? DEFAULT_GROUP_PROPS);
  const out: Json[] = [];
  for (const [id, entry] of merged) {
    const group = tenant.groups.find((g) => g.id === id);
    if (entry.deleted || !group) {
      out.push({ id, '@removed': { reason: 'deleted' } });
      continue;
    }
    const membersChanged = entry.members.size > 0 && withMembers;
    if (!entry.created && !(entry.renamed && tracked.has('displayName')) && !membersChanged) continue;
    const refs = [...entry.members].map(([member, removed]) => (removed ? removedRef(member) : userRef(member)));
    out.push(...splitMembers(shapeGroup(group, state.select), refs, withMembers));
  }
  return out;
}
