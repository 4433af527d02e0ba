import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatIssues } from '../config/zodIssues';
import { checkSecretName, SecretNotFoundError, type SecretProvider } from './secretProvider';

const fileSchema = z.record(
  z.string().regex(/^[0-9a-zA-Z-]{1,127}$/, { message: 'is not a valid secret name' }),
  z.string(),
);

/** Secrets from a plain object (tests) or a JSON file of name → value (local development). Kept in memory. */
export class LocalSecretProvider implements SecretProvider {
  private readonly values: Map<string, string>;

  constructor(
    values: Readonly<Record<string, string>> = {},
    private readonly source = 'the local secrets',
  ) {
    this.values = new Map(Object.entries(values));
  }

  /** Reads and validates the file once. Problems name the file and the JSON path, never a value. */
  static fromFile(path: string): LocalSecretProvider {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'not valid JSON';
      throw new Error(`local secrets file ${path} could not be read: ${reason}`);
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      throw new Error(`local secrets file ${path} is invalid: ${formatIssues(parsed.error).join('; ')}`);
    }
    return new LocalSecretProvider(parsed.data, `local secrets file ${path}`);
  }

  async get(name: string): Promise<string> {
    const value = this.values.get(checkSecretName(name));
    if (value === undefined) throw new SecretNotFoundError(name, this.source);
    return value;
  }

  async set(name: string, value: string): Promise<void> {
    this.values.set(checkSecretName(name), value);
  }

  /** Every value held, for log masking. */
  knownValues(): string[] {
    return [...this.values.values()];
  }
}
