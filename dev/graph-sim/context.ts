import type { DeltaExpiry } from './delta';
import type { GraphStore, SimTenant } from './store';

/** What the route modules share. */
export interface SimContext {
  readonly store: GraphStore;
  baseUrl(): string;
  /** Milliseconds; injectable so tests can move subscriptions past their expiry without waiting. */
  now(): number;
  deltaExpiry: DeltaExpiry;
  tenantOf(tenantId: string): SimTenant;
}
