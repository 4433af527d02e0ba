import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { jobIdFor } from '../../shared/automation';
import { CHECKPOINTS, DEDUPE } from '../../shared/automation/useCases';
import { verifySignedJob } from '../../shared/jobs';
import { QUEUES } from '../../shared/storage';
import { actionsOf, basicAuth, clearJobs, haloRequests, peekJobs, postWebhook, ticket } from '../support/automation';

const PRIVATE_NOTE = 7;
const RUN_QUOTA_SCRIPT = 30;

// No worker here: jobs stay on jobs-default, so the tests can read the signed envelopes.
describe('script automation: webhook intake, routing, Halo queue and schedules', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      queues: { visibilityTimeout: '00:00:00.200', maxDequeueCount: 2 },
      config: (demo) => ({
        ...demo,
        scripts: [
          ...(demo.scripts as object[]),
          {
            name: 'quota',
            path: 'quota/set-quota.ps1',
            passing: 'scriptVariables',
            parameters: [
              { name: 'Mailbox', from: 'user.emailaddress' },
              { name: 'QuotaGB', from: 'ticket.customfields.MailboxQuotaGB' },
              { name: 'Company', from: 'client.name' },
              { name: 'Site', from: 'site.name' },
              { name: 'Mode', value: 'apply' },
            ],
            failureStatusId: 19,
          },
        ],
        triggers: { actions: [{ outcomeId: PRIVATE_NOTE, script: 'quota' }], approvals: [] },
        schedules: [{ name: 'hourly-hello', cron: '0 0 * * * *', script: 'hello', ticketId: 1004 }],
      }),
    });
  });
  after(async () => {
    await stack?.stop();
  });
  afterEach(async () => {
    stack.halo.faults.clear();
    await stack.runner.drain({ idleMs: 50 });
    await clearJobs(stack);
  });

  const eventsHandled = () => stack.runner.stats().haloEvents?.invocations ?? 0;
  const actionEvent = (ticketId: number, actionId: number, outcomeId = PRIVATE_NOTE) => ({
    id: randomUUID(),
    event: 'action added',
    object_id: ticketId,
    webhook_id: randomUUID(),
    action: { id: actionId, ticket_id: ticketId, outcome_id: outcomeId },
  });

  it('refuses missing or wrong Basic credentials with 401 and enqueues nothing', async () => {
    const before = eventsHandled();
    const body = actionEvent(1001, 90);
    const missing = await postWebhook(stack, body, { authorization: null });
    const wrong = await postWebhook(stack, body, { authorization: basicAuth(stack.webhook.username, 'not-the-pw') });
    assert.equal(missing.status, 401);
    assert.equal(wrong.status, 401);
    await stack.runner.drain({ idleMs: 100 });
    assert.equal(eventsHandled(), before);
    assert.equal(await stack.container.stores.dedupe.get(DEDUPE.webhookDelivery, body.id), undefined);
  });

  it('refuses malformed JSON and unknown shapes with 400 saying where, and enqueues nothing', async () => {
    const before = eventsHandled();
    const broken = await postWebhook(stack, '{"id": "x", "event": ');
    assert.equal(broken.status, 400);
    assert.match((broken.body as { error: string }).error, /not valid JSON at the end/);
    const unknown = await postWebhook(stack, { hello: 'world' });
    assert.equal(unknown.status, 400);
    assert.match((unknown.body as { error: string }).error, /\$\.id/);
    assert.match((unknown.body as { error: string }).error, /\$\.event/);
    const notGuid = await postWebhook(stack, { ...actionEvent(1001, 91), id: 'abc' });
    assert.match((notGuid.body as { error: string }).error, /\$\.id: must be a GUID/);
    await stack.runner.drain({ idleMs: 100 });
    assert.equal(eventsHandled(), before);
  });

  it('refuses an empty batch with 400: the delivery holds no events', async () => {
    const before = eventsHandled();
    for (const [body, where] of [
      [[], '$'],
      [{ events: [] }, '$.events'],
    ] as const) {
      const response = await postWebhook(stack, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(
        (response.body as { error: string }).error,
        `${where}: the delivery holds no events: a batch must hold at least one`,
      );
    }
    await stack.runner.drain({ idleMs: 100 });
    assert.equal(eventsHandled(), before);
  });

  it('names the wrong-typed field and what it expected, not "Invalid input"', async () => {
    const objectId = await postWebhook(stack, { ...actionEvent(1001, 92), object_id: { x: 1 } });
    assert.equal(objectId.status, 400);
    assert.equal((objectId.body as { error: string }).error, '$.object_id: must be a ticket number');
    const id = await postWebhook(stack, { ...actionEvent(1001, 93), id: 5 });
    assert.equal(id.status, 400);
    assert.equal((id.body as { error: string }).error, '$.id: must be a GUID (the delivery id)');
  });

  it('refuses a body over 1 MB with 413 before parsing it, by Content-Length or while streaming', async () => {
    const before = eventsHandled();
    // Not JSON at all: a 400 "not valid JSON" would mean it was parsed.
    const declared = await postWebhook(stack, 'x'.repeat(1_500_000));
    assert.equal(declared.status, 413);
    assert.match((declared.body as { error: string }).error, /^request body too large: Content-Length 1500000 .*1 MB/);
    const chunked = await fetch(stack.webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: basicAuth(stack.webhook.username, stack.webhook.password),
      },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(100_000)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    assert.match(((await chunked.json()) as { error: string }).error, /^request body too large: the body is over/);
    // Credentials are still checked first.
    const anonymous = await postWebhook(stack, 'x'.repeat(1_500_000), { authorization: null });
    assert.equal(anonymous.status, 401);
    // A large but allowed delivery is still accepted.
    const big = await postWebhook(stack, { ...actionEvent(1001, 94), details: 'z'.repeat(900_000) });
    assert.equal(big.status, 202);
    await stack.runner.drain({ idleMs: 100 });
    assert.equal(eventsHandled(), before + 2, 'the accepted delivery and its poll request only');
  });

  it('an action event becomes one signed job with parameters from the ticket, client, site and user', async () => {
    stack.halo.resetCounters();
    const { action, deliveries } = await stack.halo.agentAddsAction({ ticket_id: 1001, outcome_id: PRIVATE_NOTE });
    assert.equal(deliveries[0]?.responsestatus, 202);
    await stack.runner.drain({ idleMs: 100 });

    const jobs = await peekJobs(stack);
    assert.equal(jobs.length, 1);
    const verified = verifySignedJob(jobs[0], { publicKeys: [stack.jobPublicKey], now: new Date() });
    assert.ok(verified.ok, 'signed with the cloud key');
    const job = verified.job;
    assert.equal(job.jobId, jobIdFor(`haloAction:1001:${action?.id}:quota`));
    assert.equal(job.script, 'quota/set-quota.ps1');
    assert.equal(job.passing, 'scriptVariables');
    assert.equal(job.ticketId, 1001);
    assert.deepEqual(job.source, { kind: 'haloAction', ref: `1001:${action?.id}` });
    assert.deepEqual(job.parameters, {
      Mailbox: 'megan.bowen@contoso.com',
      QuotaGB: 100,
      Company: 'Contoso Ltd',
      Site: 'Main',
      Mode: 'apply',
    });
    assert.equal((await stack.container.stores.jobs.get(job.jobId))?.status, 'queued');
    // The ticket's linked records: one request each.
    assert.equal(haloRequests(stack, 'GET', '/Client/10'), 1);
    assert.equal(haloRequests(stack, 'GET', '/Site/10'), 1);
    assert.equal(haloRequests(stack, 'GET', '/Users/201'), 1);
  });

  it("Halo's re-sent delivery enqueues nothing, and a retried event does not queue the job twice", async () => {
    const body = actionEvent(1001, 1);
    const first = await postWebhook(stack, body);
    assert.equal(first.status, 202);
    assert.deepEqual(first.body, { accepted: 1, duplicates: 0, inProgress: 0, pollRequested: true });
    await stack.runner.drain({ idleMs: 100 });
    const handled = eventsHandled();
    const again = await postWebhook(stack, body);
    assert.equal(again.status, 202);
    assert.deepEqual(again.body, { accepted: 0, duplicates: 1, inProgress: 0, pollRequested: false });
    // The same action in a new delivery (e.g. Halo's "full" and "small" webhooks both firing): same job id.
    await postWebhook(stack, { ...body, id: randomUUID() });
    await stack.runner.drain({ idleMs: 100 });
    assert.equal(eventsHandled(), handled + 2, 'the new delivery and its poll request only');
    assert.equal((await peekJobs(stack)).length, 1);
  });

  it('a mapping that cannot be resolved records a failed job and tells the ticket, without queueing', async () => {
    const notesBefore = actionsOf(stack, 1004).length;
    const { action } = await stack.halo.agentAddsAction({ ticket_id: 1004, outcome_id: PRIVATE_NOTE });
    await stack.runner.drain({ idleMs: 100 });
    assert.equal((await peekJobs(stack)).length, 0);
    const record = await stack.container.stores.jobs.get(jobIdFor(`haloAction:1004:${action?.id}:quota`));
    assert.equal(record?.status, 'failed');
    assert.match(record?.error ?? '', /parameter "QuotaGB" \(from ticket\.customfields\.MailboxQuotaGB\)/);
    const notes = actionsOf(stack, 1004)
      .slice(notesBefore)
      .filter((a) => a.hiddenfromuser === true);
    assert.equal(notes.length, 1);
    assert.equal(ticket(stack, 1004).status_id, 19);
  });

  it("Halo's queue: a queued record makes one job however often it is polled; an unmappable record is refused", async () => {
    const { scriptRun } = await stack.halo.agentAddsAction({ ticket_id: 1003, outcome_id: RUN_QUOTA_SCRIPT });
    assert.ok(scriptRun);
    await stack.runner.drain({ idleMs: 100 });
    await stack.runner.runTimer('haloScriptQueuePoll');
    await stack.runner.runTimer('haloScriptQueuePoll');
    const jobs = (await peekJobs(stack)).filter((j) => j.job.source.kind === 'haloScriptQueue');
    assert.equal(jobs.length, 1);
    const job = jobs[0]!.job;
    assert.equal(job.jobId, jobIdFor(`haloScriptQueue:${scriptRun.id}`));
    assert.equal(job.script, 'mailbox-quota.ps1');
    assert.equal(job.passing, 'namedParameters');
    assert.deepEqual(job.parameters, { TicketId: 1003, Mailbox: 'olive.timer@nwtraders.net' });
    assert.equal(stack.halo.store.tables.scriptRuns.get(scriptRun.id as number)?.processed, false);

    // A script whose passing method this bridge does not know.
    stack.halo.store.tables.scripts.set(77, { id: 77, name: 'Odd', location: 'odd.ps1', method: 7 });
    stack.halo.store.tables.scriptRuns.set(9001, { id: 9001, pssid: 77, faultid: 1003, processed: false });
    await stack.runner.runTimer('haloScriptQueuePoll');
    const refused = stack.halo.store.tables.scriptRuns.get(9001);
    assert.equal(refused?.processed, true);
    assert.equal(refused?.success, false);
    assert.match(String(refused?.result_message), /PowerShellScript 77 uses method 7, absent from methodMap/);
  });

  it('a due schedule makes one job for its occurrence', async () => {
    const { checkpoints } = stack.container.stores;
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
    await checkpoints.put(
      CHECKPOINTS.scope,
      CHECKPOINTS.scheduleLastRuns,
      JSON.stringify({ 'hourly-hello': twoHoursAgo }),
    );
    await stack.runner.runTimer('scriptSchedules');
    await stack.runner.runTimer('scriptSchedules');
    const jobs = await peekJobs(stack);
    assert.equal(jobs.length, 1);
    const job = jobs[0]!.job;
    assert.equal(job.source.kind, 'schedule');
    assert.match(job.source.ref, /^hourly-hello@\d{4}-\d\d-\d\dT\d\d:00:00\.000Z$/);
    assert.deepEqual(job.parameters, { TicketId: 1004, Summary: 'Printer offline' });
    const stored = JSON.parse((await checkpoints.get(CHECKPOINTS.scope, CHECKPOINTS.scheduleLastRuns))!.value);
    assert.equal(stored['hourly-hello'], job.source.ref.split('@')[1]);
  });

  /** A queued job for the demo's hello script on ticket 1002, as the event consumer would have recorded it. */
  async function seedQueuedHelloJob(jobId: string, expiresAt: Date) {
    const script = stack.container.config.scripts.find((s) => s.name === 'hello')!;
    await stack.container.stores.dedupe.claim(DEDUPE.job, jobId, {
      script,
      source: { kind: 'manual', ref: 'test' },
      ticketId: 1002,
      expiresAt: expiresAt.toISOString(),
      applyTicketChanges: true,
    });
    await stack.container.stores.jobs.create({
      id: jobId,
      status: 'queued',
      group: 'default',
      script: 'hello.sh',
      ticketId: 1002,
      source: 'manual:test',
    });
    return script;
  }

  it('a queued job past its expiry becomes expired, with a note on the ticket', async () => {
    const { jobs } = stack.container.stores;
    const jobId = 'job-expiry-test';
    await seedQueuedHelloJob(jobId, new Date(Date.now() - 3 * 60_000));
    const notesBefore = actionsOf(stack, 1002).length;
    await stack.runner.runTimer('jobExpiry');
    await stack.runner.runTimer('jobExpiry');
    assert.equal((await jobs.get(jobId))?.status, 'expired');
    const notes = actionsOf(stack, 1002).slice(notesBefore);
    assert.equal(notes.length, 1);
    assert.match(String(notes[0]?.note_html), /Script &quot;hello&quot; did not run: no worker of group/);
  });

  it('a running job whose worker went silent past its timeout becomes interrupted, with a note', async () => {
    const { jobs } = stack.container.stores;
    const jobId = 'job-silent-worker-test';
    const script = await seedQueuedHelloJob(jobId, new Date(Date.now() + 3_600_000));
    const longAgo = new Date(Date.now() - (script.timeoutSeconds * 1000 + 11 * 60_000)).toISOString();
    await jobs.transition(jobId, {
      from: ['queued'],
      to: 'running',
      patch: { workerId: 'srv-gone', startedAt: longAgo },
    });
    const recentId = 'job-still-running-test';
    await seedQueuedHelloJob(recentId, new Date(Date.now() + 3_600_000));
    await jobs.transition(recentId, {
      from: ['queued'],
      to: 'running',
      patch: { startedAt: new Date().toISOString() },
    });
    const notesBefore = actionsOf(stack, 1002).length;
    await stack.runner.runTimer('jobExpiry');
    await stack.runner.runTimer('jobExpiry');
    assert.equal((await jobs.get(jobId))?.status, 'interrupted');
    assert.equal((await jobs.get(recentId))?.status, 'running');
    const notes = actionsOf(stack, 1002).slice(notesBefore);
    assert.equal(notes.length, 1);
    assert.match(String(notes[0]?.note_html), /was interrupted: worker &quot;srv-gone&quot; started the job/);
  });

  it('an event that keeps failing is given up after the last delivery, recorded with its error, and its job shows failed', async () => {
    stack.halo.faults.add({ method: 'GET', path: '/api/Tickets/1002', effect: { kind: 'status', status: 400 } });
    const { action } = await stack.halo.agentAddsAction({ ticket_id: 1002, outcome_id: PRIVATE_NOTE });
    await stack.runner.drain({ idleMs: 100 });
    // Recorded by the last delivery itself: nothing is left for the poison queue.
    assert.equal(stack.runner.stats().haloEvents?.poisoned ?? 0, 0);
    const record = await stack.container.stores.jobs.get(jobIdFor(`haloAction:1002:${action?.id}:quota`));
    assert.equal(record?.status, 'failed');
    assert.match(
      record?.error ?? '',
      /the Halo event was not processed .*failed on all 2 deliveries; last error: .*400/,
    );
    const failures = await stack.container.stores.queueFailures.list(QUEUES.haloEvents);
    const failure = failures.find((f) => f.preview.includes(`"actionId":${action?.id}`));
    assert.equal(failure?.kind, 'exhausted');
    assert.equal(failure?.replayable, true);
    assert.equal((await peekJobs(stack)).length, 0);
  });
});
