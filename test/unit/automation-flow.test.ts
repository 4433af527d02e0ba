import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildJob,
  evaluateResult,
  nextJobStatus,
  parseHaloWebhook,
  parseQueuedHaloEvent,
  requiredReads,
  resolveParameters,
  routeEvent,
  summariseForQueue,
} from '../../shared/automation';
import { exampleApprovalWebhook, exampleConfig, exampleNewStarterData } from '../../shared/automation/examples';
import { generateSigningKeyPair, signJob, verifySignedJob } from '../../shared/jobs';

describe('script automation, webhook to ticket update (pure steps chained)', () => {
  it('turns an approved new-starter step into a signed job and its result into a ticket update', () => {
    const parsed = parseHaloWebhook(JSON.stringify(exampleApprovalWebhook));
    assert.ok(parsed.ok);
    const queued = parseQueuedHaloEvent(JSON.stringify(summariseForQueue(parsed.events[0]!)));
    assert.ok(queued.ok);

    const { requests } = routeEvent(queued.event, exampleConfig);
    assert.equal(requests.length, 1);
    const request = requests[0]!;
    assert.deepEqual(requiredReads(request.script.parameters), { client: true, site: true, user: true });
    const resolved = resolveParameters(request.script.parameters, exampleNewStarterData);
    assert.ok(resolved.ok);

    const now = new Date('2024-05-01T11:00:05Z');
    const built = buildJob(request, { now, parameters: resolved.parameters });
    assert.ok(built.ok);
    const keys = generateSigningKeyPair();
    const verified = verifySignedJob(JSON.parse(JSON.stringify(signJob(built.job, keys.privateKey))), {
      publicKeys: [keys.publicKey],
      now,
    });
    assert.ok(verified.ok, !verified.ok ? verified.detail : '');
    assert.deepEqual(verified.job.secretParameters, ['InitialPassword']);

    const evaluation = evaluateResult(
      {
        status: 'failed',
        stdout: `Using ${resolved.parameters.InitialPassword}\nAD unreachable`,
        stderr: '',
        exitCode: 1,
      },
      request.script,
      { source: verified.job.source, secrets: [String(resolved.parameters.InitialPassword)] },
    );
    assert.equal(evaluation.outcome, 'failure');
    assert.deepEqual(evaluation.ticketUpdate, { statusId: 19 });
    assert.ok(!evaluation.action?.note.includes('Welcome-2024!x'));
    assert.equal(nextJobStatus('running', { type: 'finished', status: evaluation.jobStatus }), 'failed');
    assert.equal(nextJobStatus('failed', { type: 'finished', status: evaluation.jobStatus }), 'ignored');
  });
});
