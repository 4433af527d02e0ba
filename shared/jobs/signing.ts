import { sign, verify } from 'node:crypto';
import { canonicalJson } from './canonicalJson';
import { importPrivateKey, importPublicKey, keyIdOf, type PrivateKeyInput, type PublicKeyInput } from './keys';

/**
 * What is signed is a purpose label plus the canonical JSON, so a signed result can never be replayed as a job or
 * a notice (or any other way round) even if they were signed with the same key.
 */
export type SignaturePurpose = 'job' | 'result' | 'notice';

function signedBytes(purpose: SignaturePurpose, payload: unknown): Buffer {
  return Buffer.from(`halo-bridge/${purpose}/v1\n${canonicalJson(payload)}`, 'utf8');
}

export function signPayload(
  purpose: SignaturePurpose,
  payload: unknown,
  privateKey: PrivateKeyInput,
): { signature: string; keyId: string } {
  const key = importPrivateKey(privateKey);
  return {
    signature: sign(null, signedBytes(purpose, payload), key).toString('base64'),
    keyId: keyIdOf(key),
  };
}

/** False for a wrong key, a wrong signature, or a payload that has no canonical JSON form. */
export function verifyPayload(
  purpose: SignaturePurpose,
  payload: unknown,
  signature: string,
  publicKey: PublicKeyInput,
): boolean {
  try {
    const bytes = Buffer.from(signature, 'base64');
    if (bytes.length !== 64) return false;
    return verify(null, signedBytes(purpose, payload), importPublicKey(publicKey), bytes);
  } catch {
    return false;
  }
}
