export interface GraphStatsSnapshot {
  readonly total: number;
  readonly byTenant: Readonly<Record<string, number>>;
  readonly byKind: Readonly<Record<string, number>>;
  readonly byTenantAndKind: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** Counts HTTP requests sent to Graph (each retry counts), per tenant and per path kind. */
export class GraphStats {
  private counts = new Map<string, Map<string, number>>();

  record(tenantId: string, kind: string): void {
    const perTenant = this.counts.get(tenantId) ?? new Map<string, number>();
    perTenant.set(kind, (perTenant.get(kind) ?? 0) + 1);
    this.counts.set(tenantId, perTenant);
  }

  reset(): void {
    this.counts = new Map();
  }

  snapshot(): GraphStatsSnapshot {
    let total = 0;
    const byTenant: Record<string, number> = {};
    const byKind: Record<string, number> = {};
    const byTenantAndKind: Record<string, Record<string, number>> = {};
    for (const [tenantId, kinds] of this.counts) {
      byTenantAndKind[tenantId] = Object.fromEntries(kinds);
      for (const [kind, count] of kinds) {
        total += count;
        byTenant[tenantId] = (byTenant[tenantId] ?? 0) + count;
        byKind[kind] = (byKind[kind] ?? 0) + count;
      }
    }
    return { total, byTenant, byKind, byTenantAndKind };
  }
}
