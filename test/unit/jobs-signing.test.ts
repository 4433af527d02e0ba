import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalJson,
  decodeQueueMessage,
  encodeQueueMessage,
  exportPrivateKey,
  exportPublicKey,
  generateSigningKeyPair,
  importPrivateKey,
  importPublicKey,
  type Job,
  keyIdOf,
  signJob,
  signResult,
  verifySignedJob,
  verifySignedResult,
} from '../../shared/jobs';
import { signPayload } from '../../shared/jobs/signing';

const NOW = new Date('2025-05-01T12:00:00Z');
const cloud = generateSigningKeyPair();
const worker = generateSigningKeyPair();

function job(overrides: Partial<Job> = {}): Job {
  return {
    v: 1,
    jobId: 'job-1',
    script: 'mailbox-quota.ps1',
    parameters: { Mailbox: 'zoe@contoso.com', QuotaGB: 100, Archive: true, Note: null },
    passing: 'namedParameters',
    ticketId: 1001,
    source: { kind: 'haloAction', ref: 'action:55' },
    idempotent: false,
    notBefore: '2025-05-01T11:59:00Z',
    expiresAt: '2025-05-01T13:00:00Z',
    timeoutSeconds: 300,
    workerGroup: 'default',
    ...overrides,
  };
}

const options = { publicKeys: [exportPublicKey(cloud.publicKey)], now: NOW };

describe('canonical JSON', () => {
  it('sorts keys at every depth and has no whitespace', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [1, { z: 0, y: 'x' }], c: null } }),
      '{"a":{"c":null,"d":[1,{"y":"x","z":0}]},"b":1}',
    );
  });
  it('leaves out undefined members and escapes strings as JSON does', () => {
    assert.equal(canonicalJson({ a: undefined, b: 'q"\n✓' }), '{"b":"q\\"\\n✓"}');
  });
  it('refuses values JSON cannot represent, naming where', () => {
    assert.throws(() => canonicalJson({ a: [1, Number.NaN] }), /\$\.a\[1\]/);
    assert.throws(() => canonicalJson({ a: 1n }), /bigint/);
  });
});

describe('keys', () => {
  it('round-trips PEM and raw base64, with the same keyId', () => {
    const id = keyIdOf(cloud.publicKey);
    assert.match(id, /^[0-9a-f]{16}$/);
    assert.equal(keyIdOf(exportPublicKey(cloud.publicKey, 'raw')), id);
    assert.equal(keyIdOf(importPublicKey(exportPublicKey(cloud.publicKey, 'pem'))), id);
    assert.equal(keyIdOf(importPrivateKey(exportPrivateKey(cloud.privateKey, 'raw'))), id);
    assert.equal(keyIdOf(importPrivateKey(exportPrivateKey(cloud.privateKey, 'pem'))), id);
    assert.notEqual(keyIdOf(worker.publicKey), id);
  });
  it('rejects text that is not an Ed25519 key', () => {
    assert.throws(() => importPublicKey('bm90IGEga2V5'), /raw 32-byte/);
  });
});

