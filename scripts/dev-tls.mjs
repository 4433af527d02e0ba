// Creates (once) the loopback TLS certificate that the Graph, identity and Key Vault simulators serve.
// It is a throwaway test certificate for 127.0.0.1/localhost, kept under .dev/ (git-ignored), and trusted only by
// the processes our launchers start (NODE_EXTRA_CA_CERTS), never by the machine.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export async function ensureDevTls(rootDir) {
  const dir = join(rootDir, '.dev', 'tls');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  if (existsSync(certPath) && existsSync(keyPath) && !isExpiringSoon(certPath)) return { dir, certPath, keyPath };
  mkdirSync(dir, { recursive: true });
  const now = new Date();
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'halo-bridge local simulators' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 30 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  writeFileSync(certPath, pems.cert);
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  writeFileSync(join(dir, 'created-at'), now.toISOString());
  return { dir, certPath, keyPath };
}

function isExpiringSoon(certPath) {
  const createdAt = join(certPath, '..', 'created-at');
  if (!existsSync(createdAt)) return true;
  const age = Date.now() - Date.parse(readFileSync(createdAt, 'utf8'));
  return !(age >= 0 && age < 20 * 24 * 3600 * 1000);
}
