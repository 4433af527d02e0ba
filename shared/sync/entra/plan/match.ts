import type { DirUser } from '../directory';
import { fieldValue } from '../fieldValues';
import type { HaloAgentRecord, HaloUserRecord } from '../haloSnapshot';
import type { PlanIndex } from './context';

/** How a Halo record was found for an Entra user, or why none was. */
export type MatchResult<R> =
  | { readonly kind: 'found'; readonly record: R; readonly by: string; readonly firstLink: boolean }
  | { readonly kind: 'tie'; readonly by: string; readonly ids: readonly number[] }
  | { readonly kind: 'none' };

/**
 * Records already taken by an Entra user in this plan (two Entra users never get one Halo record), by id.
 */
export type Claims = Map<number, string>;

const key = (value: string | undefined) => (value ?? '').trim().toLowerCase();

/**
 * The Halo agent of an Entra user: our link (agents have no azureoid), then the agent linked to the user's Halo
 * user record (how Halo's own integration links them), then the matching fields in order. A field whose value
 * matches two agents is a tie: reported, never a match, and no later field is tried (a guess could merge two
 * people). Agents linked to another Entra user, already claimed in this plan, or Halo's Unassigned agent are no
 * candidates.
 */
export function matchAgent(user: DirUser, index: PlanIndex, claims: Claims): MatchResult<HaloAgentRecord> {
  const { halo, connection } = index.input;
  const oid = user.id.toLowerCase();
  const linked = halo.agentLinks[oid] ?? halo.agentLinks[user.id];
  const byLink = linked !== undefined ? index.agentById.get(linked) : undefined;
  if (byLink)
    return { kind: 'found', record: byLink, by: 'link map (created or matched by this sync)', firstLink: false };
  const viaUser = (index.usersByOid.get(oid) ?? [])
    .map((u) => Number(u.fields.linked_agent_id ?? 0))
    .map((id) => index.agentById.get(id))
    .find((a): a is HaloAgentRecord => a !== undefined && !a.isUnassigned);
  if (viaUser)
    return { kind: 'found', record: viaUser, by: "its Halo user's azureoid (linked agent)", firstLink: true };
  for (const rule of connection.matching.agents) {
    const value = key(fieldValue(user, rule.entra, index.input.directory));
    if (value === '') continue;
    const candidates = halo.agents.filter((agent) => {
      if (agent.isUnassigned) return false;
      const owner = index.oidOfAgent.get(agent.id);
      if (owner !== undefined && owner !== oid) return false;
      const field = rule.halo === 'email' ? agent.email : rule.halo === 'name' ? agent.name : agent.fields[rule.halo];
      return key(field) === value;
    });
    const result = pick(candidates, `${rule.entra} = agent ${rule.halo} "${value}"`, claims, oid);
    if (result) return result;
  }
  return { kind: 'none' };
}

/**
 * The Halo user of an Entra user: by Entra object id first (when the read carried it), then the matching fields
 * in order, with the same tie rule. General Users, and users whose azureoid names another Entra user, are no
 * candidates.
 */
export function matchUser(user: DirUser, index: PlanIndex, claims: Claims): MatchResult<HaloUserRecord> {
  const { halo, connection } = index.input;
  const oid = user.id.toLowerCase();
  const byOid = (index.usersByOid.get(oid) ?? []).filter((u) => !u.isGeneralUser);
  if (byOid.length === 1) return { kind: 'found', record: byOid[0]!, by: 'azureoid', firstLink: false };
  if (byOid.length > 1) return { kind: 'tie', by: `azureoid ${oid}`, ids: byOid.map((u) => u.id) };
  for (const rule of connection.matching.users) {
    const value = key(fieldValue(user, rule.entra, index.input.directory));
    if (value === '') continue;
    const candidates = halo.users.filter((record) => {
      if (record.isGeneralUser) return false;
      if (record.azureoid && record.azureoid.toLowerCase() !== oid) return false;
      const field =
        rule.halo === 'emailaddress'
          ? record.emailaddress
          : rule.halo === 'name'
            ? record.name
            : record.fields[rule.halo];
      return key(field) === value;
    });
    const result = pick(candidates, `${rule.entra} = user ${rule.halo} "${value}"`, claims, oid);
    if (result) return result;
  }
  return { kind: 'none' };
}

function pick<R extends { id: number }>(
  candidates: readonly R[],
  by: string,
  claims: Claims,
  oid: string,
): MatchResult<R> | undefined {
  if (candidates.length === 0) return undefined;
  if (candidates.length > 1) return { kind: 'tie', by, ids: candidates.map((c) => c.id) };
  const record = candidates[0]!;
  const owner = claims.get(record.id);
  if (owner !== undefined && owner !== oid) {
    return { kind: 'tie', by: `${by} (already matched to Entra user ${owner} in this run)`, ids: [record.id] };
  }
  return { kind: 'found', record, by, firstLink: true };
}
