import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildJob, jobIdFor } from '../../shared/automation/buildJob';
import { exampleConfig } from '../../shared/automation/examples';
import type { ScriptRunRequest } from '../../shared/automation/types';

const newStarter = exampleConfig.scripts.find((s) => s.name === 'new-starter')!;
const request: ScriptRunRequest = {
  script: newStarter,
  ticketId: 1002,
  source: { kind: 'haloApproval', ref: '1002:3:2' },
  dedupeKey: 'haloApproval:1002:3:2:new-starter',
};
const now = new Date('2024-05-01T11:00:05Z');

describe('buildJob', () => {
  it('builds the unsigned job from the request, its script and the resolved parameters', () => {
    const result = buildJob(request, { now, parameters: { FirstName: 'Jo', InitialPassword: 'pw-123456' } });
    assert.ok(result.ok, !result.ok ? result.problems.join() : '');
    assert.deepEqual(result.job, {
      v: 1,
      jobId: jobIdFor(request.dedupeKey),
      script: 'new-starter.ps1',
      parameters: { FirstName: 'Jo', InitialPassword: 'pw-123456' },
      secretParameters: ['InitialPassword'],
      passing: 'namedParameters',
      ticketId: 1002,
      source: { kind: 'haloApproval', ref: '1002:3:2' },
      idempotent: false,
      notBefore: '2024-05-01T11:00:05.000Z',
      expiresAt: '2024-05-01T12:00:05.000Z',
      timeoutSeconds: 600,
      workerGroup: 'default',
    });
  });

  it('gives a retry of the same trigger the same job id, and another trigger another', () => {
    const first = buildJob(request, { now });
    const retry = buildJob(request, { now: new Date(now.getTime() + 60_000) });
    const other = buildJob({ ...request, dedupeKey: 'haloApproval:1002:3:3:new-starter' }, { now });
    assert.ok(first.ok && retry.ok && other.ok);
    assert.equal(first.job.jobId, retry.job.jobId);
    assert.notEqual(first.job.jobId, other.job.jobId);
    assert.match(first.job.jobId, /^job-[0-9a-f]{32}$/);
  });

  it('merges request parameters under resolved ones and applies the defaults', () => {
    const result = buildJob(
      { ...request, ticketId: undefined, parameters: { Mode: 'sweep', FirstName: 'old' } },
      { now, parameters: { FirstName: 'new' }, defaults: { notBeforeDelaySeconds: 30, expiresAfterSeconds: 120 } },
    );
    assert.ok(result.ok);
    assert.deepEqual(result.job.parameters, { Mode: 'sweep', FirstName: 'new' });
    assert.equal(result.job.secretParameters, undefined, 'only secret names that are present');
    assert.equal(result.job.ticketId, undefined);
    assert.equal(result.job.notBefore, '2024-05-01T11:00:35.000Z');
    assert.equal(result.job.expiresAt, '2024-05-01T11:02:35.000Z');
  });

  it('refuses what the envelope would refuse, with the path', () => {
    const result = buildJob(request, { now, parameters: { Name: 'a', NAME: 'b' } });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.problems.join('\n') : '', /job\.parameters\.NAME: differs .* only by case/);
  });
});
