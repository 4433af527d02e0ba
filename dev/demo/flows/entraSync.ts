import { describeRun, getRunStatus, requireSync, startRun } from '../../../shared/sync';
import type { AgentChange, CreateAgentChange, EntraPlan } from '../../../shared/sync/entra';
import type { Stack } from '../../stack';
import type { DemoFlow, FlowSummary } from '../types';

const sync = requireSync('entra');
let runId: string | undefined;
let startProblem: string | undefined;

/**
 * Entra ID users and agents → Halo: one apply run over the Bridge MSP staff connection (dev/demo-data): its
 * groups give agents their roles and teams, a disabled account deactivates its agent (and its open ticket goes to
 * Unassigned), managers become line managers, a CAB group fills the Change Board.
 */
export const demoFlow: DemoFlow = {
  name: 'entra id sync',
  order: 40,
  async kickoff(stack: Stack, say) {
    const result = await startRun(stack.container, sync, { mode: 'apply', trigger: 'demo' });
    if (!result.ok) {
      startProblem = result.message;
      say(`could not start: ${result.message}`);
      return;
    }
    runId = result.runId;
    say(`run ${runId} started in apply mode for ${result.tenants} Entra connection(s)`);
  },
  async busy(stack: Stack) {
    if (!runId) return false;
    return (await getRunStatus(stack.container, sync, runId))?.run.status === 'running';
  },
  async summarize(stack: Stack): Promise<FlowSummary> {
    const flow = 'entra id sync';
    if (!runId) return { flow, ok: false, lines: [], failures: [startProblem ?? 'no run was started'] };
    const status = await getRunStatus(stack.container, sync, runId);
    if (!status) return { flow, ok: false, lines: [], failures: [`run ${runId} is missing`] };
    const { lines, failures } = describeRun(sync, status);
    const blob = await stack.container.reports.get(`entra-sync/${runId}/report.json`);
    const plans = blob ? (JSON.parse(blob.content.toString('utf8')) as { connections: EntraPlan[] }).connections : [];
    for (const plan of plans) lines.push(...planLines(plan));
    if (status.run.status !== 'succeeded') failures.push(`run ${runId} ended ${status.run.status}`);
    return { flow, ok: failures.length === 0, lines, failures };
  },
};

/** A plan line per kind the demo shows: roles and teams from groups, a deactivation, a manager link. */
function planLines(plan: EntraPlan): string[] {
  const out: string[] = [];
  for (const change of plan.changes) {
    if (change.kind === 'createAgent') {
      const c = change as CreateAgentChange;
      const roles = c.fields.find((f) => f.field === 'roles')?.to ?? 'none';
      const teams = c.fields.find((f) => f.field === 'teams')?.to ?? 'none';
      out.push(`plan: create agent ${c.upn} — roles ${roles}; teams ${teams} (${c.reason})`);
    } else if (change.kind === 'deactivateAgent') {
      out.push(`plan: deactivate agent #${String((change as AgentChange).agentId)} ${change.upn} — ${change.reason}`);
    } else if (change.kind === 'reassignTicket') {
      out.push(`plan: ticket #${change.ticketId} → ${change.reason}`);
    } else if (change.kind === 'updateAgent' || change.kind === 'createUser' || change.kind === 'addCabMember') {
      const manager = 'fields' in change ? change.fields.find((f) => f.field === 'linemanager') : undefined;
      if (manager) out.push(`plan: line manager of ${change.upn} → ${manager.to} (${manager.why})`);
      if (change.kind === 'addCabMember')
        out.push(`plan: ${change.upn} joins CAB "${change.cabName}" (${change.reason})`);
    }
  }
  return out;
}
