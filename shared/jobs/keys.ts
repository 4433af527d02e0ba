import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** A key as it is written in config or Key Vault: PEM (SPKI / PKCS#8) or the raw 32-byte key in base64. */
export type KeyText = string;
export type PublicKeyInput = KeyObject | KeyText;
export type PrivateKeyInput = KeyObject | KeyText;

// DER prefixes that wrap a raw 32-byte Ed25519 key into SPKI and PKCS#8 structures (RFC 8410).
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface Ed25519KeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

export function generateSigningKeyPair(): Ed25519KeyPair {
  return generateKeyPairSync('ed25519');
}

export function importPublicKey(input: PublicKeyInput): KeyObject {
  if (typeof input !== 'string') return requireEd25519(input.type === 'private' ? createPublicKey(input) : input);
  const text = input.trim();
  if (text.startsWith('-----BEGIN')) return requireEd25519(createPublicKey(text));
  const raw = decodeRawKey(text, 'public');
  return requireEd25519(createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' }));
}

export function importPrivateKey(input: PrivateKeyInput): KeyObject {
  if (typeof input !== 'string') {
    if (input.type !== 'private') throw new Error('expected an Ed25519 private key');
    return requireEd25519(input);
  }
  const text = input.trim();
  if (text.startsWith('-----BEGIN')) return requireEd25519(createPrivateKey(text));
  const raw = decodeRawKey(text, 'private');
  return requireEd25519(createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' }));
}

export function exportPublicKey(key: KeyObject, format: 'pem' | 'raw' = 'pem'): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (format === 'pem') return publicKey.export({ format: 'pem', type: 'spki' }).toString();
  return rawPublicKey(publicKey).toString('base64');
}

export function exportPrivateKey(key: KeyObject, format: 'pem' | 'raw' = 'pem'): string {
  if (format === 'pem') return key.export({ format: 'pem', type: 'pkcs8' }).toString();
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return der.subarray(der.length - 32).toString('base64');
}

/** A short, stable name for a public key: the first 16 hex digits of the SHA-256 of its raw 32 bytes. */
export function keyIdOf(key: PublicKeyInput): string {
  const raw = rawPublicKey(importPublicKey(key));
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

function rawPublicKey(publicKey: KeyObject): Buffer {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32);
}

function decodeRawKey(text: string, kind: string): Buffer {
  const raw = Buffer.from(text, 'base64');
  if (raw.length !== 32 || raw.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) {
    throw new Error(`expected a PEM key or a raw 32-byte Ed25519 ${kind} key in base64`);
  }
  return raw;
}

function requireEd25519(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 key, got ${key.asymmetricKeyType}`);
  return key;
}
