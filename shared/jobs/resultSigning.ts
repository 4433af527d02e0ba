import { formatIssues } from '../config/zodIssues';
import type { PrivateKeyInput } from './keys';
import { type JobResult, resultSchema, type SignedResult, signedResultSchema } from './result';
import { signPayload } from './signing';
import { checkWorkerSignature, type RegisteredWorkers } from './workerSignature';

export type { RegisteredWorkers } from './workerSignature';

/** Validates the result (throws with JSON paths) and signs it with the worker's private key. */
export function signResult(result: JobResult, workerPrivateKey: PrivateKeyInput): SignedResult {
  const parsed = resultSchema.safeParse(result);
  if (!parsed.success) throw new Error(`invalid result: ${formatIssues(parsed.error, 'result').join('; ')}`);
  return { result: parsed.data, ...signPayload('result', parsed.data, workerPrivateKey) };
}

export type ResultVerification =
  | { readonly ok: true; readonly result: JobResult }
  | { readonly ok: false; readonly reason: 'malformed' | 'unknownWorker' | 'badSignature'; readonly detail: string };

/** Accepts a result only if it names a registered worker and carries that worker's valid signature. */
export function verifySignedResult(message: unknown, registeredWorkers: RegisteredWorkers): ResultVerification {
  const shape = signedResultSchema.safeParse(message);
  if (!shape.success) return { ok: false, reason: 'malformed', detail: formatIssues(shape.error).join('; ') };
  const { result: rawResult, signature, keyId } = shape.data;
  const check = checkWorkerSignature('result', rawResult, signature, keyId, registeredWorkers);
  if (!check.ok) return check;
  const parsed = resultSchema.safeParse(rawResult);
  if (!parsed.success) {
    return { ok: false, reason: 'malformed', detail: formatIssues(parsed.error, 'result').join('; ') };
  }
  return { ok: true, result: parsed.data };
}
