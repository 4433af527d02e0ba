import type { Container } from './container';

/**
 * The one place that reads process.env: builds the Container for the real Functions host from the app settings.
 * (Filled in once the adapters exist.)
 */
let built: Promise<Container> | undefined;

export function rootContainer(): Promise<Container> {
  built ??= buildFromEnvironment();
  return built;
}

async function buildFromEnvironment(): Promise<Container> {
  throw new Error('composition root not wired yet');
}
