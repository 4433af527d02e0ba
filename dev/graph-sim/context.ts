import type { DeltaExpiry } from './delta';
import type { GraphStore, SimTenant } from './store';

/** What the route modules share. */
export interface SimContext {
  readonly store: GraphStore;
  baseUrl(): string;
  /** Milliseconds; injectable so tests can move subscriptions past their expiry without waiting. */
  now(): number;
  deltaExpiry: DeltaExpiry;
  /**
   * Which items of a messages delta changes round come partial (id, isRead, parentFolderId): `updates` (Graph's
   * documented behaviour: messages that only changed) or `all` (every item, new mail included).
   */
  partialMessages: 'updates' | 'all';
  tenantOf(tenantId: string): SimTenant;
}
