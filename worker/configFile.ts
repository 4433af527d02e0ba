import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../shared/config/zodIssues';
import { parseWorkerConfig, type WorkerConfig } from './config';

/** Reads and validates the worker's JSON config file (for the CLI). */
export function readWorkerConfigFile(path: string): WorkerConfig {
  const full = resolve(path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (error) {
    throw new ConfigError(full, [`cannot be read: ${(error as Error).message}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(full, [`is not valid JSON: ${(error as Error).message}`]);
  }
  return parseWorkerConfig(value, dirname(full), full);
}
