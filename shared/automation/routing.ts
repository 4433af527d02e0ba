import type { ScriptConfig, TriggersConfig } from '../config/integration/scripts';
import type { HaloEvent } from './haloWebhook';
import type { ScriptRunRequest } from './types';

export interface RoutingConfig {
  readonly scripts: readonly ScriptConfig[];
  readonly triggers: TriggersConfig;
}

export interface RouteResult {
  readonly requests: ScriptRunRequest[];
  /** Why nothing (or less than everything) ran: safe to log, names ids only. */
  readonly reasons: string[];
}

type RoutableEvent = Pick<
  HaloEvent,
  'kind' | 'ticketId' | 'actionId' | 'outcomeId' | 'outcomeName' | 'approvalProcessId' | 'stepId' | 'approved'
>;

/**
 * Decides which scripts a Halo event runs. Actions match `triggers.actions` by outcome id when both sides have
 * one, else by outcome name (case-insensitive); approved approval steps match `triggers.approvals`. Each matching
 * trigger gives one request whose dedupeKey names the ticket, the action or step and the script, so a redelivery
 * of the same webhook maps to the same job.
 */
export function routeEvent(event: RoutableEvent, config: RoutingConfig): RouteResult {
  if (event.kind === 'action') return routeAction(event, config);
  if (event.kind === 'approval') return routeApproval(event, config);
  return { requests: [], reasons: [`a ${event.kind} event runs no script`] };
}

function routeAction(event: RoutableEvent, config: RoutingConfig): RouteResult {
  if (event.ticketId === undefined || event.actionId === undefined) {
    return {
      requests: [],
      reasons: [
        'action event without ticket and action ids (use a "small" or "full object" payload, not "event information only")',
      ],
    };
  }
  if (event.outcomeId === undefined && event.outcomeName === undefined) {
    return { requests: [], reasons: [`action ${event.ticketId}/${event.actionId} carries no outcome`] };
  }
  const matching = config.triggers.actions.filter((trigger) => {
    if (trigger.outcomeId !== undefined && event.outcomeId !== undefined) return trigger.outcomeId === event.outcomeId;
    return trigger.outcome !== undefined && sameName(trigger.outcome, event.outcomeName);
  });
  const outcome = event.outcomeId !== undefined ? `outcome ${event.outcomeId}` : `outcome "${event.outcomeName}"`;
  if (matching.length === 0) return { requests: [], reasons: [`${outcome} has no script trigger`] };
  return build(
    matching.map((t) => t.script),
    config,
    (script) => ({
      script,
      ticketId: event.ticketId,
      source: { kind: 'haloAction', ref: `${event.ticketId}:${event.actionId}` },
      dedupeKey: `haloAction:${event.ticketId}:${event.actionId}:${script.name}`,
    }),
  );
}

function routeApproval(event: RoutableEvent, config: RoutingConfig): RouteResult {
  if (event.approved !== true) {
    const verdict = event.approved === false ? 'was not approved' : 'does not say it was approved';
    return { requests: [], reasons: [`approval event ${verdict}`] };
  }
  if (event.ticketId === undefined || event.approvalProcessId === undefined) {
    return { requests: [], reasons: ['approval event without ticket id or approval process id'] };
  }
  const matching = config.triggers.approvals.filter(
    (t) => t.approvalProcessId === event.approvalProcessId && (t.stepId === undefined || t.stepId === event.stepId),
  );
  const step = `approval process ${event.approvalProcessId} step ${event.stepId ?? '(unknown)'}`;
  if (matching.length === 0) return { requests: [], reasons: [`${step} has no script trigger`] };
  const ref = `${event.ticketId}:${event.approvalProcessId}:${event.stepId ?? 0}`;
  return build(
    matching.map((t) => t.script),
    config,
    (script) => ({
      script,
      ticketId: event.ticketId,
      source: { kind: 'haloApproval', ref },
      dedupeKey: `haloApproval:${ref}:${script.name}`,
    }),
  );
}

function build(
  scriptNames: string[],
  config: RoutingConfig,
  toRequest: (script: ScriptConfig) => ScriptRunRequest,
): RouteResult {
  const requests: ScriptRunRequest[] = [];
  const reasons: string[] = [];
  for (const name of new Set(scriptNames)) {
    const script = config.scripts.find((s) => s.name === name);
    if (script) requests.push(toRequest(script));
    else reasons.push(`trigger names unknown script "${name}"`);
  }
  return { requests, reasons };
}

function sameName(a: string, b: string | undefined): boolean {
  return b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
}
