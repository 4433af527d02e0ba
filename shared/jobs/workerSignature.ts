import { keyIdOf, type PublicKeyInput } from './keys';
import { type SignaturePurpose, verifyPayload } from './signing';

/** workerId → that worker's public key (PEM, raw base64 or KeyObject), as registered in the cloud. */
export type RegisteredWorkers = Readonly<Record<string, PublicKeyInput>> | ReadonlyMap<string, PublicKeyInput>;

export type WorkerSignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'malformed' | 'unknownWorker' | 'badSignature'; readonly detail: string };

/**
 * Checks that a payload signed by a worker (a result or a notice, as received, before parsing) names a registered
 * worker in `workerId` and carries that worker's signature for `purpose`.
 */
export function checkWorkerSignature(
  purpose: Extract<SignaturePurpose, 'result' | 'notice'>,
  payload: Record<string, unknown>,
  signature: string,
  keyId: string,
  registeredWorkers: RegisteredWorkers,
): WorkerSignatureCheck {
  const workerId = payload.workerId;
  if (typeof workerId !== 'string') {
    return { ok: false, reason: 'malformed', detail: `${purpose}.workerId: expected a string` };
  }
  const key = lookup(registeredWorkers, workerId);
  if (key === undefined) {
    return { ok: false, reason: 'unknownWorker', detail: `worker ${JSON.stringify(workerId)} is not registered` };
  }
  if (keyIdOf(key) !== keyId || !verifyPayload(purpose, payload, signature, key)) {
    return { ok: false, reason: 'badSignature', detail: `the signature is not worker ${workerId}'s` };
  }
  return { ok: true };
}

function lookup(workers: RegisteredWorkers, workerId: string): PublicKeyInput | undefined {
  if (workers instanceof Map) return workers.get(workerId);
  const record = workers as Readonly<Record<string, PublicKeyInput>>;
  return Object.hasOwn(record, workerId) ? record[workerId] : undefined;
}
