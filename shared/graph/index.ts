export { type BatchRequest, type BatchResponse, chunk, MAX_BATCH_SIZE, planBatchRetry } from './batch';
export type { BatchItemOutcome } from './batchItems';
export type { DeltaOptions, GraphRequester, GraphRetryOptions, GraphVersion, RequestOptions } from './client';
export { type GraphCredentialOptions, isMicrosoftAuthority } from './credentials';
export { type DeltaRemoved, type DeltaResult, DeltaResyncRequiredError, deltaRestartReason } from './delta';
export {
  describeGraphFailure,
  GraphAccessError,
  type GraphAccessErrorCode,
  type GraphCallContext,
  type GraphFailure,
  toGraphAccessError,
} from './errors';
export {
  createGraphClientFactory,
  type GraphClientFactory,
  type GraphClientFactoryOptions,
  type TenantGraphClient,
} from './factory';
export {
  IMMUTABLE_ID,
  type MailOperations,
  type MessagesDeltaPage,
  type MessagesDeltaPageOptions,
  type OutgoingMail,
  type RawMessage,
} from './mailOperations';
export type { Collection, SkippedItem } from './parse';
export { pathKind } from './pathKind';
export type * from './schemas';
export type { GraphStatsSnapshot } from './stats';
export type { NewSubscription, SubscriptionOperations } from './subscriptionOperations';
export { DEFAULT_USER_SELECT, type ListOptions, type TenantOperations } from './tenantOperations';
