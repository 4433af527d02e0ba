import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  exampleActionWebhook,
  exampleApprovalWebhook,
  exampleEventOnlyWebhook,
} from '../../shared/automation/examples';
import { parseHaloWebhook, parseQueuedHaloEvent, summariseForQueue } from '../../shared/automation/haloWebhook';

function parse(document: unknown) {
  const body = JSON.stringify(document);
  const result = parseHaloWebhook(body);
  if (!result.ok) assert.fail(result.error);
  return { events: result.events, body };
}

describe('parseHaloWebhook', () => {
  it('normalises a full-object action delivery', () => {
    const { events, body } = parse(exampleActionWebhook);
    assert.deepEqual(events, [
      {
        deliveryId: exampleActionWebhook.id,
        webhookId: exampleActionWebhook.webhook_id,
        event: 'Action Added',
        kind: 'action',
        ticketId: 1001,
        actionId: 4,
        outcomeId: 30,
        outcomeName: 'Run Mailbox Quota Script',
        timestamp: '2024-05-01T10:00:00.1234567Z',
        rawSize: Buffer.byteLength(body),
      },
    ]);
  });

  it('knows whether an action carries an email only when the payload includes emailto', () => {
    const withAction = (action: Record<string, unknown>) =>
      parse({ ...exampleActionWebhook, action: { ...exampleActionWebhook.action, ...action } }).events[0]!;
    assert.equal(withAction({ emailto: 'ann@contoso.com' }).actionHasEmail, true);
    assert.equal(withAction({ emailto: '  ' }).actionHasEmail, false);
    assert.equal(withAction({ emailto: null }).actionHasEmail, false);
    assert.equal(parse(exampleActionWebhook).events[0]!.actionHasEmail, undefined);
    const queued = summariseForQueue(withAction({ emailto: '' }));
    assert.deepEqual(parseQueuedHaloEvent(JSON.stringify(queued)), { ok: true, event: queued });
  });

  it('reads approvals from the approval object and the event name', () => {
    const [event] = parse(exampleApprovalWebhook).events;
    assert.equal(event?.kind, 'approval');
    assert.equal(event?.ticketId, 1002);
    assert.equal(event?.approvalProcessId, 3);
    assert.equal(event?.stepId, 2);
    assert.equal(event?.approved, true);
    const [rejected] = parse({ ...exampleApprovalWebhook, event: 'Approval Step Rejected' }).events;
    assert.equal(rejected?.approved, false);
    const [unclear] = parse({ ...exampleApprovalWebhook, event: 'Approval Step Updated' }).events;
    assert.equal(unclear?.approved, undefined);
  });

  it('falls back to the ticket approval fields when there is no approval object', () => {
    const { approval: _omitted, ...rest } = exampleApprovalWebhook;
    const [event] = parse(rest).events;
    assert.equal(event?.kind, 'approval');
    assert.equal(event?.approvalProcessId, 3);
    assert.equal(event?.stepId, 2);
  });

  it('accepts event-information-only deliveries, with a numeric-string object id as the ticket', () => {
    const [event] = parse(exampleEventOnlyWebhook).events;
    assert.equal(event?.kind, 'ticket');
    assert.equal(event?.ticketId, 4242);
    assert.equal(event?.actionId, undefined);
  });

  it('accepts the small object with display-style string ids', () => {
    const [event] = parse({
      id: exampleActionWebhook.id,
      webhook_id: exampleActionWebhook.webhook_id,
      event: 'Action Added',
      object_id: '1001',
      action: { id: '5', ticket_id: '1001', outcome_id: '', outcome: 'Process Leaver' },
    }).events;
    assert.equal(event?.actionId, 5);
    assert.equal(event?.ticketId, 1001);
    assert.equal(event?.outcomeId, undefined);
    assert.equal(event?.outcomeName, 'Process Leaver');
  });

  it('accepts batches as an array and as {events: [...]}', () => {
    const batch = [exampleActionWebhook, exampleApprovalWebhook, exampleEventOnlyWebhook];
    const asArray = parse(batch).events;
    assert.deepEqual(
      asArray.map((e) => e.kind),
      ['action', 'approval', 'ticket'],
    );
    assert.equal(asArray[2]?.rawSize, Buffer.byteLength(JSON.stringify(exampleEventOnlyWebhook)));
    assert.deepEqual(parse({ events: batch }).events, asArray);
  });

  it('says where a delivery is wrong', () => {
    const missingId = parseHaloWebhook(JSON.stringify({ ...exampleActionWebhook, id: 'not-a-guid' }));
    assert.equal(missingId.ok, false);
    assert.match(!missingId.ok ? missingId.error : '', /^\$\.id: must be a GUID/);
    const badAction = parseHaloWebhook(
      JSON.stringify([exampleEventOnlyWebhook, { ...exampleActionWebhook, action: { id: 'four' } }]),
    );
    assert.match(!badAction.ok ? badAction.error : '', /\$\[1\]\.action\.id/);
    const inBatch = parseHaloWebhook(JSON.stringify({ events: [{ id: exampleActionWebhook.id }] }));
    assert.match(!inBatch.ok ? inBatch.error : '', /\$\.events\[0\]\.event/);
    const scalar = parseHaloWebhook('42');
    assert.match(!scalar.ok ? scalar.error : '', /must be a JSON object/);
  });

  it('refuses an empty batch: the delivery holds no events', () => {
    for (const [body, where] of [
      ['[]', '$'],
      ['{"events": []}', '$.events'],
    ] as const) {
      const result = parseHaloWebhook(body);
      assert.equal(result.ok, false, body);
      assert.equal(
        !result.ok && result.error,
        `${where}: the delivery holds no events: a batch must hold at least one`,
      );
    }
  });

  it('says for every field of a wrong type which field it is and what was expected there', () => {
    const error = (patch: Record<string, unknown>) => {
      const result = parseHaloWebhook(JSON.stringify({ ...exampleActionWebhook, ...patch }));
      assert.equal(result.ok, false, JSON.stringify(patch));
      return !result.ok ? result.error : '';
    };
    const object = { x: 1 };
    const cases: [Record<string, unknown>, string][] = [
      [{ id: 5 }, '$.id: must be a GUID (the delivery id)'],
      [{ id: object }, '$.id: must be a GUID (the delivery id)'],
      [{ id: undefined }, '$.id: is required: the delivery id (a GUID)'],
      [{ webhook_id: 7 }, '$.webhook_id: must be the webhook id (text)'],
      [{ event: 5 }, '$.event: must be the event name (text)'],
      [{ event: undefined }, '$.event: is required: the event name'],
      [{ event: ' ' }, '$.event: must not be empty: the event name'],
      [{ object_id: object }, '$.object_id: must be a ticket number'],
      [{ object_id: -1 }, '$.object_id: must be a ticket number'],
      [{ object_id: 1.5 }, '$.object_id: must be a ticket number'],
      [{ object_id: 'ten' }, '$.object_id: must be a ticket number'],
      [{ timestamp: 3 }, '$.timestamp: must be the event time (text)'],
      [{ ticket: 5 }, '$.ticket: must be the ticket (a JSON object)'],
      [{ ticket: { id: object } }, '$.ticket.id: must be a ticket number'],
      [
        { ticket: { approval_process_id: 'a' } },
        '$.ticket.approval_process_id: must be an approval process id (a number)',
      ],
      [
        { ticket: { approval_process_step: [] } },
        '$.ticket.approval_process_step: must be an approval step id (a number)',
      ],
      [{ action: [] }, '$.action: must be the action (a JSON object)'],
      [{ action: { id: true } }, '$.action.id: must be an action id (a number)'],
      [{ action: { ticket_id: object } }, '$.action.ticket_id: must be a ticket number'],
      [{ action: { outcome_id: 'x' } }, '$.action.outcome_id: must be an outcome id (a number)'],
      [{ action: { outcome: 5 } }, '$.action.outcome: must be the outcome name (text)'],
      [{ action: { emailto: 6 } }, "$.action.emailto: must be the action's email recipients (text)"],
      [{ approval: 'yes' }, '$.approval: must be the approval (a JSON object)'],
      [{ approval: { ticket_id: object } }, '$.approval.ticket_id: must be a ticket number'],
      [
        { approval: { approval_process_id: 'y' } },
        '$.approval.approval_process_id: must be an approval process id (a number)',
      ],
      [{ approval: { step_id: {} } }, '$.approval.step_id: must be an approval step id (a number)'],
    ];
    for (const [patch, expected] of cases) assert.equal(error(patch), expected, JSON.stringify(patch));
    assert.doesNotMatch(cases.map(([patch]) => error(patch)).join('\n'), /Invalid input|expected \w+, received/);
    // Batch containers name what they expected too.
    const notList = parseHaloWebhook('{"events": 5}');
    assert.equal(!notList.ok && notList.error, '$.events: must be an array of webhook events');
    const notEvent = parseHaloWebhook('[5]');
    assert.equal(!notEvent.ok && notEvent.error, '$[0]: must be a webhook event (a JSON object)');
  });

  it('reports malformed JSON with line and column', () => {
    const result = parseHaloWebhook('{\n  "id": "x",\n  "event": }');
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /not valid JSON at line 3, column 12/);
    const empty = parseHaloWebhook('  ');
    assert.match(!empty.ok ? empty.error : '', /body is empty/);
  });
});

describe('summariseForQueue', () => {
  it('keeps ids only and stays small however large the delivery', () => {
    const big = {
      ...exampleActionWebhook,
      ticket: { ...exampleActionWebhook.ticket, details: 'x'.repeat(200_000) },
      action: { ...exampleActionWebhook.action, outcome: 'O'.repeat(1000) },
    };
    const [event] = parse(big).events;
    assert.ok(event && event.rawSize > 200_000);
    const message = JSON.stringify(summariseForQueue(event));
    assert.ok(message.length < 1000, `queue message is ${message.length} chars`);
    assert.ok(!message.includes('xxxx'));
    const back = parseQueuedHaloEvent(message);
    assert.ok(back.ok);
    assert.equal(back.ok && back.event.actionId, 4);
    assert.equal(back.ok && back.event.outcomeName?.length, 200);
  });

  it('rejects a queue message that is not one, naming the field', () => {
    const result = parseQueuedHaloEvent('{"deliveryId":"d","event":"e","kind":"bogus","rawSize":1}');
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /\$\.kind/);
  });
});
