import type { KeyObject } from 'node:crypto';
import { formatIssues } from '../config/zodIssues';
import { type Job, jobSchema, type SignedJob, signedJobSchema } from './envelope';
import { importPublicKey, keyIdOf, type PrivateKeyInput, type PublicKeyInput } from './keys';
import { signPayload, verifyPayload } from './signing';

/** Validates the job (throws with JSON paths if it is not a valid envelope) and signs it. */
export function signJob(job: Job, privateKey: PrivateKeyInput): SignedJob {
  const parsed = jobSchema.safeParse(job);
  if (!parsed.success) throw new Error(`invalid job: ${formatIssues(parsed.error, 'job').join('; ')}`);
  return { job: parsed.data, ...signPayload('job', parsed.data, privateKey) };
}

export type JobRejectionReason = 'malformed' | 'unknownKey' | 'badSignature' | 'notYetValid' | 'expired' | 'replayed';

export type JobVerification =
  | { readonly ok: true; readonly job: Job; readonly keyId: string }
  | {
      readonly ok: false;
      readonly reason: JobRejectionReason;
      readonly detail: string;
      /** The jobId the message claims, when it has one. Unverified unless the reason is about time or replay. */
      readonly claimedJobId?: string;
    };

export interface VerifyJobOptions {
  /** The cloud's public keys that jobs may be signed with (several during a key rotation). */
  readonly publicKeys: readonly PublicKeyInput[];
  readonly now: Date;
  /** Job ids already accepted before: a job whose id is in here is a replay. */
  readonly seen?: { has(jobId: string): boolean };
  /** Tolerated clock difference between the cloud and the worker. Default 60 s. */
  readonly clockSkewSeconds?: number;
}

/**
 * Checks a message from `jobs-<group>`, in order: shape, key, signature, envelope, validity window, replay.
 * The signature is checked over the job exactly as received, before any parsing could normalise it.
 */
export function verifySignedJob(message: unknown, options: VerifyJobOptions): JobVerification {
  const claimedJobId = claimedId(message);
  const reject = (reason: JobRejectionReason, detail: string): JobVerification =>
    claimedJobId === undefined ? { ok: false, reason, detail } : { ok: false, reason, detail, claimedJobId };

  const shape = signedJobSchema.safeParse(message);
  if (!shape.success) return reject('malformed', formatIssues(shape.error).join('; '));
  const { job: rawJob, signature, keyId } = shape.data;

  const key = findKey(options.publicKeys, keyId);
  if (!key) return reject('unknownKey', `no trusted public key has keyId ${keyId}`);
  if (!verifyPayload('job', rawJob, signature, key)) return reject('badSignature', 'the signature does not match');

  const parsed = jobSchema.safeParse(rawJob);
  if (!parsed.success) return reject('malformed', formatIssues(parsed.error, 'job').join('; '));
  const job = parsed.data;

  const skewMs = (options.clockSkewSeconds ?? 60) * 1000;
  const now = options.now.getTime();
  if (now + skewMs < Date.parse(job.notBefore)) return reject('notYetValid', `not valid before ${job.notBefore}`);
  if (now - skewMs >= Date.parse(job.expiresAt)) return reject('expired', `expired at ${job.expiresAt}`);
  if (options.seen?.has(job.jobId)) return reject('replayed', `job ${job.jobId} was already received`);
  return { ok: true, job, keyId };
}

function findKey(publicKeys: readonly PublicKeyInput[], keyId: string): KeyObject | undefined {
  for (const candidate of publicKeys) {
    if (keyIdOf(candidate) === keyId) return importPublicKey(candidate);
  }
  return undefined;
}

function claimedId(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const job = (message as { job?: unknown }).job;
  if (typeof job !== 'object' || job === null) return undefined;
  const id = (job as { jobId?: unknown }).jobId;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : undefined;
}
