import type { SyncDeps, WriteBatch } from '../engine/definition';
import { readAgentLinks, writeAgentLink } from './agentLinks';
import type { CreatedRef, EntraPlan } from './changes';
import { isRef } from './changes';
import { beforeSendAssignments, sendAssignments } from './licences/assignments';
import { ASSIGN_LICENSE, type AssignLicenseBody } from './licences/types';

type Body = Record<string, unknown>;
type Deps = Pick<SyncDeps, 'halo' | 'stores' | 'now' | 'log'>;
type GraphDeps = Pick<SyncDeps, 'config' | 'graph' | 'graphForApp' | 'secrets'>;

/**
 * The Entra ID sync's last look before a batch goes to Halo. Names of records created earlier in the plan (a new
 * agent as line manager or CAB member, a new site) become their ids; CAB members are added to the CAB's live
 * members (posting `members` replaces the list); and when an interrupted delivery may have sent this batch
 * already (`recovering`), the records Halo has now are left out (looked up in bulk: agents by email, users by
 * Entra object id, sites by name) and their links kept.
 */
export async function beforeSendEntraWrites(
  deps: Deps & GraphDeps,
  batch: WriteBatch,
  context: { plan: EntraPlan; recovering: boolean },
): Promise<unknown[]> {
  const { plan, recovering } = context;
  if (batch.resource === ASSIGN_LICENSE)
    return beforeSendAssignments(deps, plan.tenantId, batch.bodies as AssignLicenseBody[], recovering);
  const resolver = refResolver(deps, plan.tenantId);
  let bodies = batch.bodies as Body[];
  if (recovering && bodies.some((b) => b.id === undefined))
    bodies = await withoutCreated(deps, batch.resource, bodies, plan);
  const resolved: Body[] = [];
  for (const body of bodies) resolved.push(await resolver.resolveBody(body));
  if (batch.resource === '/CAB') return Promise.all(resolved.map((body) => withLiveMembers(deps, body)));
  return resolved;
}

/**
 * Sends a batch and keeps, at once, what later batches and later runs need from Halo's answer: the id of each
 * agent created (the agent link: agents carry no Entra object id in Halo).
 */
export async function sendEntraWrites(
  deps: Deps & GraphDeps,
  batch: WriteBatch,
  bodies: unknown[],
  context: { plan: EntraPlan },
): Promise<void> {
  if (batch.resource === ASSIGN_LICENSE) {
    await sendAssignments(deps, context.plan.tenantId, bodies as AssignLicenseBody[]);
    return;
  }
  const records = bodies as Body[];
  const drafts = records.map(withoutPlanFields);
  // A batch with creates goes through the client's exactly-once create: when Halo's answer is lost, the records
  // are looked up before anything is sent again (updates by id are safe to resend).
  const written = records.some((b) => b.id === undefined)
    ? await deps.halo.createOnce(batch.resource, drafts, (pending) =>
        findCreatedRecords(deps, batch.resource, pending as Body[]),
      )
    : await deps.halo.post(batch.resource, drafts);
  if (batch.resource !== '/Agent' || !records.some((b) => b.id === undefined)) return;
  const answers = written.filter((w): w is Body => typeof w === 'object' && w !== null);
  for (const [i, body] of records.entries()) {
    if (body.id !== undefined || typeof body._oid !== 'string') continue;
    const email = String(body.email ?? '').toLowerCase();
    // Matched by email; by position only when Halo answered exactly what was sent (the order is not documented).
    const answer =
      answers.find((a) => email !== '' && String(a.email ?? '').toLowerCase() === email) ??
      (answers.length === records.length ? answers[i] : undefined);
    const id = Number(answer?.id);
    if (!Number.isInteger(id) || id <= 0) {
      deps.log.warn(
        'Entra ID sync: Halo did not answer the id of a created agent; the next look-up finds it by email',
        {
          email,
        },
      );
      continue;
    }
    await writeAgentLink(deps, context.plan.tenantId, body._oid, { agentId: id, email });
  }
}

