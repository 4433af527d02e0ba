import { formatIssues } from '../config/zodIssues';
import type { PrivateKeyInput } from './keys';
import { type SignedNotice, type StartedNotice, signedNoticeSchema, startedNoticeSchema } from './notice';
import { signPayload } from './signing';
import { checkWorkerSignature, type RegisteredWorkers } from './workerSignature';

/** Validates the notice (throws with JSON paths) and signs it with the worker's private key. */
export function signNotice(notice: StartedNotice, workerPrivateKey: PrivateKeyInput): SignedNotice {
  const parsed = startedNoticeSchema.safeParse(notice);
  if (!parsed.success) throw new Error(`invalid notice: ${formatIssues(parsed.error, 'notice').join('; ')}`);
  return { notice: parsed.data, ...signPayload('notice', parsed.data, workerPrivateKey) };
}

export type NoticeVerification =
  | { readonly ok: true; readonly notice: StartedNotice }
  | { readonly ok: false; readonly reason: 'malformed' | 'unknownWorker' | 'badSignature'; readonly detail: string };

/** Accepts a notice only if it names a registered worker and carries that worker's valid notice signature. */
export function verifySignedNotice(message: unknown, registeredWorkers: RegisteredWorkers): NoticeVerification {
  const shape = signedNoticeSchema.safeParse(message);
  if (!shape.success) return { ok: false, reason: 'malformed', detail: formatIssues(shape.error).join('; ') };
  const { notice: rawNotice, signature, keyId } = shape.data;
  const check = checkWorkerSignature('notice', rawNotice, signature, keyId, registeredWorkers);
  if (!check.ok) return check;
  const parsed = startedNoticeSchema.safeParse(rawNotice);
  if (!parsed.success) {
    return { ok: false, reason: 'malformed', detail: formatIssues(parsed.error, 'notice').join('; ') };
  }
  return { ok: true, notice: parsed.data };
}
