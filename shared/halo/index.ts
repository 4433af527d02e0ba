export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';
export {
  createHaloClient,
  type HaloClient,
  type HaloClientOptions,
  type ListOptions,
  type TicketQuery,
  type UserQuery,
} from './client';
export type { FindExisting } from './createOnce';
export {
  extractHaloMessage,
  HaloApiError,
  HaloOutcomeUnknownError,
  HaloReportError,
  HaloResponseError,
} from './errors';
export { HALO_MAX_PAGE_SIZE } from './paging';
export { HALO_DEFAULT_RATE_LIMIT, type RateLimit } from './rateLimiter';
export * from './schemas';
export type { HaloStats, Query } from './transport';
export { DEFAULT_USER_AGENT, HALO_BRIDGE_VERSION } from './version';