describe('verifySignedJob', () => {
  it('accepts a job signed with a trusted key (also via raw key and after a queue round trip)', () => {
    const signed = signJob(job(), cloud.privateKey);
    const decoded = decodeQueueMessage(encodeQueueMessage(signed));
    assert.ok(decoded.ok);
    const verified = verifySignedJob(decoded.value, {
      ...options,
      publicKeys: [exportPublicKey(cloud.publicKey, 'raw')],
    });
    assert.ok(verified.ok);
    assert.deepEqual(verified.job, job());
  });

  it('rejects any tampered field as a bad signature', () => {
    const signed = signJob(job(), cloud.privateKey);
    const tampered = [
      { ...signed.job, script: 'leaver.ps1' },
      { ...signed.job, parameters: { ...signed.job.parameters, QuotaGB: 1000 } },
      { ...signed.job, expiresAt: '2030-01-01T00:00:00Z' },
      { ...signed.job, extra: 1 },
    ];
    for (const changed of tampered) {
      const result = verifySignedJob({ ...signed, job: changed }, options);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.reason, 'badSignature');
    }
  });

  it('rejects a signature from an untrusted key, and a result signature used as a job', () => {
    const forged = signJob(job(), worker.privateKey);
    const unknown = verifySignedJob(forged, options);
    assert.equal(!unknown.ok && unknown.reason, 'unknownKey');
    const signed = signJob(job(), cloud.privateKey);
    const wrongKeyId = verifySignedJob({ ...signed, signature: forged.signature }, options);
    assert.equal(!wrongKeyId.ok && wrongKeyId.reason, 'badSignature');
    const asResult = signPayload('result', signed.job, cloud.privateKey);
    const crossPurpose = verifySignedJob({ job: signed.job, ...asResult }, options);
    assert.equal(!crossPurpose.ok && crossPurpose.reason, 'badSignature');
  });

  it('rejects expired and not-yet-valid jobs, allowing the clock skew', () => {
    const signed = signJob(job(), cloud.privateKey);
    const late = verifySignedJob(signed, { ...options, now: new Date('2025-05-01T13:01:00Z') });
    assert.equal(!late.ok && late.reason, 'expired');
    const early = verifySignedJob(signed, { ...options, now: new Date('2025-05-01T11:50:00Z') });
    assert.equal(!early.ok && early.reason, 'notYetValid');
    assert.equal(verifySignedJob(signed, { ...options, now: new Date('2025-05-01T11:58:30Z') }).ok, true);
  });

  it('rejects a replay', () => {
    const signed = signJob(job(), cloud.privateKey);
    const replay = verifySignedJob(signed, { ...options, seen: new Set(['job-1']) });
    assert.equal(!replay.ok && replay.reason, 'replayed');
    assert.equal(!replay.ok && replay.claimedJobId, 'job-1');
  });

  it('reports malformed messages and envelopes with the JSON path', () => {
    const shape = verifySignedJob({ job: {}, signature: 5 }, options);
    assert.equal(!shape.ok && shape.reason, 'malformed');
    assert.match(!shape.ok ? shape.detail : '', /signature/);
    assert.match(!shape.ok ? shape.detail : '', /keyId/);
    // A correctly signed but invalid envelope (e.g. from a buggy signer) is still refused, with its path.
    const invalid = { ...job(), parameters: { 'bad-name': 'x' } };
    const bad = verifySignedJob({ job: invalid, ...signPayloadFor(invalid) }, options);
    assert.equal(!bad.ok && bad.reason, 'malformed');
    assert.match(!bad.ok ? bad.detail : '', /job\.parameters\.bad-name/);
  });

  it('signJob refuses invalid jobs with paths: case-only duplicate names, unknown secrets, window order', () => {
    assert.throws(
      () => signJob(job({ parameters: { user: 'a', User: 'b' } }), cloud.privateKey),
      /job\.parameters\.User/,
    );
    assert.throws(() => signJob(job({ secretParameters: ['Nope'] }), cloud.privateKey), /job\.secretParameters\[0\]/);
    assert.throws(() => signJob(job({ expiresAt: '2025-05-01T11:00:00Z' }), cloud.privateKey), /job\.expiresAt/);
    assert.throws(() => signJob(job({ workerGroup: 'Bad_Group' }), cloud.privateKey), /job\.workerGroup/);
  });
});

describe('verifySignedResult', () => {
  const result = {
    v: 1 as const,
    jobId: 'job-1',
    workerId: 'srv-01',
    status: 'succeeded' as const,
    exitCode: 0,
    stdout: 'SUCCESS',
    stderr: '',
    startedAt: '2025-05-01T12:00:00.000Z',
    finishedAt: '2025-05-01T12:00:05.000Z',
  };
  const registered = { 'srv-01': exportPublicKey(worker.publicKey) };

  it('accepts a registered worker’s result', () => {
    const verified = verifySignedResult(signResult(result, worker.privateKey), registered);
    assert.ok(verified.ok);
    assert.equal(verified.result.stdout, 'SUCCESS');
  });

  it('rejects an unknown worker, another worker’s key, a tampered result and a job signature', () => {
    const unknown = verifySignedResult(signResult({ ...result, workerId: 'srv-99' }, worker.privateKey), registered);
    assert.equal(!unknown.ok && unknown.reason, 'unknownWorker');
    const impostor = verifySignedResult(signResult(result, cloud.privateKey), registered);
    assert.equal(!impostor.ok && impostor.reason, 'badSignature');
    const signed = signResult(result, worker.privateKey);
    const tampered = verifySignedResult({ ...signed, result: { ...signed.result, status: 'failed' } }, registered);
    assert.equal(!tampered.ok && tampered.reason, 'badSignature');
    const viaMap = verifySignedResult(signed, new Map([['srv-01', worker.publicKey]]));
    assert.equal(viaMap.ok, true);
    const proto = verifySignedResult(signResult({ ...result, workerId: 'constructor' }, worker.privateKey), registered);
    assert.equal(!proto.ok && proto.reason, 'unknownWorker');
  });
});

function signPayloadFor(payload: unknown) {
  return signPayload('job', payload, cloud.privateKey);
}
