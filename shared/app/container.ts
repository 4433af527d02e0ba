import type { AppSettings } from '../config/appSettings';
import type { IntegrationConfig } from '../config/integration';
import type { Logger } from '../runtime/logger';

/**
 * Everything a function handler needs, built once by the composition root from the settings (or by the local
 * runner and the tests from theirs). Handlers receive it; they never build clients or read the environment.
 */
export interface Container {
  readonly settings: AppSettings;
  readonly config: IntegrationConfig;
  readonly log: Logger;
  readonly now: () => Date;
}
