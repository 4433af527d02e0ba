import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface AccessTokenClaims {
  tid: string;
  appid: string;
  exp: number;
  iat: number;
}

/**
 * Access tokens the simulated Entra issues: JWT-shaped, HMAC-signed with a per-simulator key, naming their tenant
 * (`tid`) and expiry (`exp`, seconds).
 */
export class TokenIssuer {
  private readonly key = randomBytes(32);

  issue(claims: AccessTokenClaims): string {
    const header = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64(JSON.stringify({ ...claims, aud: 'https://graph.microsoft.com', iss: `sim/${claims.tid}` }));
    return `${header}.${payload}.${this.sign(`${header}.${payload}`)}`;
  }

  /** The claims of a token this issuer made, or why it is not acceptable. */
  verify(token: string, nowSeconds: number): AccessTokenClaims | 'invalid' | 'expired' {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return 'invalid';
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessTokenClaims;
    return claims.exp <= nowSeconds ? 'expired' : claims;
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
