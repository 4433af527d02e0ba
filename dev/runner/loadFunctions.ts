import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Container } from '../../shared/app/container';
import { registeredFunctions } from '../../shared/app/functions';
import type { FunctionDefinition } from '../../shared/runtime/registry';

const FUNCTION_FILE = /^[^.].*(?<!\.d)\.(ts|js)$/;

/** Imports every function file in `dir` (each defines its functions when loaded) and returns all definitions. */
export async function loadFunctionFiles(dir: string): Promise<readonly FunctionDefinition<Container>[]> {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && FUNCTION_FILE.test(entry.name) && !/\.(test|spec)\.[jt]s$/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  for (const file of files) {
    const path = resolve(join(dir, file));
    try {
      await import(pathToFileURL(path).href);
    } catch (error) {
      throw new Error(`cannot load function file ${path}: ${(error as Error).message}`);
    }
  }
  return registeredFunctions();
}
