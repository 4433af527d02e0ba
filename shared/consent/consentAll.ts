// Consent across the partner tenant and every customer tenant: which tenants, what each needs, one result per tenant.
import type { IntegrationConfig } from '../config/integration';
import { consentTenant, type TenantConsentResult } from './consentTenant';
import type { GraphHttp } from './graphHttp';
import { customerTenantNeeds, partnerTenantNeeds } from './permissions';

export interface ConsentRunInput {
  readonly config: IntegrationConfig;
  readonly appId: string;
  readonly partnerTenantId: string;
  /** Tenants named on the command line, on top of GDAP customers and the config's `tenantSync.include`. */
  readonly extraTenants: readonly string[];
  readonly apply: boolean;
  /** Graph as the partner admin in a tenant (GDAP delegated), and as the app (client credentials). */
  readonly delegated: (tenantId: string) => GraphHttp;
  readonly appOnly: ((tenantId: string) => GraphHttp) | undefined;
  readonly retryVerify?: { attempts: number; delayMs: number };
}

export interface ConsentRun {
  readonly tenants: TenantConsentResult[];
  /** Why the GDAP customer list could not be read, when it could not. */
  readonly discoveryProblem?: string;
}

interface DelegatedAdminCustomer {
  id?: string;
  tenantId?: string;
  displayName?: string;
}

export async function consentAllTenants(input: ConsentRunInput): Promise<ConsentRun> {
  const { config } = input;
  const targets = new Map<string, string>();
  let discoveryProblem: string | undefined;
  if (config.tenantSync.enabled && config.tenantSync.discovery !== 'listed') {
    try {
      const found = await input
        .delegated(input.partnerTenantId)
        .get<{ value: DelegatedAdminCustomer[] }>('/tenantRelationships/delegatedAdminCustomers?$top=300');
      for (const customer of found.value) {
        const id = customer.tenantId ?? customer.id;
        if (id) targets.set(id.toLowerCase(), customer.displayName ?? id);
      }
    } catch (error) {
      discoveryProblem = `GDAP customers could not be listed (${(error as Error).message}); only listed tenants were handled`;
    }
  }
  for (const include of config.tenantSync.include)
    targets.set(include.tenantId.toLowerCase(), include.name ?? include.tenantId);
  for (const tenantId of input.extraTenants)
    if (!targets.has(tenantId.toLowerCase())) targets.set(tenantId.toLowerCase(), tenantId);
  for (const excluded of config.tenantSync.exclude) targets.delete(excluded.toLowerCase());
  targets.delete(input.partnerTenantId.toLowerCase());

  const common = {
    appId: input.appId,
    apply: input.apply,
    ...(input.retryVerify ? { retryVerify: input.retryVerify } : {}),
  };
  const results: TenantConsentResult[] = [];
  const partnerNeeds = partnerTenantNeeds(config);
  if (partnerNeeds.length > 0) {
    results.push(
      await consentTenant({
        ...common,
        tenantId: input.partnerTenantId,
        name: 'partner (home) tenant',
        needs: partnerNeeds,
        delegated: input.delegated(input.partnerTenantId),
        ...(input.appOnly ? { appOnly: input.appOnly(input.partnerTenantId) } : {}),
      }),
    );
  }
  const customerNeeds = customerTenantNeeds(config);
  for (const [tenantId, name] of [...targets].sort((a, b) => a[1].localeCompare(b[1]))) {
    results.push(
      await consentTenant({
        ...common,
        tenantId,
        name,
        needs: customerNeeds,
        delegated: input.delegated(tenantId),
        ...(input.appOnly ? { appOnly: input.appOnly(tenantId) } : {}),
      }),
    );
  }
  return { tenants: results, ...(discoveryProblem ? { discoveryProblem } : {}) };
}

/** The report as lines: one block per tenant, its verdict first, then the fix when there is one. */
export function describeConsentRun(run: ConsentRun, apply: boolean): string[] {
  const lines: string[] = [];
  if (run.discoveryProblem) lines.push(`WARNING: ${run.discoveryProblem}`);
  for (const tenant of run.tenants) {
    const verdict = tenant.status === 'consented' ? 'CONSENTED' : tenant.status === 'missing' ? 'MISSING' : 'FAILED';
    lines.push(`${tenant.name} (${tenant.tenantId})  ${verdict}${tenant.reason ? `: ${tenant.reason}` : ''}`);
    if (tenant.granted.length > 0) lines.push(`  granted now:   ${tenant.granted.join(', ')}`);
    if (tenant.missing.length > 0) lines.push(`  missing:       ${tenant.missing.join(', ')}`);
    const ok = tenant.verified.filter((v) => v.ok).map((v) => v.permission);
    if (ok.length > 0) lines.push(`  verified:      ${ok.join(', ')} (app-only call succeeded)`);
    for (const warning of tenant.warnings) lines.push(`  warning:       ${warning}`);
    if (tenant.fix) lines.push(`  fix:           ${tenant.fix}`);
  }
  const counts = (status: TenantConsentResult['status']) => run.tenants.filter((t) => t.status === status).length;
  lines.push(
    `${run.tenants.length} tenant(s): ${counts('consented')} consented, ${counts('missing')} missing permissions, ${counts('failed')} failed${apply ? '' : ' (dry run: nothing was changed; --apply to grant)'}`,
  );
  return lines;
}
