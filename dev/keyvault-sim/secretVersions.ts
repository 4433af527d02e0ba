import { randomBytes } from 'node:crypto';

export interface SecretVersion {
  readonly version: string;
  readonly value: string;
  readonly contentType: string | undefined;
  readonly createdAt: number;
}

/** The fake vault's data: every version of every secret, newest last. */
export class SecretVersions {
  private readonly secrets = new Map<string, SecretVersion[]>();

  set(name: string, value: string, contentType?: string): SecretVersion {
    const version: SecretVersion = {
      version: randomBytes(16).toString('hex'),
      value,
      contentType,
      createdAt: Math.floor(Date.now() / 1000),
    };
    const key = name.toLowerCase();
    this.secrets.set(key, [...(this.secrets.get(key) ?? []), version]);
    return version;
  }

  /** The latest version, or the named one. Names are case-insensitive, as in Key Vault. */
  get(name: string, version?: string): SecretVersion | undefined {
    const versions = this.secrets.get(name.toLowerCase()) ?? [];
    return version ? versions.find((v) => v.version === version) : versions.at(-1);
  }
}
