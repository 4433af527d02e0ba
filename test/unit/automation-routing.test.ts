import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleActionWebhook, exampleApprovalWebhook, exampleConfig } from '../../shared/automation/examples';
import { type HaloEvent, parseHaloWebhook } from '../../shared/automation/haloWebhook';
import { routeEvent } from '../../shared/automation/routing';

function eventOf(document: unknown): HaloEvent {
  const result = parseHaloWebhook(JSON.stringify(document));
  if (!result.ok || result.events.length !== 1) assert.fail(JSON.stringify(result));
  return result.events[0] as HaloEvent;
}

describe('routeEvent', () => {
  it('routes an action by outcome id to its script with an idempotent dedupe key', () => {
    const { requests, reasons } = routeEvent(eventOf(exampleActionWebhook), exampleConfig);
    assert.deepEqual(reasons, []);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]?.script.name, 'mailbox-quota');
    assert.equal(requests[0]?.ticketId, 1001);
    assert.deepEqual(requests[0]?.source, { kind: 'haloAction', ref: '1001:4' });
    assert.equal(requests[0]?.dedupeKey, 'haloAction:1001:4:mailbox-quota');
    const again = routeEvent(
      eventOf({ ...exampleActionWebhook, id: '11111111-2222-4333-8444-555555555555' }),
      exampleConfig,
    );
    assert.equal(again.requests[0]?.dedupeKey, requests[0]?.dedupeKey, 'a redelivery maps to the same key');
  });

  it('routes an action by outcome name, case-insensitively, when the payload has no outcome id', () => {
    const event = eventOf({ ...exampleActionWebhook, action: { id: 9, ticket_id: 1003, outcome: ' process LEAVER ' } });
    const { requests } = routeEvent(event, exampleConfig);
    assert.deepEqual(
      requests.map((r) => [r.script.name, r.dedupeKey]),
      [['leaver', 'haloAction:1003:9:leaver']],
    );
  });

  it('treats outcome ids as authoritative over names', () => {
    const event = eventOf({
      ...exampleActionWebhook,
      action: { id: 9, ticket_id: 1003, outcome_id: 77, outcome: 'Run Mailbox Quota Script' },
    });
    const { requests, reasons } = routeEvent(event, exampleConfig);
    assert.equal(requests.length, 0);
    assert.deepEqual(reasons, ['outcome 77 has no script trigger']);
  });

  it('runs nothing for unknown outcomes and event-only action deliveries, saying why', () => {
    const unknown = routeEvent(
      eventOf({ ...exampleActionWebhook, action: { id: 5, ticket_id: 1001, outcome_id: 7 } }),
      exampleConfig,
    );
    assert.deepEqual(unknown, { requests: [], reasons: ['outcome 7 has no script trigger'] });
    const eventOnly = routeEvent(
      eventOf({ id: exampleActionWebhook.id, event: 'Action Added', object_id: 1001 }),
      exampleConfig,
    );
    assert.equal(eventOnly.requests.length, 0);
    assert.match(eventOnly.reasons[0] ?? '', /event information only/);
  });

  it('routes an approved step of a configured approval process', () => {
    const { requests } = routeEvent(eventOf(exampleApprovalWebhook), exampleConfig);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]?.script.name, 'new-starter');
    assert.equal(requests[0]?.dedupeKey, 'haloApproval:1002:3:2:new-starter');
    assert.deepEqual(requests[0]?.source, { kind: 'haloApproval', ref: '1002:3:2' });
  });

  it('ignores other steps, rejections and unclear approval events', () => {
    const otherStep = eventOf({
      ...exampleApprovalWebhook,
      approval: { ...exampleApprovalWebhook.approval, step_id: 1 },
    });
    assert.deepEqual(routeEvent(otherStep, exampleConfig).reasons, ['approval process 3 step 1 has no script trigger']);
    const rejected = eventOf({ ...exampleApprovalWebhook, event: 'Approval Step Rejected' });
    assert.deepEqual(routeEvent(rejected, exampleConfig), {
      requests: [],
      reasons: ['approval event was not approved'],
    });
    const unclear = eventOf({ ...exampleApprovalWebhook, event: 'Approval updated' });
    assert.equal(routeEvent(unclear, exampleConfig).requests.length, 0);
  });

  it('matches any step when the trigger names none, and several triggers give several requests', () => {
    const config = {
      ...exampleConfig,
      triggers: {
        actions: [],
        approvals: [
          { approvalProcessId: 3, script: 'leaver' },
          { approvalProcessId: 3, stepId: 2, script: 'new-starter' },
          { approvalProcessId: 3, script: 'missing' },
        ],
      },
    };
    const { requests, reasons } = routeEvent(eventOf(exampleApprovalWebhook), config);
    assert.deepEqual(
      requests.map((r) => r.script.name),
      ['leaver', 'new-starter'],
    );
    assert.deepEqual(reasons, ['trigger names unknown script "missing"']);
  });

  it('runs nothing for ticket events', () => {
    const result = routeEvent({ kind: 'ticket', ticketId: 5 }, exampleConfig);
    assert.deepEqual(result, { requests: [], reasons: ['a ticket event runs no script'] });
  });
});
