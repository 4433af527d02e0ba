import { notFound, validationError } from './simError';
import { denormaliseTicket, type HaloSimStore } from './store';
import type { Rec } from './types';
import { haloTimestamp } from './webhooks';

export interface ActionOutcome {
  action: Rec;
  statusChanged: boolean;
  scriptRun?: Rec;
}

/**
 * Adds an action to a ticket as Halo does: an outcome is required, ids count per ticket, `new_status` (or the
 * outcome's own `newstatus`) moves the ticket, and an outcome whose system use is "Queue PowerShell Script"
 * (`script_id`) queues a PowerShellScriptProcessing run.
 */
export function addAction(store: HaloSimStore, draft: Record<string, unknown>, who: Rec, now: Date): ActionOutcome {
  const ticketId = Number(draft.ticket_id);
  const ticket = store.tables.tickets.get(ticketId);
  if (!ticket) throw notFound(`Ticket ${draft.ticket_id}`);
  const outcome =
    draft.outcome_id !== undefined && draft.outcome_id !== null
      ? store.tables.outcomes.get(Number(draft.outcome_id))
      : [...store.tables.outcomes.values()].find(
          (o) => typeof draft.outcome === 'string' && String(o.outcome).toLowerCase() === draft.outcome.toLowerCase(),
        );
  if (!outcome) throw validationError('An Outcome must be entered for this Action');

  const id = 1 + Math.max(0, ...store.actions.filter((a) => a.ticket_id === ticketId).map((a) => a.id));
  const newStatus = (draft.new_status ?? outcome.newstatus) as number | undefined;
  const { _dont_fire_automations: _ignored, ...fields } = draft;
  // Halo's action records always carry the email fields (empty when the action sent no email).
  const action: Rec = {
    emailto: '',
    emailcc: '',
    ...fields,
    id,
    ticket_id: ticketId,
    outcome_id: outcome.id,
    outcome: outcome.outcome,
    who: who.name,
    who_agentid: who.id,
    datetime: haloTimestamp(now),
    note: draft.note ?? (typeof draft.note_html === 'string' ? draft.note_html.replace(/<[^>]*>/g, '') : ''),
  };
  store.actions.push(action);
  ticket.lastactiondate = action.datetime;

  let statusChanged = false;
  if (newStatus && newStatus !== ticket.status_id) {
    if (!store.tables.statuses.has(Number(newStatus))) throw validationError(`Invalid status ${newStatus}`);
    ticket.status_id = Number(newStatus);
    denormaliseTicket(store, ticket);
    statusChanged = true;
  }
  const scriptId = outcome.script_id as number | undefined;
  const scriptRun = scriptId ? queueScriptRun(store, scriptId, ticket, now) : undefined;
  return { action, statusChanged, scriptRun };
}

/** Queues a script run for a ticket, with the script's field mappings resolved into `execution_parameters`. */
export function queueScriptRun(store: HaloSimStore, scriptId: number, ticket: Rec, now: Date): Rec {
  const script = store.tables.scripts.get(scriptId);
  if (!script) throw notFound(`PowerShellScript ${scriptId}`);
  const mappings = Array.isArray(script.fieldmappings_powershell) ? (script.fieldmappings_powershell as Rec[]) : [];
  const execution_parameters: Record<string, unknown> = {};
  for (const mapping of mappings) {
    const name = String(mapping.parametername ?? '');
    if (name) execution_parameters[name] = resolveField(store, ticket, String(mapping.finame ?? ''));
  }
  const run: Rec = {
    id: store.nextId('scriptRuns'),
    pssid: scriptId,
    script_name: script.name,
    faultid: ticket.id,
    processed: false,
    success: false,
    result_message: '',
    run_date: haloTimestamp(now),
    execution_parameters,
    failactionadded: false,
  };
  store.tables.scriptRuns.set(run.id, run);
  return run;
}

const TICKET_ALIASES: Record<string, string> = { faultid: 'id', symptom: 'summary', areaid: 'client_id' };

/**
 * A mapping's `finame` → value. Our convention (Halo's own field identifiers are UNCONFIRMED): a ticket field
 * (`summary`, `user_email`, or the SQL names `faultid`/`symptom`), `CF<name>` for a ticket custom field, or
 * `user.<field>` / `client.<field>` / `site.<field>` for the ticket's linked records.
 */
export function resolveField(store: HaloSimStore, ticket: Rec, finame: string): unknown {
  const lower = finame.toLowerCase();
  const [scope, rest] = lower.includes('.') ? (lower.split('.', 2) as [string, string]) : ['ticket', lower];
  const linked: Record<string, Rec | undefined> = {
    ticket,
    user: store.tables.users.get(Number(ticket.user_id)),
    client: store.tables.clients.get(Number(ticket.client_id)),
    site: store.tables.sites.get(Number(ticket.site_id)),
  };
  const record = linked[scope];
  if (!record) return null;
  if (rest.startsWith('cf') && !(rest in record)) {
    const fields = Array.isArray(record.customfields) ? (record.customfields as Rec[]) : [];
    const field = fields.find((f) => String(f.name ?? '').toLowerCase() === rest.slice(2));
    return field?.value ?? null;
  }
  const key = scope === 'ticket' ? (TICKET_ALIASES[rest] ?? rest) : rest;
  const match = Object.keys(record).find((k) => k.toLowerCase() === key);
  return match === undefined ? null : (record[match] ?? null);
}

/**
 * Approves a ticket's approval step. When the step names a script (`pssid`, as ApprovalProcessStep does), its run
 * is queued like an action's.
 */
export function approveStep(
  store: HaloSimStore,
  input: { ticketId: number; stepId?: number },
  now: Date,
): { approval: Rec; scriptRun?: Rec } {
  const ticket = store.tables.tickets.get(input.ticketId);
  if (!ticket) throw notFound(`Ticket ${input.ticketId}`);
  const process = store.tables.approvalProcesses.get(Number(ticket.approval_process_id));
  if (!process) throw validationError(`Ticket ${input.ticketId} has no approval process`);
  const steps = Array.isArray(process.steps) ? (process.steps as Rec[]) : [];
  const stepId = input.stepId ?? Number(ticket.approval_process_step ?? steps[0]?.id);
  const step = steps.find((s) => s.id === stepId);
  if (!step) throw validationError(`Approval step ${stepId} not found`);
  ticket.approval_process_step = step.id;
  const approval: Rec = {
    id: step.id,
    ticket_id: ticket.id,
    approval_process_id: process.id,
    step_id: step.id,
    step_name: step.name,
    result: 'approved',
  };
  const scriptRun = step.pssid ? queueScriptRun(store, Number(step.pssid), ticket, now) : undefined;
  return { approval, scriptRun };
}
