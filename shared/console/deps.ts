import type { Container, StateStores } from '../app/container';
import type { IntegrationConfig } from '../config/integration';
import type { ConfigStatus } from '../config/liveConfig';
import type { BudgetHistory } from '../halo/budget/history';
import type { ReportStore } from '../storage';
import { type HaloLinks, haloLinks } from './haloLinks';

/**
 * What the console's read models and actions use: the state stores, the config, where Halo is (for links) and the
 * secrets to mask. Never Halo or Graph themselves, so that the CLI can answer with storage access alone.
 */
export interface ConsoleDeps {
  readonly config: IntegrationConfig;
  /** Where the config in force comes from, whether it is valid, when it was pushed and loaded. */
  configStatus(): ConfigStatus;
  readonly stores: StateStores;
  readonly reports: ReportStore;
  /** The shared Halo budget's history (requests per minute by flow, 429s), as every instance records it. */
  readonly budget: BudgetHistory;
  readonly now: () => Date;
  readonly links: HaloLinks;
  /** Every secret value known here, masked wherever the console shows text. */
  readonly secrets: readonly string[];
}

export function consoleDepsOf(container: Container): ConsoleDeps {
  return {
    config: container.config,
    configStatus: () => container.configStatus(),
    stores: container.stores,
    reports: container.reports,
    budget: container.haloBudget.history,
    now: container.now,
    links: haloLinks(container.settings.HALO_BASE_URL),
    secrets: container.settings.secretValues,
  };
}
