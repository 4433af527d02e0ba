import { describeRun, getRunStatus, listRuns, requireSync, startRun } from '../../../shared/sync';
import type { Stack } from '../../stack';
import type { DemoFlow, FlowSummary } from '../types';

const sync = requireSync('intune');
let runId: string | undefined;
let startProblem: string | undefined;
let say: (line: string) => void = () => {};

/**
 * Intune managed devices → Halo assets: one apply run over Contoso's and Fabrikam's devices, started once the tenant
 * sync's run has finished (as the daily schedules have it: contacts first, so that devices find their users).
 */
export const demoFlow: DemoFlow = {
  name: 'intune sync',
  order: 40,
  async kickoff(_stack: Stack, sayLine) {
    say = sayLine;
    say('waiting for the tenant sync run, then one Intune run in apply mode (devices of Contoso and Fabrikam)');
  },
  async busy(stack: Stack) {
    if (runId) return (await getRunStatus(stack.container, sync, runId))?.run.status === 'running';
    if (startProblem) return false;
    const [contacts] = await listRuns(stack.container, requireSync('contacts'), 1);
    if (contacts?.status === 'running') return true;
    const result = await startRun(stack.container, sync, { mode: 'apply', trigger: 'demo' });
    if (!result.ok) {
      startProblem = result.message;
      say(`could not start: ${result.message}`);
      return false;
    }
    runId = result.runId;
    say(`run ${runId} started for ${result.tenants} customer tenants (one queue message each)`);
    return true;
  },
  async summarize(stack: Stack): Promise<FlowSummary> {
    const flow = 'intune sync';
    if (!runId) return { flow, ok: false, lines: [], failures: [startProblem ?? 'no run was started'] };
    const status = await getRunStatus(stack.container, sync, runId);
    if (!status) return { flow, ok: false, lines: [], failures: [`run ${runId} is missing`] };
    const { lines, failures } = describeRun(sync, status);
    const assets = [...stack.halo.store.tables.assets.values()].filter((a) => a.intune_id);
    const byType = new Map<string, number>();
    for (const asset of assets)
      byType.set(String(asset.assettype_name), (byType.get(String(asset.assettype_name)) ?? 0) + 1);
    const withUser = assets.filter((a) => Array.isArray(a.users) && a.users.length > 0).length;
    lines.push(
      `Halo assets linked to Intune: ${assets.length} (by type: ${[...byType].map(([t, n]) => `${t} ${n}`).join(', ')}; ` +
        `${withUser} linked to a user); asset write requests: ` +
        `${stack.halo.requests().filter((r) => r.method === 'POST' && /^\/api\/asset$/i.test(r.path)).length}`,
    );
    if (status.run.status !== 'succeeded') failures.push(`run ${runId} ended ${status.run.status}`);
    return { flow, ok: failures.length === 0, lines, failures };
  },
};
