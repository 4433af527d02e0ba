import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevTls {
  readonly cert: string;
  readonly key: string;
}

/**
 * The loopback test certificate made by scripts/dev-tls.mjs. Our launchers (npm start, npm test, npm run bench)
 * create it and make the processes they start trust it; a dev simulator serving HTTPS loads it here.
 */
export function loadDevTls(): DevTls {
  const dir = process.env.HALO_BRIDGE_DEV_TLS_DIR;
  if (!dir) {
    throw new Error(
      'HALO_BRIDGE_DEV_TLS_DIR is not set: run through `npm start`, `npm test` or `npm run bench`, which create and trust the test certificate',
    );
  }
  return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
}
