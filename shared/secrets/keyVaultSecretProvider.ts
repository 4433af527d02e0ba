import type { TokenCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import { redact } from '../runtime/redact';
import { checkSecretName, SecretAccessError, SecretNotFoundError, type SecretProvider } from './secretProvider';

export interface KeyVaultSecretProviderOptions {
  readonly vaultUrl: string;
  /** DefaultAzureCredential / ManagedIdentityCredential in Azure, chosen by the composition root; static in tests. */
  readonly credential: TokenCredential;
  /** How long a value is reused before Key Vault is asked again, so that a rotation is picked up. Default 5 min. */
  readonly cacheTtlMs?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  readonly now?: () => number;
  /** Passed to SecretClient, e.g. `{ disableChallengeResourceVerification: true }` for the local fake. */
  readonly clientOptions?: SecretClientOptions;
}

interface CacheEntry {
  readonly value: string;
  readonly fetchedAt: number;
}

/** Secrets from Azure Key Vault, cached briefly. Concurrent reads of the same secret share one request. */
export class KeyVaultSecretProvider implements SecretProvider {
  private readonly client: SecretClient;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly source: string;

  constructor(options: KeyVaultSecretProviderOptions) {
    this.client = new SecretClient(options.vaultUrl, options.credential, options.clientOptions);
    this.ttlMs = options.cacheTtlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    this.source = `Key Vault ${new URL(options.vaultUrl).host}`;
  }

  async get(name: string): Promise<string> {
    checkSecretName(name);
    const cached = this.cache.get(name);
    if (cached && this.now() - cached.fetchedAt < this.ttlMs) return cached.value;
    const pending = this.inFlight.get(name);
    if (pending) return pending;
    const request = this.fetch(name).finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, request);
    return request;
  }

  async set(name: string, value: string): Promise<void> {
    checkSecretName(name);
    try {
      await this.client.setSecret(name, value);
    } catch (error) {
      throw new SecretAccessError(name, this.source, describe(error, [value]));
    }
    this.cache.set(name, { value, fetchedAt: this.now() });
  }

  /** Values currently cached, for log masking. */
  knownValues(): string[] {
    return [...this.cache.values()].map((entry) => entry.value);
  }

  private async fetch(name: string): Promise<string> {
    const startedAt = this.now();
    let value: string | undefined;
    try {
      value = (await this.client.getSecret(name)).value;
    } catch (error) {
      if (isNotFound(error)) throw new SecretNotFoundError(name, this.source);
      throw new SecretAccessError(name, this.source, describe(error, this.knownValues()));
    }
    if (value === undefined) throw new SecretNotFoundError(name, this.source);
    this.cache.set(name, { value, fetchedAt: startedAt });
    return value;
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { statusCode?: unknown; code?: unknown } | null;
  return e?.statusCode === 404 || e?.code === 'SecretNotFound';
}

/** Status and code only: SDK messages can quote request or response bodies. */
function describe(error: unknown, secrets: readonly string[]): string {
  const e = error as { statusCode?: unknown; code?: unknown; name?: unknown } | null;
  const parts = [e?.statusCode, e?.code ?? e?.name].filter((part) => part !== undefined).map(String);
  return redact(parts.join(' ') || 'unknown error', secrets);
}
