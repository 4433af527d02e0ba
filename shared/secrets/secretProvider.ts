/** Where the app gets its secrets: Key Vault in Azure, a local file or object in development and tests. */
export interface SecretProvider {
  /** The current value; throws SecretNotFoundError (naming the secret, never a value) when there is none. */
  get(name: string): Promise<string>;
  /** For tests and tools (e.g. storing a generated signing key). */
  set?(name: string, value: string): Promise<void>;
}

export class SecretNotFoundError extends Error {
  override readonly name = 'SecretNotFoundError';
  constructor(
    readonly secretName: string,
    readonly source: string,
  ) {
    super(`secret '${secretName}' was not found in ${source}`);
  }
}

/** Any other failure to read a secret (access denied, network). The message never carries a secret value. */
export class SecretAccessError extends Error {
  override readonly name = 'SecretAccessError';
  constructor(
    readonly secretName: string,
    readonly source: string,
    detail: string,
  ) {
    super(`secret '${secretName}' could not be read from ${source}: ${detail}`);
  }
}

/** Key Vault secret names: 1-127 letters, digits and dashes. The local provider follows the same rule. */
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

export function checkSecretName(name: string): string {
  if (!SECRET_NAME.test(name)) {
    throw new Error(`invalid secret name '${name.slice(0, 130)}': use 1-127 letters, digits and dashes`);
  }
  return name;
}
