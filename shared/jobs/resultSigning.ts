import { formatIssues } from '../config/zodIssues';
import { keyIdOf, type PrivateKeyInput, type PublicKeyInput } from './keys';
import { type JobResult, resultSchema, type SignedResult, signedResultSchema } from './result';
import { signPayload, verifyPayload } from './signing';

/** Validates the result (throws with JSON paths) and signs it with the worker's private key. */
export function signResult(result: JobResult, workerPrivateKey: PrivateKeyInput): SignedResult {
  const parsed = resultSchema.safeParse(result);
  if (!parsed.success) throw new Error(`invalid result: ${formatIssues(parsed.error, 'result').join('; ')}`);
  return { result: parsed.data, ...signPayload('result', parsed.data, workerPrivateKey) };
}

export type ResultVerification =
  | { readonly ok: true; readonly result: JobResult }
  | { readonly ok: false; readonly reason: 'malformed' | 'unknownWorker' | 'badSignature'; readonly detail: string };

/** workerId → that worker's public key (PEM, raw base64 or KeyObject), as registered in the cloud. */
export type RegisteredWorkers = Readonly<Record<string, PublicKeyInput>> | ReadonlyMap<string, PublicKeyInput>;

/** Accepts a result only if it names a registered worker and carries that worker's valid signature. */
export function verifySignedResult(message: unknown, registeredWorkers: RegisteredWorkers): ResultVerification {
  const shape = signedResultSchema.safeParse(message);
  if (!shape.success) return { ok: false, reason: 'malformed', detail: formatIssues(shape.error).join('; ') };
  const { result: rawResult, signature, keyId } = shape.data;
  const workerId = rawResult.workerId;
  if (typeof workerId !== 'string') {
    return { ok: false, reason: 'malformed', detail: 'result.workerId: expected a string' };
  }
  const key = lookup(registeredWorkers, workerId);
  if (key === undefined) {
    return { ok: false, reason: 'unknownWorker', detail: `worker ${JSON.stringify(workerId)} is not registered` };
  }
  if (keyIdOf(key) !== keyId || !verifyPayload('result', rawResult, signature, key)) {
    return { ok: false, reason: 'badSignature', detail: `the signature is not worker ${workerId}'s` };
  }
  const parsed = resultSchema.safeParse(rawResult);
  if (!parsed.success) {
    return { ok: false, reason: 'malformed', detail: formatIssues(parsed.error, 'result').join('; ') };
  }
  return { ok: true, result: parsed.data };
}

function lookup(workers: RegisteredWorkers, workerId: string): PublicKeyInput | undefined {
  if (workers instanceof Map) return workers.get(workerId);
  const record = workers as Readonly<Record<string, PublicKeyInput>>;
  return Object.hasOwn(record, workerId) ? record[workerId] : undefined;
}
