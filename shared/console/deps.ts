import type { Container } from '../app/container';

/** What the console's read models and actions use: the state stores, config and settings (never Halo or Graph). */
export type ConsoleDeps = Pick<Container, 'config' | 'settings' | 'stores' | 'reports' | 'now' | 'log' | 'storage'>;

/** Every secret value the app knows, for masking what the console shows. */
export function knownSecrets(deps: Pick<Container, 'settings'>): readonly string[] {
  return deps.settings.secretValues;
}
