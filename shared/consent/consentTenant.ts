// Consent in one tenant, as MSP tools do it (CIPP, Microsoft's GDAP guidance): with the partner admin's delegated
// GDAP token, make sure the app's service principal exists, grant each missing application permission as an app role
// assignment on Microsoft Graph's service principal (`appRoleAssignedTo`), then prove each with an app-only token.
// Dry run changes nothing. Re-running is harmless: only what is missing is created.
import { GraphCallError, type GraphHttp } from './graphHttp';
import { MICROSOFT_GRAPH_APP_ID, type PermissionNeed, TENANT_WIDE_MAIL_PERMISSIONS } from './permissions';

export interface TenantConsentInput {
  readonly tenantId: string;
  readonly name: string;
  readonly appId: string;
  readonly needs: readonly PermissionNeed[];
  /** Graph as the partner admin in this tenant (GDAP delegated token). */
  readonly delegated: GraphHttp;
  /** Graph as the app itself in this tenant (client credentials); undefined when the app has no credential here. */
  readonly appOnly?: GraphHttp;
  readonly apply: boolean;
  /** Waits before re-checking a permission that is not effective yet (Entra propagation). */
  readonly retryVerify?: { attempts: number; delayMs: number };
}

export type ConsentStatus = 'consented' | 'missing' | 'failed';

export interface TenantConsentResult {
  readonly tenantId: string;
  readonly name: string;
  readonly status: ConsentStatus;
  /** What was created in this run (apply only). */
  readonly granted: string[];
  /** Permissions (or the service principal) still missing. */
  readonly missing: string[];
  readonly verified: { permission: string; ok: boolean; detail?: string }[];
  readonly warnings: string[];
  readonly reason?: string;
  readonly fix?: string;
}

interface ServicePrincipal {
  id: string;
  appId: string;
  appRoles?: { id: string; value: string | null; allowedMemberTypes?: string[] }[];
}
interface Assignment {
  appRoleId: string;
  resourceId: string;
}

const SP_ROLE_FIX =
  "give the GDAP relationship for this customer the Cloud Application Administrator role (create the app's service principal) and Privileged Role Administrator (grant Microsoft Graph application permissions) for your admin's security group";

export async function consentTenant(input: TenantConsentInput): Promise<TenantConsentResult> {
  const base = { tenantId: input.tenantId, name: input.name, granted: [] as string[], warnings: [] as string[] };
  const step = { at: 'reading the service principals' };
  try {
    const app = await findServicePrincipal(input.delegated, input.appId, 'id,appId,displayName');
    const graph = await findServicePrincipal(input.delegated, MICROSOFT_GRAPH_APP_ID, 'id,appId,appRoles');
    if (!graph) {
      return failed(
        base,
        'Microsoft Graph has no service principal in this tenant',
        'open the tenant in the Entra admin center once; Microsoft creates it',
      );
    }
    const roleIdOf = new Map((graph.appRoles ?? []).map((role) => [role.value ?? '', role.id]));
    const unknown = input.needs.filter((need) => !roleIdOf.has(need.permission));
    if (unknown.length > 0) {
      return failed(
        base,
        `Microsoft Graph offers no app role ${unknown.map((n) => n.permission).join(', ')}`,
        'report this as a bug in halo-bridge',
      );
    }

    let principal = app;
    if (!principal && !input.apply) {
      return {
        ...base,
        status: 'missing',
        missing: ['service principal', ...input.needs.map((need) => need.permission)],
        verified: [],
        fix: 'run again with --apply',
      };
    }
    if (!principal) {
      step.at = "creating the app's service principal";
      principal = await input.delegated.post<ServicePrincipal>('/servicePrincipals', { appId: input.appId });
      base.granted.push('service principal');
    }

    step.at = 'reading the app role assignments';
    const assignments = await listAll<Assignment>(
      input.delegated,
      `/servicePrincipals/${principal.id}/appRoleAssignments`,
    );
    const held = new Set(assignments.filter((a) => a.resourceId === graph.id).map((a) => a.appRoleId));
    const nameOf = new Map([...roleIdOf].map(([value, id]) => [id, value]));
    for (const roleId of held) {
      const value = nameOf.get(roleId);
      if (value && TENANT_WIDE_MAIL_PERMISSIONS.includes(value)) {
        base.warnings.push(
          `${value} is granted tenant-wide in Entra: the app can open every mailbox here; remove it (Enterprise applications > Permissions) and scope mail with scripts/exchange/Grant-ScopedMailboxAccess.ps1`,
        );
      }
    }
    const missing = input.needs.filter((need) => !held.has(roleIdOf.get(need.permission)!));
    if (missing.length > 0 && !input.apply) {
      return {
        ...base,
        status: 'missing',
        missing: missing.map((n) => n.permission),
        verified: [],
        fix: 'run again with --apply',
      };
    }
    for (const need of missing) {
      step.at = `granting ${need.permission}`;
      await input.delegated.post(`/servicePrincipals/${graph.id}/appRoleAssignedTo`, {
        principalId: principal.id,
        resourceId: graph.id,
        appRoleId: roleIdOf.get(need.permission),
      });
      base.granted.push(need.permission);
    }

    step.at = 'verifying with an app-only token';
    const verified = input.appOnly ? await verify(input.appOnly, input.needs, input.retryVerify) : [];
    const notWorking = verified.filter((v) => !v.ok);
    if (!input.appOnly) base.warnings.push('not verified: no app credential to get an app-only token with');
    if (notWorking.length > 0) {
      return {
        ...base,
        status: 'failed',
        missing: notWorking.map((v) => v.permission),
        verified,
        reason: `granted but not effective: ${notWorking.map((v) => `${v.permission} (${v.detail})`).join('; ')}`,
        fix: 'Entra can take a few minutes to apply new grants: run the same command again in 5 minutes',
      };
    }
    return { ...base, status: 'consented', missing: [], verified };
  } catch (error) {
    return failed(base, `${step.at}: ${describe(error)}`, fixFor(error, step.at));
  }
}

