import type { Container } from '../../app/container';
import type { RunRecord } from '../../storage';
import { RUN_KIND } from './keys';
import { listTenantRows, type TenantState } from './tenantState';

export interface RunStatusView {
  run: RunRecord;
  tenants: (TenantState & { status: RunRecord['status'] })[];
}

/** A run and each tenant's state, for the status endpoint, the CLI and the demo. */
export async function getRunStatus(deps: Pick<Container, 'stores'>, runId: string): Promise<RunStatusView | undefined> {
  const run = await deps.stores.runs.get(RUN_KIND, runId);
  if (!run) return undefined;
  const rows = await listTenantRows(deps.stores.runs, runId);
  return { run, tenants: rows.map((row) => ({ ...row.state, status: row.record.status })) };
}

/** The newest runs, newest first. */
export function listRuns(deps: Pick<Container, 'stores'>, top = 10): Promise<RunRecord[]> {
  return deps.stores.runs.list(RUN_KIND, { top });
}
