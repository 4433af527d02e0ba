/** Where a sync's state lives, named in one place from its `storageName` (the contact sync's is `tenant-sync`). */

/** One row per source of a run (partition `<storageName>:<runId>`), keyed by the lower-cased tenant id. */
export function tenantRowKind(storageName: string, runId: string): string {
  return `${storageName}:${runId}`;
}

export function tenantKey(tenantId: string): string {
  return tenantId.toLowerCase();
}

export const dedupeScopes = (storageName: string) => ({
  /** One write batch of a source's plan: `<runId>/<tenantId>/<index>`. */
  batch: `${storageName}-batch`,
  /** Writing a run's report: `<runId>`. */
  report: `${storageName}-report`,
  /** One attempt to start a scheduled occurrence: `<occurrence>`. */
  schedule: `${storageName}-schedule`,
});

/** Checkpoints (never purged): the schedule's last started occurrence, and the apply-run lease. */
export const checkpointKeys = (storageName: string) => ({
  schedule: { scope: storageName, key: 'schedule' },
  lease: { scope: storageName, key: 'lease' },
});

export const blobPaths = (storageName: string, runId: string) => {
  const root = `${storageName}/${runId}`;
  return {
    root,
    haloSnapshot: `${root}/halo-snapshot.json`,
    plan: (tenantId: string) => `${root}/plans/${tenantKey(tenantId)}.json`,
    report: `${root}/report.json`,
    run: `${root}/run.json`,
    csv: (name: string) => `${root}/${name}.csv`,
  };
};

export const batchKey = (runId: string, tenantId: string, index: number) => `${runId}/${tenantKey(tenantId)}/${index}`;