function withoutPlanFields(body: Body): Body {
  const { _oid: _omit, ...rest } = body;
  return rest;
}

// ---- created records: found again after an interrupted send ----

async function withoutCreated(deps: Deps, resource: string, bodies: Body[], plan: EntraPlan): Promise<Body[]> {
  const creates = bodies.filter((b) => b.id === undefined);
  if (creates.length === 0) return bodies;
  const found = await findExisting(deps, resource, creates, plan.tenantId);
  const kept = bodies.filter((b) => b.id !== undefined || !found.has(b));
  if (kept.length < bodies.length) {
    deps.log.warn('Entra ID sync: records an interrupted send had created are not created again', {
      resource,
      found: bodies.length - kept.length,
    });
  }
  return kept;
}

/** The drafts Halo already holds (bulk look-ups; agents found are linked). */
export async function findExisting(
  deps: Deps,
  resource: string,
  drafts: readonly Body[],
  tenantId: string,
): Promise<Set<Body>> {
  const records = await findCreatedRecords(deps, resource, drafts);
  const found = new Set<Body>();
  for (const [i, draft] of drafts.entries()) {
    const record = records[i];
    if (!record) continue;
    found.add(draft);
    if (resource === '/Agent' && typeof draft._oid === 'string') {
      await writeAgentLink(deps, tenantId, draft._oid, { agentId: record.id, email: String(draft.email ?? '') });
    }
  }
  return found;
}

/**
 * For each create draft, the record Halo holds for it, or undefined (an update by id: undefined, it may be resent):
 * agents by email (one read of all agents), users by Entra object id, sites by client and name, licences by client
 * and Entra sku id.
 */
async function findCreatedRecords(
  deps: Deps,
  resource: string,
  drafts: readonly Body[],
): Promise<(undefined | ({ id: number } & Body))[]> {
  const agents = resource === '/Agent' ? await liveAgents(deps) : undefined;
  const lists = new Map<number, Promise<unknown[]>>();
  const out: (undefined | ({ id: number } & Body))[] = [];
  for (const draft of drafts) {
    let id: number | undefined;
    if (draft.id !== undefined) {
      out.push(undefined);
      continue;
    }
    if (agents) id = agents.get(String(draft.email ?? '').toLowerCase());
    else if (resource === '/Users' && typeof draft.azureoid === 'string') id = await userIdByOid(deps, draft.azureoid);
    else if (resource === '/SoftwareLicence' && typeof draft.vendor_product_sku === 'string')
      id = await licenceIdBySku(deps, Number(draft.client_id), draft.vendor_product_sku, lists);
    else if (resource === '/Site') id = await siteIdByName(deps, Number(draft.client_id), String(draft.name ?? ''));
    out.push(id === undefined ? undefined : { ...draft, id });
  }
  return out;
}

async function liveAgents(deps: Deps): Promise<Map<string, number>> {
  const rows = await deps.halo.listUnpaged('/Agent', { query: { includedisabled: true } });
  const out = new Map<string, number>();
  for (const row of rows as Body[]) {
    const email = String(row.email ?? '').toLowerCase();
    if (email !== '' && Number(row.id) > 0) out.set(email, Number(row.id));
  }
  return out;
}

