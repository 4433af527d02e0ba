/** Where a run's state lives: table partitions, dedupe scopes and blob paths, named in one place. */

/** The run record (runs store partition). */
export const RUN_KIND = 'tenant-sync';

/** One row per tenant of a run (partition), keyed by the lower-cased tenant id. */
export function tenantRowKind(runId: string): string {
  return `${RUN_KIND}:${runId}`;
}

export function tenantKey(tenantId: string): string {
  return tenantId.toLowerCase();
}

export const DEDUPE = {
  /** One write batch of a tenant's plan: `<runId>/<tenantId>/<index>`. */
  batch: 'tenant-sync-batch',
  /** Writing a run's report: `<runId>`. */
  report: 'tenant-sync-report',
} as const;

/** The schedule's last handled occurrence (checkpoints store). */
export const SCHEDULE_CHECKPOINT = { scope: 'tenant-sync', key: 'schedule' } as const;

export const blobPaths = (runId: string) => {
  const root = `tenant-sync/${runId}`;
  return {
    root,
    haloSnapshot: `${root}/halo-snapshot.json`,
    plan: (tenantId: string) => `${root}/plans/${tenantKey(tenantId)}.json`,
    report: `${root}/report.json`,
    run: `${root}/run.json`,
    csv: (name: string) => `${root}/${name}.csv`,
  };
};
