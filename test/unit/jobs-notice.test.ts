import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeQueueMessage,
  encodeQueueMessage,
  exportPublicKey,
  generateSigningKeyPair,
  isNoticeMessage,
  type StartedNotice,
  signNotice,
  signResult,
  verifySignedJob,
  verifySignedNotice,
  verifySignedResult,
} from '../../shared/jobs';
import { signPayload } from '../../shared/jobs/signing';

const worker = generateSigningKeyPair();
const other = generateSigningKeyPair();
const registered = { 'srv-01': exportPublicKey(worker.publicKey), 'srv-02': exportPublicKey(other.publicKey) };
const notice: StartedNotice = {
  v: 1,
  kind: 'started',
  jobId: 'job-1',
  workerId: 'srv-01',
  startedAt: '2025-05-01T12:00:00.000Z',
};
const reasonOf = (check: { ok: boolean; reason?: string }) => (check.ok ? 'ok' : check.reason);

describe('started notice envelope', () => {
  it('accepts a registered worker’s notice, also after a queue round trip', () => {
    const decoded = decodeQueueMessage(encodeQueueMessage(signNotice(notice, worker.privateKey)));
    assert.ok(decoded.ok);
    assert.equal(isNoticeMessage(decoded.value), true);
    const verified = verifySignedNotice(decoded.value, new Map([['srv-01', worker.publicKey]]));
    assert.ok(verified.ok, !verified.ok ? verified.detail : '');
    assert.deepEqual(verified.notice, notice);
  });

  it('rejects a tampered notice, an unknown worker and another worker’s key', () => {
    const signed = signNotice(notice, worker.privateKey);
    for (const change of [{ jobId: 'job-2' }, { startedAt: '2025-05-01T12:00:01.000Z' }, { workerId: 'srv-02' }]) {
      const tampered = verifySignedNotice({ ...signed, notice: { ...signed.notice, ...change } }, registered);
      assert.equal(reasonOf(tampered), 'badSignature', JSON.stringify(change));
    }
    const unknown = verifySignedNotice(signNotice({ ...notice, workerId: 'srv-99' }, worker.privateKey), registered);
    assert.equal(reasonOf(unknown), 'unknownWorker');
    const proto = verifySignedNotice(signNotice({ ...notice, workerId: 'constructor' }, worker.privateKey), registered);
    assert.equal(reasonOf(proto), 'unknownWorker');
    assert.equal(reasonOf(verifySignedNotice(signNotice(notice, other.privateKey), registered)), 'badSignature');
  });

  it('is strict: unknown fields, another kind and a mixed envelope are malformed; signNotice refuses them', () => {
    const extra = { ...notice, status: 'succeeded' };
    const signedExtra = { notice: extra, ...signPayload('notice', extra, worker.privateKey) };
    assert.equal(reasonOf(verifySignedNotice(signedExtra, registered)), 'malformed');
    const progress = { ...notice, kind: 'progress' };
    const signedProgress = { notice: progress, ...signPayload('notice', progress, worker.privateKey) };
    assert.equal(reasonOf(verifySignedNotice(signedProgress, registered)), 'malformed');
    const signed = signNotice(notice, worker.privateKey);
    assert.equal(reasonOf(verifySignedNotice({ ...signed, result: {} }, registered)), 'malformed');
    assert.throws(() => signNotice(extra as StartedNotice, worker.privateKey), /notice/);
    assert.throws(() => signNotice({ ...notice, startedAt: 'today' }, worker.privateKey), /notice\.startedAt/);
  });

  it('keeps signatures apart: a notice is never a result or a job, nor a result a notice', () => {
    const signed = signNotice(notice, worker.privateKey);
    // The notice's signature presented as a result (its payload fields would not even parse as one).
    const asResult = { result: signed.notice, signature: signed.signature, keyId: signed.keyId };
    assert.equal(reasonOf(verifySignedResult(asResult, registered)), 'badSignature');
    assert.equal(isNoticeMessage(asResult), false);
    // Even if a worker key were trusted for jobs, the notice's signature does not make a job.
    const asJob = { job: signed.notice, signature: signed.signature, keyId: signed.keyId };
    const jobCheck = verifySignedJob(asJob, { publicKeys: [worker.publicKey], now: new Date() });
    assert.equal(reasonOf(jobCheck), 'badSignature');
    // The same payload signed for another purpose does not verify as a notice.
    for (const purpose of ['result', 'job'] as const) {
      const crossSigned = { notice, ...signPayload(purpose, notice, worker.privateKey) };
      assert.equal(reasonOf(verifySignedNotice(crossSigned, registered)), 'badSignature', purpose);
    }
    // A signed result moved into the notice envelope.
    const result = signResult(
      {
        v: 1,
        jobId: 'job-1',
        workerId: 'srv-01',
        status: 'succeeded',
        exitCode: 0,
        stdout: '',
        stderr: '',
        startedAt: notice.startedAt,
        finishedAt: notice.startedAt,
      },
      worker.privateKey,
    );
    const resultAsNotice = { notice: result.result, signature: result.signature, keyId: result.keyId };
    assert.equal(reasonOf(verifySignedNotice(resultAsNotice, registered)), 'badSignature');
    assert.equal(reasonOf(verifySignedResult(signed, registered)), 'malformed');
    assert.equal(reasonOf(verifySignedResult(result, registered)), 'ok', 'results are unchanged');
  });

  it('tells the notice envelope from anything else', () => {
    for (const value of [null, [], 'notice', { result: {} }, { job: {} }]) assert.equal(isNoticeMessage(value), false);
    assert.equal(isNoticeMessage({ notice: 1 }), true);
  });
});