async function userIdByOid(deps: Deps, oid: string): Promise<number | undefined> {
  const rows = await deps.halo.list('/Users', {
    key: 'users',
    query: {
      includeinactive: true,
      advanced_search: JSON.stringify([{ filter_name: 'azureoid', filter_type: 2, filter_value: oid }]),
    },
  });
  const id = Number((rows[0] as Body | undefined)?.id);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

async function licenceIdBySku(
  deps: Deps,
  clientId: number,
  skuId: string,
  lists?: Map<number, Promise<unknown[]>>,
): Promise<number | undefined> {
  const read = () => deps.halo.list('/SoftwareLicence', { key: 'licences', query: { client_id: clientId } });
  let rows: Promise<unknown[]>;
  if (lists) {
    rows = lists.get(clientId) ?? read();
    lists.set(clientId, rows);
  } else rows = read();
  const licence = ((await rows) as Body[]).find(
    (l) => Number(l.client_id) === clientId && String(l.vendor_product_sku ?? '').toLowerCase() === skuId.toLowerCase(),
  );
  const id = Number(licence?.id);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

async function siteIdByName(deps: Deps, clientId: number, name: string): Promise<number | undefined> {
  const rows = await deps.halo.list('/Site', { key: 'sites', query: { client_id: clientId, includeinactive: true } });
  const site = (rows as Body[]).find(
    (s) =>
      String(s.name ?? '')
        .trim()
        .toLowerCase() === name.trim().toLowerCase(),
  );
  const id = Number(site?.id);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

// ---- references to records created earlier in the plan ----

function refResolver(deps: Deps, tenantId: string) {
  let links: Promise<Record<string, number>> | undefined;
  let agents: Promise<Map<string, number>> | undefined;
  const licenceLists = new Map<number, Promise<unknown[]>>();
  const resolve = async (ref: CreatedRef): Promise<number> => {
    if (ref.$ref === 'agent') {
      links ??= readAgentLinks(deps, tenantId);
      const linked = (await links)[ref.oid.toLowerCase()];
      if (linked !== undefined) return linked;
      agents ??= liveAgents(deps);
      const byEmail = (await agents).get(ref.email.toLowerCase());
      if (byEmail !== undefined) {
        await writeAgentLink(deps, tenantId, ref.oid, { agentId: byEmail, email: ref.email });
        return byEmail;
      }
      throw new Error(
        `the agent for Entra user ${ref.oid} (${ref.email}) does not exist in Halo: its create did not happen`,
      );
    }
    if (ref.$ref === 'user') {
      const id = await userIdByOid(deps, ref.oid);
      if (id !== undefined) return id;
      throw new Error(`the Halo user for Entra user ${ref.oid} does not exist: its create did not happen`);
    }
    if (ref.$ref === 'licence') {
      const id = await licenceIdBySku(deps, ref.clientId, ref.skuId, licenceLists);
      if (id !== undefined) return id;
      throw new Error(
        `the licence ${ref.skuId} of client #${ref.clientId} does not exist in Halo: its create did not happen`,
      );
    }
    const id = await siteIdByName(deps, ref.clientId, ref.name);
    if (id !== undefined) return id;
    throw new Error(`site "${ref.name}" of client #${ref.clientId} does not exist in Halo: its create did not happen`);
  };
  const value = async (v: unknown): Promise<unknown> => {
    if (isRef(v)) return resolve(v);
    if (Array.isArray(v)) return Promise.all(v.map(value));
    if (typeof v === 'object' && v !== null) {
      const out: Body = {};
      for (const [k, inner] of Object.entries(v)) out[k] = await value(inner);
      return out;
    }
    return v;
  };
  return { resolveBody: async (body: Body) => (await value(body)) as Body };
}

/** A CAB's members as Halo has them now, plus the ones to add (posting `members` replaces the whole list). */
async function withLiveMembers(deps: Deps, body: Body): Promise<Body> {
  const live = (await deps.halo.get(`/CAB/${Number(body.id)}`)) as { members?: Body[] | null };
  const members = (live.members ?? []).map((m) => memberFields(m));
  for (const member of (body.members as Body[] | undefined) ?? []) {
    const same = members.some((m) =>
      member.agent_id !== undefined ? m.agent_id === member.agent_id : m.user_id === member.user_id,
    );
    if (!same) members.push(memberFields(member));
  }
  return { id: body.id, members };
}

function memberFields(member: Body): Body {
  const out: Body = {};
  for (const key of ['id', 'agent_id', 'user_id', 'role_id'] as const) {
    const value = member[key];
    if (typeof value === 'number' && value > 0) out[key] = value;
  }
  return out;
}