function failed(
  base: { tenantId: string; name: string; granted: string[]; warnings: string[] },
  reason: string,
  fix: string,
): TenantConsentResult {
  return { ...base, status: 'failed', missing: [], verified: [], reason, fix };
}

async function findServicePrincipal(graph: GraphHttp, appId: string, select: string) {
  const found = await graph.get<{ value: ServicePrincipal[] }>(
    `/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${appId}'`)}&$select=${select}`,
  );
  return found.value[0];
}

async function listAll<T>(graph: GraphHttp, path: string): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = path;
  while (next) {
    const page: { value: T[]; '@odata.nextLink'?: string } = await graph.get(next);
    items.push(...page.value);
    const link = page['@odata.nextLink'];
    next = link ? link.slice(link.indexOf('/v1.0') + '/v1.0'.length) : undefined;
  }
  return items;
}

async function verify(
  appOnly: GraphHttp,
  needs: readonly PermissionNeed[],
  retry = { attempts: 1, delayMs: 0 },
): Promise<TenantConsentResult['verified']> {
  const results: TenantConsentResult['verified'] = [];
  for (const need of needs) {
    let outcome: TenantConsentResult['verified'][number] = { permission: need.permission, ok: false };
    for (let attempt = 1; attempt <= Math.max(1, retry.attempts); attempt++) {
      try {
        await appOnly.get(need.probe);
        outcome = { permission: need.permission, ok: true };
        break;
      } catch (error) {
        outcome = { permission: need.permission, ok: false, detail: describe(error) };
        if (attempt < retry.attempts) await new Promise((r) => setTimeout(r, retry.delayMs));
      }
    }
    results.push(outcome);
  }
  return results;
}

/** Short enough for a table row: Graph's status and code, or Entra's first AADSTS sentence. */
function describe(error: unknown): string {
  if (error instanceof GraphCallError) return `${error.status} ${error.code}`;
  const message = (error as Error).message;
  return /AADSTS\d+: [^.]*\./.exec(message)?.[0] ?? message.slice(0, 160);
}

function fixFor(error: unknown, step: string): string {
  const status = error instanceof GraphCallError ? error.status : undefined;
  if (status === 401 || /AADSTS50020|AADSTS500011|no GDAP/i.test(String((error as Error).message))) {
    return 'your admin has no GDAP access to this tenant: approve a GDAP relationship (Partner Center > Customers > Admin relationships), or remove the tenant from the list';
  }
  if (status === 403) return SP_ROLE_FIX;
  if (status === 429 || (status !== undefined && status >= 500))
    return `Graph was unavailable while ${step}: run again`;
  return 'run again with --verbose and check the message';
}
