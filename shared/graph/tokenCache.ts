import type { TokenCredential } from '@azure/identity';

const REFRESH_MARGIN_MS = 2 * 60_000;

/**
 * One tenant's access token: fetched once, reused until shortly before it expires, and shared by concurrent
 * callers (one token request however many requests are waiting).
 */
export class TenantTokenCache {
  private token: { value: string; expiresOn: number } | undefined;
  private inFlight: Promise<string> | undefined;
  private requests = 0;

  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many times a token was requested from the credential. */
  get tokenRequests(): number {
    return this.requests;
  }

  async get(): Promise<string> {
    if (this.token && this.token.expiresOn - REFRESH_MARGIN_MS > this.now()) return this.token.value;
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetch(): Promise<string> {
    this.requests += 1;
    const token = await this.credential.getToken(this.scope);
    if (!token) throw new Error('the credential returned no access token');
    this.token = { value: token.token, expiresOn: token.expiresOnTimestamp };
    return token.token;
  }
}
